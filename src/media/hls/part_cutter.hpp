// Where LL-HLS partial segments end inside a segment: a pure policy object fed
// the timestamp of every frame the packager appends (the Segmenter still
// decides where segments end). No clocks, no payload.
//
// Rule (RFC 8216bis §4.4.4.9: a part MUST NOT be longer than the Part Target
// Duration): before each frame, the cutter closes the current part when that
// frame would take it past `partTargetMs`. The frame's own duration is not
// known until the next frame arrives, so it is estimated as the mean frame
// interval since the segment started (or since a gap of more than 4 mean
// intervals, which restarts the mean), rounded to the nearest ms: with
// millisecond timestamps that alternate 33/34 ms (30 fps) the mean gives 6-frame
// 200 ms parts every time, where "the last interval" would give 5-frame parts
// (167 ms, below the 85% floor of §4.4.4.9) every other part. A part is longer
// than the target only when one frame alone is (a 4 fps stream with 200 ms
// parts), or when the target is not a whole number of frames (29.97 fps
// against 200 ms: a 6-frame part spans 200 or 201 ms, which is why packagers
// cut against declaredPartTargetMs, 201 ms there); `lastPartOverran()` tells
// the caller so it can log it.
//
// Deterministic on timestamps: the state is reset at every segment start, so
// every ABR rendition fed the same timestamps (one source timeline, segments
// cut at the same keyframes) cuts its parts at the same frames. Streams with
// video cut on video dts only; audio-only streams on audio pts.
#pragma once

#include <cstdint>
#include <optional>

namespace ls::hls {

// The Part Target a rendition declares (EXT-X-PART-INF PART-TARGET, and what
// PART-HOLD-BACK, the Advance Part Limit and the PartCutter use): the
// configured target rounded to a whole number of frame intervals, rounded up
// to the ms, so every part of n frames fits under it and n frames stay above
// 85% of it (RFC 8216bis §4.4.4.9). n = max(1, round(configured / interval)),
// declared = ceil(n x interval): 201 ms at 29.97 and 59.94 fps, 209 ms at
// 24 fps, 200 ms at 25/30/60 fps, 209 ms for AAC at 44.1 kHz, 192 ms at 48 kHz
// (configured 200). An unknown interval (0, not finite) keeps the configured
// target.
std::int64_t declaredPartTargetMs(std::int64_t configuredMs, double frameIntervalMs);
// 1000 / frameRate for a plausible rate (1..300 fps); 0 when unknown or implausible.
double videoFrameIntervalMs(double frameRate);
// One AAC frame (1024 samples) at `sampleRate`; 0 when the rate is 0.
double aacFrameIntervalMs(std::uint32_t sampleRate);

struct PartCutterOptions {
  std::int64_t partTargetMs = 200;
  bool hasVideo = true;
};

class PartCutter {
 public:
  explicit PartCutter(PartCutterOptions options);

  // The Segmenter opened a new segment whose first frame has timestamp `ts`
  // (the previous segment's last part ends there). Call it instead of asking
  // about that frame; asking about it as well right after is harmless (false).
  void segmentStarted(std::int64_t ts);
  // True: close the current part before this frame (the frame opens the next part).
  bool cutBeforeVideo(std::int64_t dts);
  // Only cuts in audio-only streams (hasVideo false); otherwise always false.
  bool cutBeforeAudio(std::int64_t pts);

  // The part closed last (by a cut or a segment start): its duration in ms and
  // whether it is longer than the part target. Both 0/false before the first close.
  [[nodiscard]] std::int64_t lastPartDurationMs() const { return lastPartMs_; }
  [[nodiscard]] bool lastPartOverran() const { return lastPartMs_ > options_.partTargetMs; }
  [[nodiscard]] std::int64_t partTargetMs() const { return options_.partTargetMs; }

 private:
  bool onFrame(std::int64_t ts);
  void closePart(std::int64_t endTs);

  PartCutterOptions options_;
  std::optional<std::int64_t> segmentStart_;  // first frame of the current segment
  std::int64_t partStart_ = 0;                // first frame of the current part
  std::int64_t lastTs_ = 0;                   // newest frame seen in the current segment
  std::int64_t meanFrom_ = 0;                 // the mean frame interval is measured from here
  std::int64_t intervals_ = 0;                // frame intervals seen since meanFrom_
  std::int64_t partFrames_ = 0;               // frames in the current part
  std::int64_t lastPartMs_ = 0;
  bool openerPending_ = false;  // segmentStarted() announced a frame not asked about yet
};

}  // namespace ls::hls
