// The HLS sink of one rendition: frames in, MPEG-TS segments and playlists
// out, published to the rendition's place in the segment store.
//
// Owned by, and called only on, the loop thread of the source it is attached
// to (media::MediaSink contract). The store it publishes to is read by HTTP
// threads; see segment_store.hpp for how that is made safe.
//
// Per frame: one segmenter decision and one muxer call that copies the
// payload into the current segment's buffer. Nothing is allocated per frame
// once that buffer has the previous segment's size reserved; per segment, the
// buffer moves into the store and the playlist is re-rendered.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "media/core/sink.hpp"
#include "media/hls/playlist.hpp"
#include "media/hls/publish_latency.hpp"
#include "media/hls/segment_store.hpp"
#include "media/hls/segmenter.hpp"

namespace ls::ts {
class Muxer;
}

namespace ls::hls {

// A media bit rate with MPEG-TS overhead added (188-byte packets carrying 184
// bytes of payload, PES headers, PAT/PMT): about 5%.
inline std::uint64_t withTsOverhead(std::uint64_t bitsPerSecond) {
  return bitsPerSecond + bitsPerSecond / 20;
}

struct PackagerOptions {
  std::string rendition = "original";
  bool hasVideo = true;
  bool hasAudio = true;
  SegmenterOptions segmenter;  // its hasVideo/hasAudio are taken from above
  // Bits/s to announce in the master before the first segment is measured
  // (a transcoded rendition knows its target); 0: no master entry until then.
  std::uint64_t nominalBandwidth = 0;
  // Bits/s BANDWIDTH never goes below once listed (a transcoded rendition's
  // configured rate): measured segments can undershoot what the encoder may
  // send. Does not list the rendition by itself.
  std::uint64_t bandwidthFloor = 0;
  // Where segment publish latencies go (wall time at publish minus the
  // packager clock's time for the closing frame); null: not recorded.
  PublishLatency* latency = nullptr;
  const Clock* wallClock = nullptr;  // required with latency
  // Media sequence number of a new rendition's first segment. Unset: the wall
  // clock in seconds, so a stream key reused after its HLS state was freed
  // never serves a seg<N>.ts URI that a CDN still caches from before (segments
  // are cached as immutable, SPEC §5). Ignored when continuing a rendition.
  std::optional<std::uint64_t> firstMediaSequence;
  // A ladder rendition's aligned reference (the stream's "original"): each
  // segment takes the program date-time of the reference's segment with the
  // same sequence number when that one is published, so every rendition
  // dates the same picture alike (each packager's own anchor is a clock read
  // of its own, which can differ by a millisecond). Its own anchor otherwise.
  std::shared_ptr<const Rendition> dateLike;
};

// What both packagers (MPEG-TS and CMAF) of a rendition start from, so they
// cut the same segments and number them alike: the segmenter options with the
// rendition's tracks, and the first media sequence number (the one given, else
// the wall clock in seconds; see PackagerOptions::firstMediaSequence).
SegmenterOptions segmenterOptionsFor(SegmenterOptions options, bool hasVideo, bool hasAudio);
std::uint64_t firstMediaSequenceFor(const std::optional<std::uint64_t>& given, const Clock& clock);

// What the master says about a rendition, from what its packager knows:
// nullopt until a codec config (of a track the rendition has) and a bandwidth
// figure are known. BANDWIDTH is the peak of full-length segments, or before
// any the nominal rate or a short segment's average, never below `floor`.
struct VariantFacts {
  std::string name;
  const media::VideoConfig* video = nullptr;  // null: no video (or not configured yet)
  const media::AudioConfig* audio = nullptr;
  std::uint64_t peakBitsPerSecond = 0;
  std::uint64_t averageBitsPerSecond = 0;
  std::uint64_t nominalBandwidth = 0;
  std::uint64_t bandwidthFloor = 0;
};
std::optional<Variant> describeVariant(const VariantFacts& facts);

struct PackagerStats {
  std::uint64_t segments = 0;
  std::uint64_t overlongSegments = 0;  // cut late: keyframes rarer than the target allows
  std::uint64_t forcedCuts = 0;        // cut without a keyframe (no keyframe for too long, size limit)
  std::uint64_t discontinuities = 0;   // timestamp jumps
  std::uint64_t droppedFrames = 0;     // before the first keyframe, or a track the rendition lacks
  std::uint64_t muxErrors = 0;         // frames the muxer refused (bad NALU lengths, no config)
  std::uint64_t totalBytes = 0;
  std::int64_t totalDurationMs = 0;
  std::uint64_t peakBitsPerSecond = 0;     // highest of any full-length segment (BANDWIDTH)
  std::uint64_t averageBitsPerSecond = 0;  // over all segments (AVERAGE-BANDWIDTH)
};

class HlsPackager final : public media::MediaSink {
 public:
  // Attaches to (or continues) `options.rendition` of `stream`. The clock
  // stamps EXT-X-PROGRAM-DATE-TIME; it is read at the first frame and after
  // timestamp discontinuities, not per frame.
  HlsPackager(std::shared_ptr<StreamHls> stream, const Clock& clock, PackagerOptions options);
  // Ends the rendition as onEnd() would if the source never called it, so a
  // torn-down pipeline cannot leave a playlist that looks live forever.
  ~HlsPackager() override;
  HlsPackager(const HlsPackager&) = delete;
  HlsPackager& operator=(const HlsPackager&) = delete;

  void onVideoConfig(const media::VideoConfig& config) override;
  void onAudioConfig(const media::AudioConfig& config) override;
  void onVideoFrame(const media::VideoFrame& frame) override;
  void onAudioFrame(const media::AudioFrame& frame) override;
  // Publishes the partial last segment (if it holds media) and EXT-X-ENDLIST.
  void onEnd() override;

  [[nodiscard]] const PackagerStats& stats() const { return stats_; }
  // What the master playlist says about this rendition; nullopt until a
  // codec config and a bandwidth figure are known.
  [[nodiscard]] std::optional<Variant> variant() const;
  [[nodiscard]] const std::shared_ptr<Rendition>& rendition() const { return attachment_.rendition; }

 private:
  void handle(const SegmentDecision& decision, std::int64_t segmentStart);
  void openSegment(std::int64_t startTs, bool discontinuity);
  void closeSegment(std::int64_t durationMs);
  void noteCut(const SegmentDecision& decision);
  void publishVariant();

  std::shared_ptr<StreamHls> stream_;
  const Clock& clock_;
  PackagerOptions options_;
  std::unique_ptr<ts::Muxer> muxer_;
  Segmenter segmenter_;
  StreamHls::Attachment attachment_;

  std::optional<media::VideoConfig> videoConfig_;
  std::optional<media::AudioConfig> audioConfig_;

  // The segment being written.
  bool segmentOpen_ = false;
  std::uint64_t segmentFrames_ = 0;  // frames the muxer accepted into it
  ts::TsBytes buffer_;
  std::optional<UnixMillis> segmentDateTime_;
  bool segmentDiscontinuity_ = false;

  // Wall clock <-> source timeline, set at the first frame and re-set after a
  // timestamp jump (the old mapping means nothing on the new timeline).
  std::optional<UnixMillis> anchorWall_;
  std::int64_t anchorTs_ = 0;

  PackagerStats stats_;
  bool ended_ = false;
  bool loggedOverlong_ = false;
};

}  // namespace ls::hls
