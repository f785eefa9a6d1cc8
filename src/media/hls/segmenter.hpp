// Where HLS segments end: a pure policy object fed one event per frame
// (timestamps in ms on the source timeline, payload size), answering whether
// the frame opens a new segment, joins the current one, or is dropped. It
// never sees payload bytes, sockets or clocks; the packager acts on its answers.
//
// Policy (SPEC §5: cut at keyframes, target 2 s):
// - With video, a segment ends at the first keyframe whose dts is at least
//   `targetMs` after the segment start, so every segment starts with a keyframe
//   and a new segment is listed the moment that keyframe arrives.
// - Streams with rare keyframes (x264's default keyint of 250 frames is ~10 s)
//   still cut at the next keyframe; the answer says `kOverlong` when the
//   segment passed `overlongMs` so the caller can log it. Only past
//   `forceCutMs` without any keyframe, or past `maxSegmentBytes`, is a segment
//   cut at a non-keyframe: those bound the memory a broken or hostile
//   publisher can make us hold.
// - Audio-only streams cut on audio time. In a stream with video, audio cuts
//   only when video has stalled (camera off) and the segment is overlong.
// - A timestamp jump on a track (backwards by more than `maxBackwardMs`,
//   forwards by more than `maxForwardGapMs`) closes the segment at once and
//   marks the next one as a discontinuity (EXT-X-DISCONTINUITY): players must
//   reset their timestamp mapping there.
// - Before the first keyframe, video frames are dropped (undecodable).
//
// Durations are timestamp differences between segment starts; the last
// segment before a jump or the end of the stream lasts from its start to its
// latest timestamp plus one frame interval. Durations are never negative.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace ls::hls {

struct SegmenterOptions {
  std::int64_t targetMs = 2000;
  std::int64_t overlongMs = 0;  // 0: 3 x targetMs
  std::int64_t forceCutMs = 0;  // 0: 15 x targetMs (30 s by default)
  std::int64_t maxForwardGapMs = 3000;
  std::int64_t maxBackwardMs = 500;
  std::size_t maxSegmentBytes = std::size_t{48} << 20;  // ~2 min of 3 Mbit/s
  bool hasVideo = true;
  bool hasAudio = true;
};

enum class FrameAction {
  kDrop,           // not written (video before the first keyframe)
  kAppend,         // write into the current segment (opening the first one if none)
  kCutThenAppend,  // close the current segment, then write into a new one
};

enum class CutReason {
  kNone,
  kTarget,         // keyframe (or audio time) once the segment reached the target
  kOverlong,       // as kTarget, but the segment passed overlongMs: keyframes are too rare
  kVideoStalled,   // audio cut in an A/V stream whose video stopped
  kNoKeyframe,     // forced at a non-keyframe after forceCutMs
  kSizeLimit,      // forced: the segment would pass maxSegmentBytes
  kTimestampJump,  // discontinuity on the source timeline
};

const char* cutReasonName(CutReason reason) noexcept;

struct SegmentDecision {
  FrameAction action = FrameAction::kDrop;
  CutReason reason = CutReason::kNone;
  std::int64_t closedDurationMs = 0;  // the closed segment's duration (kCutThenAppend), >= 0
  bool discontinuity = false;         // the segment this frame opens follows a timestamp jump
};

class Segmenter {
 public:
  explicit Segmenter(SegmenterOptions options);

  SegmentDecision onVideo(std::int64_t dts, bool keyframe, std::size_t bytes);
  SegmentDecision onAudio(std::int64_t pts, std::size_t bytes);

  // End of stream: closes the open segment and returns its duration, or
  // nullopt when no segment is open.
  std::optional<std::int64_t> finish();

  [[nodiscard]] bool segmentOpen() const { return open_; }
  // Source timestamp at which the open segment starts (meaningful when open).
  [[nodiscard]] std::int64_t segmentStart() const { return start_; }
  [[nodiscard]] const SegmenterOptions& options() const { return opt_; }

 private:
  struct Track {
    std::optional<std::int64_t> last;
    std::int64_t lastDelta = 0;  // last positive step, for the duration of a closing segment
  };

  bool isJump(const Track& track, std::int64_t ts) const;
  SegmentDecision cut(CutReason reason, std::int64_t ts, bool discontinuity);
  SegmentDecision append(std::int64_t ts, std::size_t bytes);
  std::int64_t closingDuration() const;
  static void note(Track& track, std::int64_t ts);

  SegmenterOptions opt_;
  bool open_ = false;
  bool sawKeyframe_ = false;
  bool startFloats_ = false;  // start_ follows earlier samples (first segment of a timeline)
  std::int64_t start_ = 0;
  std::int64_t maxTs_ = 0;
  std::size_t bytes_ = 0;
  Track video_;
  Track audio_;
};

}  // namespace ls::hls
