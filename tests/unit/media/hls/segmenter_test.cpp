#include "media/hls/segmenter.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace ls::hls {
namespace {

struct Cut {
  std::int64_t atTs;
  std::int64_t durationMs;
  CutReason reason;
  bool discontinuity;

  friend bool operator==(const Cut&, const Cut&) = default;
};

std::ostream& operator<<(std::ostream& os, const Cut& c) {
  return os << "{at " << c.atTs << ", " << c.durationMs << " ms, " << cutReasonName(c.reason)
            << (c.discontinuity ? ", disc" : "") << "}";
}

// Records the cuts a frame sequence produces.
struct Recorder {
  explicit Recorder(SegmenterOptions o) : s(o) {}

  SegmentDecision video(std::int64_t dts, bool key, std::size_t bytes = 1000) {
    return record(dts, s.onVideo(dts, key, bytes));
  }
  SegmentDecision audio(std::int64_t pts, std::size_t bytes = 200) { return record(pts, s.onAudio(pts, bytes)); }
  SegmentDecision record(std::int64_t ts, SegmentDecision d) {
    if (d.action == FrameAction::kCutThenAppend) cuts.push_back({ts, d.closedDurationMs, d.reason, d.discontinuity});
    if (d.action == FrameAction::kDrop) ++dropped;
    return d;
  }

  Segmenter s;
  std::vector<Cut> cuts;
  int dropped = 0;
};

// dts of frame k at 30 fps on RTMP's millisecond timeline.
std::int64_t frameTs(int k) {
  return (k * 1000 + 15) / 30;
}

SegmenterOptions videoOnly() {
  SegmenterOptions o;
  o.hasAudio = false;
  return o;
}

TEST(Segmenter, CutsAtKeyframesEveryTwoSeconds) {
  Recorder r(videoOnly());
  for (int k = 0; k <= 180; ++k) r.video(frameTs(k), k % 60 == 0);
  EXPECT_EQ(r.cuts, (std::vector<Cut>{{2000, 2000, CutReason::kTarget, false},
                                      {4000, 2000, CutReason::kTarget, false},
                                      {6000, 2000, CutReason::kTarget, false}}));
  EXPECT_EQ(r.s.segmentStart(), 6000);
}

TEST(Segmenter, KeyframeBeforeTargetDoesNotCut) {
  Recorder r(videoOnly());
  for (int k = 0; k <= 90; ++k) r.video(frameTs(k), k % 30 == 0);  // a keyframe every second
  EXPECT_EQ(r.cuts, (std::vector<Cut>{{2000, 2000, CutReason::kTarget, false}}));
}

TEST(Segmenter, FirstKeyframeAtOrAfterTargetEndsTheSegment) {
  Recorder r(videoOnly());
  for (int k = 0; k <= 150; ++k) r.video(frameTs(k), k % 45 == 0);  // every 1.5 s: cut at 3 s
  EXPECT_EQ(r.cuts, (std::vector<Cut>{{3000, 3000, CutReason::kTarget, false}}));
}

TEST(Segmenter, RareKeyframesCutAtTheNextKeyframeAndReportOverlong) {
  Recorder r(videoOnly());
  for (int k = 0; k <= 600; ++k) r.video(frameTs(k), k % 300 == 0);  // every 10 s
  EXPECT_EQ(r.cuts, (std::vector<Cut>{{10'000, 10'000, CutReason::kOverlong, false},
                                      {20'000, 10'000, CutReason::kOverlong, false}}));
}

TEST(Segmenter, NoKeyframeForTooLongForcesACut) {
  Recorder r(videoOnly());
  for (int k = 0; k <= 1000; ++k) r.video(frameTs(k), k == 0);
  ASSERT_EQ(r.cuts.size(), 1u);
  EXPECT_EQ(r.cuts[0], (Cut{30'000, 30'000, CutReason::kNoKeyframe, false}));
}

TEST(Segmenter, DropsVideoBeforeTheFirstKeyframe) {
  Recorder r(videoOnly());
  EXPECT_EQ(r.video(0, false).action, FrameAction::kDrop);
  EXPECT_EQ(r.video(33, false).action, FrameAction::kDrop);
  EXPECT_FALSE(r.s.segmentOpen());
  EXPECT_EQ(r.video(67, true).action, FrameAction::kAppend);
  EXPECT_TRUE(r.s.segmentOpen());
  EXPECT_EQ(r.s.segmentStart(), 67);
  EXPECT_EQ(r.video(100, false).action, FrameAction::kAppend);
  EXPECT_EQ(r.dropped, 2);
}

TEST(Segmenter, AudioOnlyCutsOnTime) {
  SegmenterOptions o;
  o.hasVideo = false;
  Recorder r(o);
  // AAC frames of 1024 samples at 44.1 kHz: 23.2 ms apart.
  for (int k = 0; k <= 200; ++k) r.audio(static_cast<std::int64_t>(k) * 1024'000 / 44'100);
  // Frame 87 (2020 ms) is the first at or past 2 s; frame 174 (4040 ms) the
  // first at or past 2020 + 2000.
  EXPECT_EQ(r.cuts,
            (std::vector<Cut>{{2020, 2020, CutReason::kTarget, false}, {4040, 2020, CutReason::kTarget, false}}));
}

TEST(Segmenter, AudioDoesNotCutWhileVideoFlows) {
  Recorder r(SegmenterOptions{});
  for (int k = 0; k <= 120; ++k) {
    // Audio stamped 5 ms late arrives first; the first segment still starts
    // at the keyframe's 0 ms, and later ones exactly at their keyframes.
    r.audio(frameTs(k) + 5);
    r.video(frameTs(k), k % 60 == 0);
  }
  EXPECT_EQ(r.cuts,
            (std::vector<Cut>{{2000, 2000, CutReason::kTarget, false}, {4000, 2000, CutReason::kTarget, false}}));
}

TEST(Segmenter, AudioBeforeTheFirstKeyframeOpensTheSegment) {
  Recorder r(SegmenterOptions{});
  EXPECT_EQ(r.audio(0).action, FrameAction::kAppend);
  EXPECT_EQ(r.video(10, false).action, FrameAction::kDrop);
  EXPECT_EQ(r.audio(23).action, FrameAction::kAppend);
  EXPECT_EQ(r.video(40, true).action, FrameAction::kAppend);
  EXPECT_EQ(r.s.segmentStart(), 0);
  // The segment runs from the first audio frame to the next cut.
  for (int k = 1; k <= 60; ++k) r.video(40 + frameTs(k), k == 60);
  EXPECT_EQ(r.cuts, (std::vector<Cut>{{2040, 2040, CutReason::kTarget, false}}));
}

TEST(Segmenter, StalledVideoLetsAudioCutOnceOverlong) {
  Recorder r(SegmenterOptions{});
  r.video(0, true);
  r.video(33, false);
  for (std::int64_t pts = 0; pts <= 14'000; pts += 20) r.audio(pts);
  // Video stopped at 33 ms: audio cuts every 6 s (the overlong limit).
  EXPECT_EQ(r.cuts, (std::vector<Cut>{{6000, 6000, CutReason::kVideoStalled, false},
                                      {12'000, 6000, CutReason::kVideoStalled, false}}));
}

TEST(Segmenter, AvStreamWithoutVideoStillGetsSegments) {
  Recorder r(SegmenterOptions{});
  for (std::int64_t pts = 0; pts <= 6500; pts += 20) {
    r.audio(pts);
    r.video(pts, false);  // never a keyframe: dropped, counts as stalled
  }
  EXPECT_EQ(r.cuts, (std::vector<Cut>{{6000, 6000, CutReason::kVideoStalled, false}}));
}

TEST(Segmenter, BackwardJumpClosesTheSegmentAsDiscontinuity) {
  Recorder r(videoOnly());
  for (int k = 0; k < 30; ++k) r.video(frameTs(k), k == 0);  // 0 .. 967 ms
  // The publisher's timeline restarts at 0 on a keyframe.
  const SegmentDecision d = r.video(0, true);
  EXPECT_EQ(d.action, FrameAction::kCutThenAppend);
  EXPECT_TRUE(d.discontinuity);
  // 967 ms last dts + the last frame interval (967 - 933).
  EXPECT_EQ(d.closedDurationMs, 1001);
  EXPECT_EQ(r.s.segmentStart(), 0);
  for (int k = 1; k <= 60; ++k) r.video(frameTs(k), k == 60);
  EXPECT_EQ(r.cuts,
            (std::vector<Cut>{{0, 1001, CutReason::kTimestampJump, true}, {2000, 2000, CutReason::kTarget, false}}));
}

TEST(Segmenter, SmallBackwardStepIsJitterNotAJump) {
  Recorder r(videoOnly());
  r.video(1000, true);
  r.video(1033, false);
  EXPECT_EQ(r.video(900, false).action, FrameAction::kAppend);
  EXPECT_TRUE(r.cuts.empty());
}

TEST(Segmenter, ForwardJumpOnEitherTrackIsADiscontinuityOnce) {
  Recorder r(SegmenterOptions{});
  r.video(0, true);
  r.audio(0);
  r.video(33, false);
  r.audio(23);
  // Both tracks jump one hour ahead; only the first one to show it cuts.
  EXPECT_EQ(r.audio(3'600'000).action, FrameAction::kCutThenAppend);
  EXPECT_EQ(r.video(3'600'010, false).action, FrameAction::kAppend);
  EXPECT_EQ(r.audio(3'600'023).action, FrameAction::kAppend);
  // 33 ms latest timestamp + the 33 ms video interval.
  EXPECT_EQ(r.cuts, (std::vector<Cut>{{3'600'000, 66, CutReason::kTimestampJump, true}}));
}

TEST(Segmenter, SizeLimitForcesACut) {
  SegmenterOptions o = videoOnly();
  o.maxSegmentBytes = 10'000;
  Recorder r(o);
  r.video(0, true, 4000);
  r.video(33, false, 4000);
  EXPECT_EQ(r.video(67, false, 4000).reason, CutReason::kSizeLimit);
  EXPECT_EQ(r.cuts, (std::vector<Cut>{{67, 67, CutReason::kSizeLimit, false}}));
  // A single frame over the limit still goes somewhere (alone).
  EXPECT_EQ(r.video(100, false, 50'000).reason, CutReason::kSizeLimit);
  EXPECT_EQ(r.video(133, false, 10).reason, CutReason::kSizeLimit);
}

TEST(Segmenter, FinishReportsThePartialSegment) {
  Recorder r(videoOnly());
  EXPECT_EQ(r.s.finish(), std::nullopt);
  for (int k = 0; k <= 75; ++k) r.video(frameTs(k), k % 60 == 0);
  // Segment from 2000 ms to 2500 ms, plus the last frame's 33 ms.
  EXPECT_EQ(r.s.finish(), std::optional<std::int64_t>{533});
  EXPECT_FALSE(r.s.segmentOpen());
  EXPECT_EQ(r.s.finish(), std::nullopt);
}

TEST(Segmenter, IgnoresTracksTheStreamDoesNotHave) {
  Recorder r(videoOnly());
  EXPECT_EQ(r.audio(0).action, FrameAction::kDrop);
  EXPECT_FALSE(r.s.segmentOpen());
}

TEST(Segmenter, ExtremeTimestampsNeverGiveNegativeDurations) {
  Recorder r(SegmenterOptions{});
  const std::int64_t lo = std::numeric_limits<std::int64_t>::min();
  const std::int64_t hi = std::numeric_limits<std::int64_t>::max();
  for (std::int64_t ts : {lo, hi, lo, std::int64_t{0}, hi, hi, lo}) {
    r.video(ts, true);
    r.audio(ts);
  }
  ASSERT_FALSE(r.cuts.empty());
  for (const Cut& c : r.cuts) EXPECT_GE(c.durationMs, 0) << c;
  const auto last = r.s.finish();
  ASSERT_TRUE(last.has_value());
  EXPECT_GE(*last, 0);
}

TEST(Segmenter, NonsenseOptionsAreClamped) {
  SegmenterOptions o;
  o.targetMs = -1;
  o.maxSegmentBytes = 0;
  Segmenter s(o);
  EXPECT_EQ(s.options().targetMs, 1);
  EXPECT_EQ(s.options().overlongMs, 3);
  EXPECT_EQ(s.options().forceCutMs, 15);
  EXPECT_EQ(s.options().maxSegmentBytes, SegmenterOptions{}.maxSegmentBytes);
}

}  // namespace
}  // namespace ls::hls
