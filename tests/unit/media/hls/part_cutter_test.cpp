#include "media/hls/part_cutter.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace ls::hls {
namespace {

// Timestamps of a constant frame rate as FLV carries them: whole ms, rounded
// (or truncated, as some encoders write them).
bool gTruncate = false;
std::int64_t frameTs(double fps, int index) {
  const double exact = index * 1000.0 / fps;
  return gTruncate ? static_cast<std::int64_t>(std::floor(exact)) : std::llround(exact);
}

struct Cut {
  std::vector<std::int64_t> parts;      // durations, in order
  std::vector<bool> lastOfSegment;      // parts[i] ended at a segment cut
  std::vector<int> cutFrames;           // frame indexes that opened a part
  std::vector<bool> overran;            // lastPartOverran() after each close
};

// Feeds `frames` video frames at `fps` with a segment cut every `gop` frames
// (keyframes), the way the packager drives the cutter.
Cut run(double fps, int frames, int gop, std::int64_t partTargetMs, bool video = true) {
  PartCutter cutter({partTargetMs, video});
  Cut out;
  std::int64_t partStart = 0;
  for (int i = 0; i < frames; ++i) {
    const std::int64_t ts = frameTs(fps, i);
    if (i % gop == 0) {
      cutter.segmentStarted(ts);
      if (i > 0) {
        out.parts.push_back(ts - partStart);
        out.lastOfSegment.push_back(true);
        out.overran.push_back(cutter.lastPartOverran());
        EXPECT_EQ(cutter.lastPartDurationMs(), ts - partStart);
      }
      // Asking about the announced frame again is harmless.
      EXPECT_FALSE(video ? cutter.cutBeforeVideo(ts) : cutter.cutBeforeAudio(ts));
      partStart = ts;
      out.cutFrames.push_back(i);
      continue;
    }
    const bool cut = video ? cutter.cutBeforeVideo(ts) : cutter.cutBeforeAudio(ts);
    if (cut) {
      out.parts.push_back(ts - partStart);
      out.lastOfSegment.push_back(false);
      out.overran.push_back(cutter.lastPartOverran());
      EXPECT_EQ(cutter.lastPartDurationMs(), ts - partStart);
      partStart = ts;
      out.cutFrames.push_back(i);
    }
  }
  return out;
}

// §4.4.4.9: parts <= PART-TARGET; all but a segment's last >= 85% of it. With
// a frame interval that fits the target (25, 30, 50, 60 fps at 200 ms; 30 fps
// at 400 ms and 500 ms; 24 fps at 250 ms) both hold for every part.
TEST(PartCutter, PartsWithinTargetAndAbove85Percent) {
  struct Case { double fps; int gop; std::int64_t target; std::int64_t expectedPart; };
  for (const Case c : {Case{25, 50, 200, 200}, Case{30, 60, 200, 200}, Case{50, 100, 200, 200},
                       Case{60, 120, 200, 200}, Case{30, 60, 400, 400}, Case{30, 60, 500, 500},
                       Case{30, 45, 200, 200}, Case{24, 48, 250, 250}}) {
    const Cut cut = run(c.fps, 30 * c.gop, c.gop, c.target);
    ASSERT_GT(cut.parts.size(), 20u);
    for (std::size_t i = 0; i < cut.parts.size(); ++i) {
      EXPECT_LE(cut.parts[i], c.target) << c.fps << " fps, part " << i;
      EXPECT_FALSE(cut.overran[i]);
      if (!cut.lastOfSegment[i]) {
        EXPECT_GE(cut.parts[i] * 100, c.target * 85) << c.fps << " fps, part " << i;
        EXPECT_GE(cut.parts[i], c.expectedPart - 1) << c.fps << " fps, part " << i;
      }
    }
  }
}

TEST(PartCutter, DeclaredTargetIsAWholeNumberOfFrames) {
  EXPECT_EQ(declaredPartTargetMs(200, videoFrameIntervalMs(30)), 200);
  EXPECT_EQ(declaredPartTargetMs(200, videoFrameIntervalMs(30000.0 / 1001.0)), 201);
  EXPECT_EQ(declaredPartTargetMs(200, videoFrameIntervalMs(25)), 200);
  EXPECT_EQ(declaredPartTargetMs(200, videoFrameIntervalMs(24)), 209);
  EXPECT_EQ(declaredPartTargetMs(200, videoFrameIntervalMs(60)), 200);
  EXPECT_EQ(declaredPartTargetMs(200, videoFrameIntervalMs(60000.0 / 1001.0)), 201);
  EXPECT_EQ(declaredPartTargetMs(200, aacFrameIntervalMs(44100)), 209);
  EXPECT_EQ(declaredPartTargetMs(200, aacFrameIntervalMs(48000)), 192);
  EXPECT_EQ(declaredPartTargetMs(333, videoFrameIntervalMs(30)), 334);  // 10 frames
  // A frame longer than the target: one frame per part.
  EXPECT_EQ(declaredPartTargetMs(200, videoFrameIntervalMs(2)), 500);
  // Unknown or implausible rates keep the configured target.
  EXPECT_EQ(declaredPartTargetMs(200, 0), 200);
  EXPECT_EQ(declaredPartTargetMs(200, videoFrameIntervalMs(0)), 200);
  EXPECT_EQ(declaredPartTargetMs(200, videoFrameIntervalMs(1e9)), 200);
  EXPECT_EQ(declaredPartTargetMs(200, videoFrameIntervalMs(std::nan(""))), 200);
  EXPECT_EQ(declaredPartTargetMs(200, aacFrameIntervalMs(0)), 200);
  EXPECT_EQ(declaredPartTargetMs(0, 0), 1);
}

// §4.4.4.9 at the usual rates, configured 200 ms: cut against the declared
// target, every part is <= it and all but a segment's last >= 85% of it, with
// timestamps rounded or truncated to the ms.
TEST(PartCutter, DeclaredTargetKeepsPartsWithinBoundsAtCommonRates) {
  struct Case { const char* name; double rate; bool video; };
  for (const bool truncate : {false, true}) {
    gTruncate = truncate;
    for (const Case c : {Case{"30", 30, true}, Case{"29.97", 30000.0 / 1001.0, true}, Case{"25", 25, true},
                         Case{"24", 24, true}, Case{"60", 60, true}, Case{"59.94", 60000.0 / 1001.0, true},
                         Case{"23.976", 24000.0 / 1001.0, true}, Case{"50", 50, true},
                         Case{"aac 44.1k", 44100.0 / 1024.0, false}, Case{"aac 48k", 48000.0 / 1024.0, false}}) {
      for (const std::int64_t configured : {200, 250, 333, 500}) {
        const double interval = c.video ? videoFrameIntervalMs(c.rate) : 1000.0 / c.rate;
        const std::int64_t declared = declaredPartTargetMs(configured, interval);
        const int gop = static_cast<int>(std::lround(2 * c.rate));
        const Cut cut = run(c.rate, 20 * gop, gop, declared, c.video);
        ASSERT_GT(cut.parts.size(), 20u);
        for (std::size_t i = 0; i < cut.parts.size(); ++i) {
          const std::string where = std::string(c.name) + (truncate ? " truncated" : "") + ", configured " +
                                    std::to_string(configured) + ", declared " + std::to_string(declared) +
                                    ", part " + std::to_string(i);
          EXPECT_LE(cut.parts[i], declared) << where;
          EXPECT_FALSE(cut.overran[i]) << where;
          if (!cut.lastOfSegment[i]) {
            EXPECT_GE(cut.parts[i] * 100, declared * 85) << where;
          }
        }
      }
    }
  }
  gTruncate = false;
}

// A frame longer than the target gets a part to itself, reported as overrun.
TEST(PartCutter, OneFrameLongerThanTheTargetIsItsOwnPart) {
  const Cut cut = run(4, 40, 8, 200);  // 250 ms frames
  ASSERT_FALSE(cut.parts.empty());
  for (std::size_t i = 0; i < cut.parts.size(); ++i) {
    EXPECT_EQ(cut.parts[i], 250);
    EXPECT_TRUE(cut.overran[i]);
  }
  // 5 fps: 200 ms frames fill the target exactly, no overrun.
  const Cut exact = run(5, 40, 10, 200);
  for (std::size_t i = 0; i < exact.parts.size(); ++i) {
    EXPECT_EQ(exact.parts[i], 200);
    EXPECT_FALSE(exact.overran[i]);
  }
}

// 29.97 fps: six frames span 200 or 201 ms in whole-ms timestamps. The cutter
// keeps six-frame parts (five would be 167 ms, under 85%) and reports the
// 1 ms overruns.
TEST(PartCutter, NtscRateOverrunsByAtMostOneMsAndSaysSo) {
  const Cut cut = run(30000.0 / 1001.0, 1800, 60, 200);
  bool sawOverrun = false;
  for (std::size_t i = 0; i < cut.parts.size(); ++i) {
    EXPECT_LE(cut.parts[i], 201);
    EXPECT_EQ(cut.overran[i], cut.parts[i] > 200);
    sawOverrun = sawOverrun || cut.overran[i];
    if (!cut.lastOfSegment[i]) {
      EXPECT_GE(cut.parts[i], 200);
    }
  }
  EXPECT_TRUE(sawOverrun);
}

// Every rendition fed the same timestamps cuts at the same frames, even one
// that joined later: the state restarts at each segment.
TEST(PartCutter, RenditionsJoiningLaterCutAtTheSameFrames) {
  PartCutter early({200, true});
  PartCutter late({200, true});
  std::vector<int> earlyCuts;
  std::vector<int> lateCuts;
  for (int i = 0; i < 600; ++i) {
    const std::int64_t ts = 1000 + frameTs(30, i) + (i % 7 == 3 ? 1 : 0);  // a little jitter
    const bool segmentStart = i % 60 == 0;
    if (segmentStart) {
      early.segmentStarted(ts);
      if (i >= 120) late.segmentStarted(ts);
    } else {
      if (early.cutBeforeVideo(ts) && i >= 120) earlyCuts.push_back(i);
      if (i > 120 && late.cutBeforeVideo(ts)) lateCuts.push_back(i);
    }
  }
  EXPECT_FALSE(earlyCuts.empty());
  EXPECT_EQ(earlyCuts, lateCuts);
}

TEST(PartCutter, AudioOnlyCutsOnAudioTimeAndVideoStreamsIgnoreAudio) {
  // AAC at 48 kHz: 1024 samples = 21.33 ms; nine frames (192 ms) per part.
  const Cut audio = run(48000.0 / 1024.0, 47 * 20, 94, 200, /*video=*/false);
  ASSERT_GT(audio.parts.size(), 50u);
  for (std::size_t i = 0; i < audio.parts.size(); ++i) {
    EXPECT_LE(audio.parts[i], 200);
    if (!audio.lastOfSegment[i]) {
      EXPECT_GE(audio.parts[i], 191);
    }
  }
  PartCutter withVideo({200, true});
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(withVideo.cutBeforeAudio(i * 21));
  PartCutter audioOnly({200, false});
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(audioOnly.cutBeforeVideo(i * 40));
}

// A gap inside a segment (frames dropped for a second) ends the part it falls
// in; the parts after it are 200 ms again, not cut at every frame.
TEST(PartCutter, GapInsideASegmentDoesNotSkewLaterParts) {
  PartCutter cutter({200, true});
  cutter.segmentStarted(0);
  std::vector<std::int64_t> cuts;
  for (int i = 1; i < 150; ++i) {
    const std::int64_t ts = frameTs(30, i) + (i >= 30 ? 1000 : 0);  // 1 s gap before frame 30
    if (cutter.cutBeforeVideo(ts)) cuts.push_back(ts);
  }
  ASSERT_GT(cuts.size(), 6u);
  EXPECT_EQ(cuts[4], 2000);  // 0-200-400-600-800, then the gap closes [800, 2000)
  for (std::size_t i = 5; i < cuts.size(); ++i) {
    EXPECT_EQ(cuts[i] - cuts[i - 1], 200) << i;
  }
}

TEST(PartCutter, FirstFrameWithoutSegmentStartAndOddTimestamps) {
  PartCutter cutter({200, true});
  EXPECT_EQ(cutter.lastPartDurationMs(), 0);
  EXPECT_FALSE(cutter.cutBeforeVideo(5000));  // opens the first part
  EXPECT_FALSE(cutter.cutBeforeVideo(5040));
  EXPECT_FALSE(cutter.cutBeforeVideo(5000));  // backwards: counts as no time
  EXPECT_FALSE(cutter.cutBeforeVideo(5080));
  EXPECT_FALSE(cutter.cutBeforeVideo(5120));
  EXPECT_TRUE(cutter.cutBeforeVideo(5200) || cutter.cutBeforeVideo(5240));
  // Extreme values neither crash nor overflow.
  cutter.segmentStarted(INT64_MAX);
  EXPECT_FALSE(cutter.cutBeforeVideo(INT64_MIN));
  EXPECT_TRUE(cutter.cutBeforeVideo(INT64_MAX) || true);
  cutter.segmentStarted(INT64_MIN);
  EXPECT_GE(cutter.lastPartDurationMs(), 0);
  // A non-positive target behaves as 1 ms.
  PartCutter tiny({0, true});
  EXPECT_EQ(tiny.partTargetMs(), 1);
  EXPECT_FALSE(tiny.cutBeforeVideo(0));
  EXPECT_TRUE(tiny.cutBeforeVideo(10));
}

}  // namespace
}  // namespace ls::hls
