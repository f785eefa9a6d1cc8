#include "media/hls/part_cutter.hpp"

#include <algorithm>
#include <cmath>

namespace ls::hls {

std::int64_t declaredPartTargetMs(std::int64_t configuredMs, double frameIntervalMs) {
  configuredMs = std::max<std::int64_t>(1, configuredMs);
  if (!std::isfinite(frameIntervalMs) || frameIntervalMs <= 0 || frameIntervalMs > 1e6) return configuredMs;
  const double n = std::max(1.0, std::round(static_cast<double>(configuredMs) / frameIntervalMs));
  // The epsilon keeps a whole number of ms (12 x 16.666...) from being rounded up by float error.
  const double declared = std::ceil(n * frameIntervalMs - 1e-6);
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(declared));
}

double videoFrameIntervalMs(double frameRate) {
  if (!std::isfinite(frameRate) || frameRate < 1.0 || frameRate > 300.0) return 0;
  return 1000.0 / frameRate;
}

double aacFrameIntervalMs(std::uint32_t sampleRate) {
  if (sampleRate == 0) return 0;
  return 1024.0 * 1000.0 / static_cast<double>(sampleRate);
}

PartCutter::PartCutter(PartCutterOptions options) : options_(options) {
  if (options_.partTargetMs < 1) options_.partTargetMs = 1;
}

void PartCutter::closePart(std::int64_t endTs) {
  if (partFrames_ > 0) lastPartMs_ = std::max<std::int64_t>(0, endTs - partStart_);
}

namespace {

// Source timestamps are ms (FLV: 32 bits, extended); the clamp only keeps the
// differences below from overflowing on absurd input.
constexpr std::int64_t kMaxAbsTs = std::int64_t{1} << 58;

std::int64_t clampTs(std::int64_t ts) { return std::clamp(ts, -kMaxAbsTs, kMaxAbsTs); }

// An interval this many times the mean so far is a gap, not a frame duration.
constexpr std::int64_t kGapFactor = 4;

}  // namespace

void PartCutter::segmentStarted(std::int64_t ts) {
  ts = clampTs(ts);
  closePart(ts);
  segmentStart_ = ts;
  meanFrom_ = ts;
  partStart_ = ts;
  lastTs_ = ts;
  intervals_ = 0;
  partFrames_ = 1;  // the frame at ts opens the segment and its first part
  openerPending_ = true;
}

bool PartCutter::onFrame(std::int64_t ts) {
  ts = clampTs(ts);
  if (!segmentStart_) {
    segmentStarted(ts);
    openerPending_ = false;
    return false;
  }
  if (openerPending_) {
    // The caller may ask about the frame it already announced with segmentStarted().
    openerPending_ = false;
    if (ts == *segmentStart_ && intervals_ == 0) return false;
  }
  // Timestamps that step back (a jump the Segmenter tolerates) count as zero
  // time; the mean stays >= 0.
  if (ts < lastTs_) ts = lastTs_;
  const std::int64_t interval = ts - lastTs_;
  lastTs_ = ts;
  std::int64_t frameMs = interval;
  if (intervals_ > 0) {
    const std::int64_t span = ts - interval - meanFrom_;
    const std::int64_t mean = (span + intervals_ / 2) / intervals_;  // rounded mean before this frame
    if (interval > kGapFactor * mean + 1) {
      // A gap (dropped frames, a stalled encoder): it ends the part by itself
      // and would inflate the mean, so the mean restarts after it.
      frameMs = mean;
      meanFrom_ = ts;
      intervals_ = 0;
    } else {
      ++intervals_;
      frameMs = (ts - meanFrom_ + intervals_ / 2) / intervals_;
    }
  } else {
    ++intervals_;
  }
  if (ts + frameMs - partStart_ > options_.partTargetMs) {
    closePart(ts);
    partStart_ = ts;
    partFrames_ = 1;
    return true;
  }
  ++partFrames_;
  return false;
}

bool PartCutter::cutBeforeVideo(std::int64_t dts) {
  if (!options_.hasVideo) return false;
  return onFrame(dts);
}

bool PartCutter::cutBeforeAudio(std::int64_t pts) {
  if (options_.hasVideo) return false;
  return onFrame(pts);
}

}  // namespace ls::hls
