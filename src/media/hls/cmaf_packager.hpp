// The low-latency HLS sink of one rendition: frames in, fMP4 (CMAF) parts and
// segments out, published with the LL playlist to the rendition's place in
// the stream's LlStream (ll_store.hpp). It runs beside the rendition's
// HlsPackager (MPEG-TS), with the same Segmenter options, so both see the
// same segment boundaries, media sequence numbers and program date-times.
//
// Parts: a PartCutter (part_cutter.hpp) decides, per frame, where a part ends
// inside the segment the Segmenter opened; the FragmentBuilder writes the
// part's moof+mdat. A part is published when the frame that closes it
// arrives (its last sample's duration is known only then), so a part is
// listed at most one frame interval after its last sample. Cuts depend on
// timestamps only: every ABR rendition (same timestamps) cuts the same parts.
//
// Threads: owned by, and called only on, the thread of the source it is
// attached to (media::MediaSink contract), like HlsPackager.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "media/core/sink.hpp"
#include "media/hls/ll_store.hpp"
#include "media/hls/packager.hpp"
#include "media/hls/part_cutter.hpp"
#include "media/hls/playlist.hpp"
#include "media/hls/segment_store.hpp"
#include "media/hls/segmenter.hpp"

namespace ls::fmp4 {
class FragmentBuilder;
}

namespace ls::hls {

struct CmafPackagerOptions {
  std::string rendition = "original";
  bool hasVideo = true;
  bool hasAudio = true;
  SegmenterOptions segmenter;  // as the rendition's HlsPackager; hasVideo/hasAudio taken from above
  // The configured part target (hls.part_target_ms). The declared one is this
  // rounded to whole frames (declaredPartTargetMs), settled once per stream.
  std::int64_t partTargetMs = 200;
  // As PackagerOptions (BANDWIDTH before the first measured segment, floor).
  std::uint64_t nominalBandwidth = 0;
  std::uint64_t bandwidthFloor = 0;
  // As PackagerOptions: the original's, shared by the ladder.
  std::optional<std::uint64_t> firstMediaSequence;
};

struct CmafPackagerStats {
  std::uint64_t parts = 0;
  std::uint64_t segments = 0;
  std::uint64_t discontinuities = 0;  // timestamp jumps
  std::uint64_t reinits = 0;          // codec configuration changes mid-stream (new init segment)
  std::uint64_t droppedFrames = 0;    // before the first keyframe, or a track the rendition lacks
  std::uint64_t refusedFrames = 0;    // frames the fragment builder refused (malformed, no config)
  std::uint64_t initErrors = 0;       // configurations no init segment can be written for
  std::int64_t longestPartMs = 0;
  std::uint64_t totalBytes = 0;
  std::int64_t totalDurationMs = 0;
  std::uint64_t peakBitsPerSecond = 0;
  std::uint64_t averageBitsPerSecond = 0;
};

class CmafPackager final : public media::MediaSink {
 public:
  // Attaches to (or continues) `options.rendition` of `stream->ll()`. The clock
  // stamps EXT-X-PROGRAM-DATE-TIME as in HlsPackager (read when a timeline starts).
  CmafPackager(std::shared_ptr<StreamHls> stream, const Clock& clock, CmafPackagerOptions options);
  // Ends the rendition if onEnd() was not called.
  ~CmafPackager() override;
  CmafPackager(const CmafPackager&) = delete;
  CmafPackager& operator=(const CmafPackager&) = delete;

  void onVideoConfig(const media::VideoConfig& config) override;
  void onAudioConfig(const media::AudioConfig& config) override;
  void onVideoFrame(const media::VideoFrame& frame) override;
  void onAudioFrame(const media::AudioFrame& frame) override;
  // Publishes the last part and segment, then EXT-X-ENDLIST.
  void onEnd() override;

  [[nodiscard]] const CmafPackagerStats& stats() const { return stats_; }
  [[nodiscard]] std::optional<Variant> variant() const;
  [[nodiscard]] const std::shared_ptr<LlRendition>& rendition() const { return attachment_.rendition; }
  // The declared part target (the configured one until the first segment opens).
  [[nodiscard]] std::int64_t partTargetMs() const { return cutter_.partTargetMs(); }

 private:
  // Segment and part decisions for a frame at `ts` the segmenter keeps.
  void beforeFrame(const SegmentDecision& decision, std::int64_t ts, bool video);
  void openSegment(std::int64_t startTs, bool discontinuity);
  // Publishes the part being built. endMs: the next part's start (nullopt at the end).
  void closePart(std::optional<std::int64_t> endMs, std::optional<std::int64_t> closesSegmentMs);
  // A new init segment for the current configs; true when it differs from the last.
  bool refreshInit();
  void ensureBuilder();
  // Fixes the declared part target before the first part: from the video
  // frame rate (audio-only: the AAC frame duration), shared by the stream.
  void settlePartTarget();
  void publishVariant();

  std::shared_ptr<StreamHls> stream_;
  const Clock& clock_;
  CmafPackagerOptions options_;
  Segmenter segmenter_;
  PartCutter cutter_;
  bool partTargetSettled_ = false;
  LlStream::Attachment attachment_;

  std::optional<media::VideoConfig> videoConfig_;
  std::optional<media::AudioConfig> audioConfig_;
  std::vector<std::uint8_t> init_;  // the init segment the builder writes for
  bool initStale_ = true;           // configs changed since init_ was written
  std::unique_ptr<fmp4::FragmentBuilder> builder_;
  std::uint32_t fragmentSequence_ = 0;

  bool segmentOpen_ = false;
  bool segmentHasParts_ = false;
  bool partHasSamples_ = false;
  // Where the part being built starts on the source timeline: the segment's
  // start for its first part (audio may precede the first video frame), the
  // cut before that. A part lasts from there to the frame that closes it, as
  // the PartCutter counts it, so parts add up to the segment's EXTINF.
  std::int64_t partStartTs_ = 0;
  std::optional<UnixMillis> segmentDateTime_;
  bool segmentDiscontinuity_ = false;
  std::uint64_t segmentBytesBefore_ = 0;  // stats_.totalBytes when the segment opened

  std::optional<UnixMillis> anchorWall_;
  std::int64_t anchorTs_ = 0;

  CmafPackagerStats stats_;
  bool ended_ = false;
};

// The sinks of one rendition: its MPEG-TS packager and, with LL on, its CMAF
// packager, fed the same frames (the ABR ladder holds one per rung).
class RenditionPackagers final : public media::MediaSink {
 public:
  RenditionPackagers(std::unique_ptr<HlsPackager> ts, std::unique_ptr<CmafPackager> cmaf)
      : ts_(std::move(ts)), cmaf_(std::move(cmaf)) {}
  void onVideoConfig(const media::VideoConfig& config) override;
  void onAudioConfig(const media::AudioConfig& config) override;
  void onVideoFrame(const media::VideoFrame& frame) override;
  void onAudioFrame(const media::AudioFrame& frame) override;
  void onEnd() override;
  [[nodiscard]] HlsPackager& ts() { return *ts_; }
  [[nodiscard]] CmafPackager* cmaf() { return cmaf_.get(); }

 private:
  std::unique_ptr<HlsPackager> ts_;
  std::unique_ptr<CmafPackager> cmaf_;
};

}  // namespace ls::hls
