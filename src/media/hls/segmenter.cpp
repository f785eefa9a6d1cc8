#include "media/hls/segmenter.hpp"

#include <algorithm>
#include <limits>

namespace ls::hls {

namespace {

// Source timestamps are unwrapped RTMP milliseconds, far inside this range;
// clamping keeps every difference below free of signed overflow whatever a
// hostile publisher sends (~142,000 years either way).
constexpr std::int64_t kMaxAbsTimestamp = std::int64_t{1} << 52;
constexpr std::int64_t kMaxOptionMs = std::int64_t{1} << 40;

std::int64_t clampTimestamp(std::int64_t ts) {
  return std::clamp(ts, -kMaxAbsTimestamp, kMaxAbsTimestamp);
}

std::size_t saturatingAdd(std::size_t a, std::size_t b) {
  return a > std::numeric_limits<std::size_t>::max() - b ? std::numeric_limits<std::size_t>::max() : a + b;
}

}  // namespace

const char* cutReasonName(CutReason reason) noexcept {
  switch (reason) {
    case CutReason::kNone: return "none";
    case CutReason::kTarget: return "target";
    case CutReason::kOverlong: return "overlong";
    case CutReason::kVideoStalled: return "video-stalled";
    case CutReason::kNoKeyframe: return "no-keyframe";
    case CutReason::kSizeLimit: return "size-limit";
    case CutReason::kTimestampJump: return "timestamp-jump";
  }
  return "unknown";
}

Segmenter::Segmenter(SegmenterOptions options) : opt_(options) {
  opt_.targetMs = std::clamp<std::int64_t>(opt_.targetMs, 1, kMaxOptionMs);
  if (opt_.overlongMs <= 0) opt_.overlongMs = 3 * opt_.targetMs;
  opt_.overlongMs = std::clamp(opt_.overlongMs, opt_.targetMs, kMaxOptionMs);
  if (opt_.forceCutMs <= 0) opt_.forceCutMs = 15 * opt_.targetMs;
  opt_.forceCutMs = std::clamp(opt_.forceCutMs, opt_.overlongMs, kMaxOptionMs * 16);
  opt_.maxForwardGapMs = std::clamp<std::int64_t>(opt_.maxForwardGapMs, 0, kMaxOptionMs);
  opt_.maxBackwardMs = std::clamp<std::int64_t>(opt_.maxBackwardMs, 0, kMaxOptionMs);
  if (opt_.maxSegmentBytes == 0) opt_.maxSegmentBytes = SegmenterOptions{}.maxSegmentBytes;
}

bool Segmenter::isJump(const Track& track, std::int64_t ts) const {
  if (!track.last) return false;
  return ts < *track.last - opt_.maxBackwardMs || ts > *track.last + opt_.maxForwardGapMs;
}

void Segmenter::note(Track& track, std::int64_t ts) {
  if (track.last && ts > *track.last) track.lastDelta = ts - *track.last;
  track.last = ts;
}

std::int64_t Segmenter::closingDuration() const {
  // One frame interval past the latest timestamp: the last frame is shown for
  // that long. Video's interval when there is video; capped so one long gap
  // does not stretch the segment.
  std::int64_t delta = video_.lastDelta > 0 ? video_.lastDelta : audio_.lastDelta;
  delta = std::min(delta, opt_.targetMs);
  return std::max<std::int64_t>(0, maxTs_ - start_ + delta);
}

SegmentDecision Segmenter::cut(CutReason reason, std::int64_t ts, bool discontinuity) {
  SegmentDecision d;
  d.action = FrameAction::kCutThenAppend;
  d.reason = reason;
  d.discontinuity = discontinuity;
  d.closedDurationMs = discontinuity ? closingDuration() : std::max<std::int64_t>(0, ts - start_);
  start_ = ts;
  // After a regular cut the next segment starts exactly where this one ended,
  // so durations tile the timeline; after a jump there is no "where".
  startFloats_ = discontinuity;
  maxTs_ = ts;
  bytes_ = 0;
  return d;
}

SegmentDecision Segmenter::append(std::int64_t ts, std::size_t bytes) {
  if (!open_) {
    open_ = true;
    start_ = ts;
    maxTs_ = ts;
    bytes_ = 0;
    startFloats_ = true;
  }
  // The first segment of a timeline starts at its earliest sample: audio
  // stamped 5 ms after the first keyframe often arrives before it.
  if (startFloats_) start_ = std::min(start_, ts);
  maxTs_ = std::max(maxTs_, ts);
  bytes_ = saturatingAdd(bytes_, bytes);
  return {FrameAction::kAppend, CutReason::kNone, 0, false};
}

SegmentDecision Segmenter::onVideo(std::int64_t dts, bool keyframe, std::size_t bytes) {
  if (!opt_.hasVideo) return {};
  dts = clampTimestamp(dts);
  // Frames before the first keyframe cannot be decoded. They are not noted
  // either, so an A/V stream whose video never starts counts as video-stalled.
  if (!keyframe && !sawKeyframe_) return {};
  if (keyframe) sawKeyframe_ = true;

  SegmentDecision d;
  if (!open_) {
    d = append(dts, bytes);
  } else if (isJump(video_, dts)) {
    d = cut(CutReason::kTimestampJump, dts, true);
    video_ = {};  // the timeline restarted: every track re-seeds from its next frame
    audio_ = {};
    append(dts, bytes);
  } else {
    const std::int64_t elapsed = dts - start_;
    if (bytes_ > 0 && saturatingAdd(bytes_, bytes) > opt_.maxSegmentBytes) {
      d = cut(CutReason::kSizeLimit, dts, false);
    } else if (keyframe && elapsed >= opt_.targetMs) {
      d = cut(elapsed >= opt_.overlongMs ? CutReason::kOverlong : CutReason::kTarget, dts, false);
    } else if (!keyframe && elapsed >= opt_.forceCutMs) {
      d = cut(CutReason::kNoKeyframe, dts, false);
    }
    const SegmentDecision appended = append(dts, bytes);
    if (d.action == FrameAction::kDrop) d = appended;
  }
  note(video_, dts);
  return d;
}

SegmentDecision Segmenter::onAudio(std::int64_t pts, std::size_t bytes) {
  if (!opt_.hasAudio) return {};
  pts = clampTimestamp(pts);

  SegmentDecision d;
  if (!open_) {
    d = append(pts, bytes);
  } else if (isJump(audio_, pts)) {
    d = cut(CutReason::kTimestampJump, pts, true);
    video_ = {};
    audio_ = {};
    append(pts, bytes);
  } else {
    const std::int64_t elapsed = pts - start_;
    // Video counts as stalled when none has been accepted for a target
    // duration (camera switched off, or no keyframe ever came).
    const bool videoStalled = !video_.last || pts - *video_.last >= opt_.targetMs;
    if (bytes_ > 0 && saturatingAdd(bytes_, bytes) > opt_.maxSegmentBytes) {
      d = cut(CutReason::kSizeLimit, pts, false);
    } else if (!opt_.hasVideo && elapsed >= opt_.targetMs) {
      d = cut(CutReason::kTarget, pts, false);
    } else if (opt_.hasVideo && elapsed >= opt_.overlongMs && videoStalled) {
      d = cut(CutReason::kVideoStalled, pts, false);
    }
    const SegmentDecision appended = append(pts, bytes);
    if (d.action == FrameAction::kDrop) d = appended;
  }
  note(audio_, pts);
  return d;
}

std::optional<std::int64_t> Segmenter::finish() {
  if (!open_) return std::nullopt;
  const std::int64_t duration = closingDuration();
  open_ = false;
  bytes_ = 0;
  return duration;
}

}  // namespace ls::hls
