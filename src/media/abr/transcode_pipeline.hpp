// One live stream's ladder, synchronously: H.264 access units in, decoded
// once, scaled and encoded per rendition, and handed to each rendition's
// HlsPackager together with the original's audio. Single-threaded: the
// Transcoder runs it on its own thread (never on a media loop, SPEC §5), and
// tests drive it directly.
//
// Decisions worth knowing:
// - The ladder is planned from the first decoded picture: the rungs strictly
//   below its height (ladder.hpp). A later size change keeps the stream
//   playing: the decoder follows the new parameter sets, and every running
//   rendition is re-created at the size fitRung gives for the new input —
//   its own, or the input's when the input is now smaller (never upscaled) —
//   continuing its playlist with new parameter sets. None is stopped: a
//   player on a rendition whose playlist ended would stop playing (hls.js
//   treats EXT-X-ENDLIST as the end of the stream). None is added either: a
//   rendition started mid-stream could not share the original's media
//   sequence numbers, which players rely on to switch.
// - Keyframes: each rendition is forced to an IDR exactly at the input's
//   keyframes (the FLV keyframe flag, the one the original's segmenter cuts
//   on), and x264 makes no others, so all renditions cut at the same points.
// - Program date-times: the ladder's packagers are given the wall time at
//   which each frame reached the original's packager, not the time they see
//   it, so EXT-X-PROGRAM-DATE-TIME is the same in every rendition.
// - Timestamps: a picture keeps its presentation time, and the k-th picture
//   in presentation order gets the k-th decode time of the input. Input decode
//   times increase, and the k-th smallest is never above the k-th smallest
//   presentation time, so this is a valid B-frame-free timeline; and a
//   keyframe, which no picture before it in decode order follows in display
//   order, gets exactly its own: an input with B-frames (OBS) has its IDR's
//   dts below its pts, and the segmenter cuts on dts, so the renditions'
//   segments still start and last exactly as the original's.
// - Audio: the input is always AAC (SPEC §4), and every rendition carries the
//   original's AAC frames unchanged — encoded once (by the publisher) and
//   shared at no cost. Frames wait in a bounded ring until each rendition's
//   video has caught up with them (x264's lookahead delays video), so both
//   tracks of a segment cover the same time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "core/usage.hpp"
#include "media/abr/frame_queue.hpp"
#include "media/abr/ladder.hpp"
#include "media/abr/rendition_encoder.hpp"
#include "media/abr/timestamp_ring.hpp"
#include "media/abr/transcoder_stats.hpp"
#include "media/abr/video_decoder.hpp"
#include "media/hls/cmaf_packager.hpp"
#include "media/hls/packager.hpp"
#include "media/hls/segment_store.hpp"

namespace ls::abr {

// A clock that reads the arrival time of the frame being processed: the
// transcoder thread sets it before it hands a frame to the ladder's
// packagers and only that thread reads it.
class ArrivalClock final : public Clock {
 public:
  void arrivedAt(UnixMillis t) { now_ = t; }
  [[nodiscard]] UnixMillis now() const override { return now_; }

 private:
  UnixMillis now_ = 0;
};

struct PipelineOptions {
  std::shared_ptr<hls::StreamHls> stream;
  const Clock* clock = nullptr;
  std::vector<RenditionSpec> ladder = defaultLadder();
  std::string x264Preset = "veryfast";
  bool hasAudio = true;
  hls::SegmenterOptions segmenter;
  // The original's first media sequence number: renditions number their
  // segments alike (SPEC §5, aligned renditions).
  std::optional<std::uint64_t> firstMediaSequence;
  // The shared original audio's rate, for each rendition's BANDWIDTH floor;
  // 0: unknown (kAssumedAudioBitsPerSecond is counted).
  std::uint64_t audioBitsPerSecond = 0;
  // Segment publish latency of the renditions (against options.clock: the
  // time since their frame reached the original); null: not recorded.
  hls::PublishLatency* latency = nullptr;
  // Low-latency HLS: each rendition also gets a CmafPackager (parts cut on
  // the same timestamps as the original's, so aligned with it).
  hls::LlOptions ll{false, 200};
};

class TranscodePipeline {
 public:
  TranscodePipeline(PipelineOptions options, TranscoderStats& stats);
  // Ends what still runs, without flushing (as finish(false)).
  ~TranscodePipeline();
  TranscodePipeline(const TranscodePipeline&) = delete;
  TranscodePipeline& operator=(const TranscodePipeline&) = delete;

  void onVideoConfig(const media::VideoConfig& config);
  void onAudioConfig(const media::AudioConfig& config);
  // arrivedAt: wall clock when the source passed the frame on (QueueItem).
  void onVideoFrame(std::int64_t dts, std::int32_t compositionOffset, bool keyframe, std::span<const std::uint8_t> avcc,
                    std::int64_t arrivedAt);
  void onAudioFrame(std::int64_t pts, std::span<const std::uint8_t> raw, std::int64_t arrivedAt);

  // Overload: ends the most expensive rendition still running. False when
  // none is left.
  bool shedOne(std::int64_t lagMs);
  // End of stream. flush: drain the decoder and encoders first and publish
  // every frame (a publisher that left); false: end the playlists at once
  // (server shutdown).
  void finish(bool flush);

  // Nothing will be produced any more: the input is at or below the smallest
  // rung, or every rendition was shed or stopped.
  [[nodiscard]] bool idle() const;
  [[nodiscard]] std::size_t activeRenditions() const;

 private:
  struct Rendition {
    RenditionSpec spec;
    std::size_t statsIndex = 0;
    std::unique_ptr<RenditionEncoder> encoder;
    std::unique_ptr<hls::RenditionPackagers> packager;  // MPEG-TS, and fMP4 with LL on
    std::uint64_t audioCursor = 0;  // sequence number of the next pending audio frame it needs
    bool active = true;
    usage::MediaTimeCounter output;  // transcoded media time, metered per rung height
    std::string heightLabel;
  };

  void plan(std::uint32_t width, std::uint32_t height);
  void resize(std::uint32_t width, std::uint32_t height);
  void decodeAvailable();
  void onPicture(const AVFrame& picture);
  struct InputTimes {
    std::int64_t dts = 0;
    std::int64_t arrivedAt = 0;
  };
  // The input keyframe's dts when the picture at `pts` is one.
  std::optional<std::int64_t> takeInputKeyframe(std::int64_t pts);
  InputTimes assignInputTimes(std::int64_t pts, std::optional<std::int64_t> keyframeDts);
  void encode(Rendition& r, const AVFrame& picture, InputTimes times, bool keyframe);
  void drainEncoder(Rendition& r);
  void deliverAudio(Rendition& r, std::int64_t beforeTs, bool all);
  void pushPendingAudio(std::int64_t pts, std::span<const std::uint8_t> raw, std::int64_t arrivedAt);
  void trimAudio();
  void retire(Rendition& r, RenditionState state, bool flush);
  [[nodiscard]] double inputFrameRate() const;
  [[nodiscard]] const std::string& key() const;

  PipelineOptions options_;
  TranscoderStats& stats_;
  // The stream's usage counter when metered (taken from the stream at the plan).
  std::shared_ptr<usage::StreamUsage> usage_;

  std::unique_ptr<VideoDecoder> decoder_;
  std::optional<media::VideoConfig> videoConfig_;
  std::optional<media::AudioConfig> audioConfig_;
  bool sawKeyframe_ = false;
  std::optional<std::int64_t> lastVideoInputPts_;
  std::uint64_t decodeErrors_ = 0;

  // Input keyframes whose pictures the decoder has not returned yet, and the
  // decode times of every picture it holds (a few, for reordering).
  struct KeyframeTimes {
    std::int64_t pts = 0;
    std::int64_t dts = 0;
  };
  TimestampRing<KeyframeTimes, 32> keyframes_;
  TimestampRing<InputTimes, 64> inputTimes_;

  // What the ladder's packagers read as "now": the arrival time of the frame
  // being handed to them, so that their EXT-X-PROGRAM-DATE-TIME anchors where
  // the original's did although they see the frame later (decode, encode).
  ArrivalClock packagerClock_;

  bool planned_ = false;
  std::uint32_t inputWidth_ = 0;
  std::uint32_t inputHeight_ = 0;
  std::vector<Rendition> renditions_;  // most expensive first

  FrameRing pendingAudio_;
  std::uint64_t audioBase_ = 0;  // sequence number of pendingAudio_.front()
  bool finished_ = false;
};

}  // namespace ls::abr
