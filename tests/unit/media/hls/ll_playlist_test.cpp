#include "media/hls/ll_playlist.hpp"

#include <gtest/gtest.h>

#include <string>

#include "ll_playlist_samples.hpp"

namespace ls::hls {
namespace {

using testing::kLlT0;
using testing::llLive;
using testing::llParts;

// 1 s segments of two 500 ms parts: short whole strings.
LlMediaPlaylist compact(std::uint64_t first, std::size_t finished, std::size_t openParts) {
  LlMediaPlaylist p;
  p.targetDurationSec = 1;
  p.partTargetMs = 500;
  p.mediaSequence = first;
  for (std::size_t i = 0; i < finished; ++i) {
    const std::uint64_t msn = first + i;
    p.segments.push_back({"seg" + std::to_string(msn) + ".m4s", 1000, kLlT0 + static_cast<std::int64_t>(i) * 1000,
                          false, llParts(msn, 2, 500), {}});
  }
  const std::uint64_t open = first + finished;
  p.openParts = llParts(open, openParts, 500);
  p.openProgramDateTime = kLlT0 + static_cast<std::int64_t>(finished) * 1000;
  p.preloadHintUri = testing::partUri(open, openParts);
  return p;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

TEST(LlPlaylist, LiveEdgeWithPartsHintAndReports) {
  LlMediaPlaylist p = compact(40, 4, 1);
  p.renditionReports = {{"../720p/ll.m3u8", 44, 0}, {"../audio/ll.m3u8", 43, std::nullopt}};
  EXPECT_EQ(renderLlMediaPlaylist(p),
            "#EXTM3U\n"
            "#EXT-X-VERSION:9\n"
            "#EXT-X-TARGETDURATION:1\n"
            "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=6.000,PART-HOLD-BACK=1.500\n"
            "#EXT-X-PART-INF:PART-TARGET=0.500\n"
            "#EXT-X-MEDIA-SEQUENCE:40\n"
            "#EXT-X-DISCONTINUITY-SEQUENCE:0\n"
            "#EXT-X-MAP:URI=\"init.mp4\"\n"
            "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:38.918Z\n"
            "#EXTINF:1.000,\n"
            "seg40.m4s\n"
            "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:39.918Z\n"
            "#EXTINF:1.000,\n"
            "seg41.m4s\n"
            "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:40.918Z\n"
            "#EXT-X-PART:DURATION=0.500,URI=\"seg42.0.m4s\",INDEPENDENT=YES\n"
            "#EXT-X-PART:DURATION=0.500,URI=\"seg42.1.m4s\"\n"
            "#EXTINF:1.000,\n"
            "seg42.m4s\n"
            "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:41.918Z\n"
            "#EXT-X-PART:DURATION=0.500,URI=\"seg43.0.m4s\",INDEPENDENT=YES\n"
            "#EXT-X-PART:DURATION=0.500,URI=\"seg43.1.m4s\"\n"
            "#EXTINF:1.000,\n"
            "seg43.m4s\n"
            "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:42.918Z\n"
            "#EXT-X-PART:DURATION=0.500,URI=\"seg44.0.m4s\",INDEPENDENT=YES\n"
            "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg44.1.m4s\"\n"
            "#EXT-X-RENDITION-REPORT:URI=\"../720p/ll.m3u8\",LAST-MSN=44,LAST-PART=0\n"
            "#EXT-X-RENDITION-REPORT:URI=\"../audio/ll.m3u8\",LAST-MSN=43\n");
}

TEST(LlPlaylist, DeltaUpdateV2WithDiscontinuities) {
  LlMediaPlaylist p = compact(40, 9, 1);
  p.discontinuitySequence = 2;
  p.segments[1].discontinuityBefore = true;  // skipped: the client has it from its last full reload
  p.segments[7].discontinuityBefore = true;
  p.segments[7].parts[1].durationMs = 400;  // last part of a segment may be short
  p.segments[7].durationMs = 900;
  p.openDiscontinuityBefore = true;
  p.mapUri = "init.mp4";
  // End of the Playlist: 8.9 s of segments + 0.5 s of parts = 9.4 s; the Skip
  // Boundary is 6 s, so seg40..42 (ending 6.4 s and more before the end) go;
  // seg43 ends 5.4 s before the end and stays.
  EXPECT_EQ(skippedSegments(p, SkipRequest::kV2), 3u);
  EXPECT_EQ(renderLlMediaPlaylist(p, SkipRequest::kV2),
            "#EXTM3U\n"
            "#EXT-X-VERSION:9\n"
            "#EXT-X-TARGETDURATION:1\n"
            "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=6.000,PART-HOLD-BACK=1.500\n"
            "#EXT-X-PART-INF:PART-TARGET=0.500\n"
            "#EXT-X-MEDIA-SEQUENCE:40\n"
            "#EXT-X-DISCONTINUITY-SEQUENCE:2\n"
            "#EXT-X-SKIP:SKIPPED-SEGMENTS=3,RECENTLY-REMOVED-DATERANGES=\"\"\n"
            "#EXT-X-MAP:URI=\"init.mp4\"\n"
            "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:41.918Z\n"
            "#EXTINF:1.000,\n"
            "seg43.m4s\n"
            "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:42.918Z\n"
            "#EXTINF:1.000,\n"
            "seg44.m4s\n"
            "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:43.918Z\n"
            "#EXTINF:1.000,\n"
            "seg45.m4s\n"
            "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:44.918Z\n"
            "#EXTINF:1.000,\n"
            "seg46.m4s\n"
            "#EXT-X-DISCONTINUITY\n"
            "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:45.918Z\n"
            "#EXT-X-PART:DURATION=0.500,URI=\"seg47.0.m4s\",INDEPENDENT=YES\n"
            "#EXT-X-PART:DURATION=0.400,URI=\"seg47.1.m4s\"\n"
            "#EXTINF:0.900,\n"
            "seg47.m4s\n"
            "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:46.918Z\n"
            "#EXT-X-PART:DURATION=0.500,URI=\"seg48.0.m4s\",INDEPENDENT=YES\n"
            "#EXT-X-PART:DURATION=0.500,URI=\"seg48.1.m4s\"\n"
            "#EXTINF:1.000,\n"
            "seg48.m4s\n"
            "#EXT-X-DISCONTINUITY\n"
            "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:47.918Z\n"
            "#EXT-X-PART:DURATION=0.500,URI=\"seg49.0.m4s\",INDEPENDENT=YES\n"
            "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg49.1.m4s\"\n");
  // _HLS_skip=YES: the same without RECENTLY-REMOVED-DATERANGES.
  const std::string yes = renderLlMediaPlaylist(p, SkipRequest::kYes);
  EXPECT_NE(yes.find("#EXT-X-SKIP:SKIPPED-SEGMENTS=3\n"), std::string::npos);
  EXPECT_EQ(count(yes, "RECENTLY-REMOVED-DATERANGES"), 0u);
}

// A codec change mid-stream: each segment names its init segment; EXT-X-MAP
// comes before the first segment listed (after EXT-X-SKIP in a delta update)
// and wherever the init changes, after EXT-X-DISCONTINUITY and before the
// segment's date and parts.
TEST(LlPlaylist, MapBeforeTheFirstSegmentAndWhereverItChanges) {
  LlMediaPlaylist p = compact(40, 9, 1);
  for (std::size_t i = 0; i < 4; ++i) p.segments[i].mapUri = "init.mp4";
  for (std::size_t i = 4; i < 9; ++i) p.segments[i].mapUri = "init44.mp4";
  p.segments[4].discontinuityBefore = true;
  p.mapUri = "init49.mp4";  // the open segment: a second change
  p.openDiscontinuityBefore = true;
  const std::string full = renderLlMediaPlaylist(p);
  EXPECT_EQ(count(full, "#EXT-X-MAP:"), 3u) << full;
  EXPECT_NE(full.find("#EXT-X-DISCONTINUITY-SEQUENCE:0\n#EXT-X-MAP:URI=\"init.mp4\"\n"
                      "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:38.918Z\n#EXTINF:1.000,\nseg40.m4s\n"),
            std::string::npos)
      << full;
  EXPECT_NE(full.find("seg43.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init44.mp4\"\n"
                      "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:42.918Z\n#EXTINF:1.000,\nseg44.m4s\n"),
            std::string::npos)
      << full;
  EXPECT_NE(full.find("seg48.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init49.mp4\"\n"
                      "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:47.918Z\n"
                      "#EXT-X-PART:DURATION=0.500,URI=\"seg49.0.m4s\",INDEPENDENT=YES\n"),
            std::string::npos)
      << full;
  // Delta update: seg40..42 skipped; seg43 still uses init.mp4, so the map
  // after EXT-X-SKIP is init.mp4, then init44.mp4 at seg44.
  ASSERT_EQ(skippedSegments(p, SkipRequest::kYes), 3u);
  const std::string delta = renderLlMediaPlaylist(p, SkipRequest::kYes);
  EXPECT_NE(delta.find("#EXT-X-SKIP:SKIPPED-SEGMENTS=3\n#EXT-X-MAP:URI=\"init.mp4\"\n"
                       "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:41.918Z\n#EXTINF:1.000,\nseg43.m4s\n"
                       "#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init44.mp4\"\n"),
            std::string::npos)
      << delta;
  EXPECT_EQ(count(delta, "#EXT-X-MAP:"), 3u) << delta;
  // The skip ends right at the change: the first segment after it gets the new map.
  for (std::size_t i = 0; i < 4; ++i) p.segments[i].mapUri = "init.mp4";
  p.segments[3].mapUri = "init43.mp4";
  for (std::size_t i = 4; i < 9; ++i) p.segments[i].mapUri = "init43.mp4";
  p.segments[4].discontinuityBefore = false;
  const std::string atChange = renderLlMediaPlaylist(p, SkipRequest::kYes);
  EXPECT_NE(atChange.find("#EXT-X-SKIP:SKIPPED-SEGMENTS=3\n#EXT-X-MAP:URI=\"init43.mp4\"\n"), std::string::npos)
      << atChange;
  EXPECT_EQ(count(atChange, "#EXT-X-MAP:"), 2u) << atChange;  // init43, then init49 for the open segment
  // One init throughout: a single EXT-X-MAP; a segment without its own map uses the playlist's.
  LlMediaPlaylist plain = compact(40, 3, 1);
  plain.segments[1].mapUri = "init.mp4";
  EXPECT_EQ(count(renderLlMediaPlaylist(plain), "#EXT-X-MAP:URI=\"init.mp4\"\n"), 1u);
  // Nothing listed yet (only the hint): the map is still there.
  EXPECT_EQ(count(renderLlMediaPlaylist(compact(40, 0, 0)), "#EXT-X-MAP:URI=\"init.mp4\"\n"), 1u);
}

TEST(LlPlaylist, EndedHasEndlistAndNoHintNorSkip) {
  LlMediaPlaylist p = compact(7, 8, 0);
  p.ended = true;
  p.preloadHintUri = "seg15.0.m4s";  // ignored once ended (§4.4.5.3)
  p.openParts = llParts(15, 1, 500);  // likewise: the packager publishes the last segment first
  EXPECT_EQ(skippedSegments(p, SkipRequest::kYes), 0u);  // §6.2.5.1: _HLS_skip ignored with ENDLIST
  const std::string text = renderLlMediaPlaylist(p, SkipRequest::kYes);
  EXPECT_EQ(count(text, "#EXT-X-PRELOAD-HINT"), 0u);
  EXPECT_EQ(count(text, "#EXT-X-SKIP"), 0u);
  EXPECT_EQ(count(text, "seg15"), 0u);
  EXPECT_EQ(count(text, "#EXTINF:"), 8u);
  // Ended: no open segment; seg13 and seg14 lie within the last 3 target
  // durations (seg12 starts exactly 3 s before the end) and list their parts.
  EXPECT_EQ(count(text, "#EXT-X-PART:"), 4u);
  EXPECT_EQ(firstSegmentWithListedParts(p), 6u);
  EXPECT_TRUE(text.ends_with("#EXTINF:1.000,\nseg14.m4s\n#EXT-X-ENDLIST\n")) << text;
}

TEST(LlPlaylist, HoldBacksFromTheTargets) {
  EXPECT_EQ(partHoldBackMs(200), 600);
  EXPECT_EQ(partHoldBackMs(333), 999);
  EXPECT_EQ(partHoldBackMs(0), 3);
  EXPECT_EQ(canSkipUntilMs(2), 12'000);
  EXPECT_EQ(canSkipUntilMs(0), 6'000);
  for (std::int64_t part = 100; part <= 1000; part += 50) {
    EXPECT_GE(partHoldBackMs(part), 3 * part);  // §4.4.3.8: MUST >= 2x, SHOULD >= 3x
  }
  for (std::int64_t target = 1; target <= 12; ++target) {
    EXPECT_GE(canSkipUntilMs(target), 6 * target * 1000);  // §4.4.3.8: Skip Boundary >= 6x
  }
  LlMediaPlaylist p = llLive(0, 2, 1);
  EXPECT_NE(renderLlMediaPlaylist(p).find(
                "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.000,PART-HOLD-BACK=0.600\n"
                "#EXT-X-PART-INF:PART-TARGET=0.200\n"),
            std::string::npos);
}

// §6.2.5.1: a delta update skips exactly the leading segments that end more
// than CAN-SKIP-UNTIL before the end of the Playlist, at every live-edge phase.
TEST(LlPlaylist, SkipBoundaryAtEveryPhase) {
  for (std::size_t openParts = 0; openParts <= 10; ++openParts) {
    const LlMediaPlaylist p = llLive(100, 10, openParts);
    const std::int64_t end = 10 * 2000 + static_cast<std::int64_t>(openParts) * 200;
    const std::size_t skipped = skippedSegments(p, SkipRequest::kYes);
    for (std::size_t i = 0; i < p.segments.size(); ++i) {
      const std::int64_t segmentEnd = static_cast<std::int64_t>(i + 1) * 2000;
      EXPECT_EQ(i < skipped, end - segmentEnd > canSkipUntilMs(2)) << openParts << " open parts, segment " << i;
    }
    EXPECT_EQ(skippedSegments(p, SkipRequest::kNone), 0u);
    const std::string text = renderLlMediaPlaylist(p, SkipRequest::kYes);
    EXPECT_NE(text.find("#EXT-X-SKIP:SKIPPED-SEGMENTS=" + std::to_string(skipped) + "\n"), std::string::npos);
    EXPECT_EQ(count(text, "#EXTINF:"), 10 - skipped);
    EXPECT_NE(text.find("#EXT-X-MAP:URI=\"init.mp4\"\n#EXT-X-PROGRAM-DATE-TIME:"), std::string::npos);
  }
  // 3 segments with the hint only (20 s - 6 s = 14 s > 12 s), 4 once a part is out.
  EXPECT_EQ(skippedSegments(llLive(100, 10, 0), SkipRequest::kYes), 3u);
  EXPECT_EQ(skippedSegments(llLive(100, 10, 1), SkipRequest::kV2), 4u);
  // A short window has nothing old enough to skip: no EXT-X-SKIP at all.
  EXPECT_EQ(skippedSegments(llLive(100, 6, 5), SkipRequest::kYes), 0u);
  EXPECT_EQ(count(renderLlMediaPlaylist(llLive(100, 6, 5), SkipRequest::kYes), "#EXT-X-SKIP"), 0u);
}

// §6.2.2: parts more than three target durations from the end go; those of a
// segment wholly within them stay; never more than three segments with parts.
TEST(LlPlaylist, PartsListedOnlyNearTheLiveEdge) {
  for (std::size_t openParts = 0; openParts < 10; ++openParts) {
    const LlMediaPlaylist p = llLive(100, 10, openParts);
    const std::string text = renderLlMediaPlaylist(p);
    const std::size_t first = firstSegmentWithListedParts(p);
    const std::int64_t end = 10 * 2000 + static_cast<std::int64_t>(openParts) * 200;
    for (std::size_t i = 0; i < p.segments.size(); ++i) {
      const std::int64_t start = static_cast<std::int64_t>(i) * 2000;
      const bool listed = text.find("seg" + std::to_string(100 + i) + ".0.m4s") != std::string::npos;
      EXPECT_EQ(listed, i >= first) << openParts << " " << i;
      if (listed) {
        EXPECT_LT(end - start, 3 * 2000) << openParts << " " << i;
      }
    }
    // The last finished segment always keeps its parts, and with the open one
    // at most three segments carry EXT-X-PART.
    EXPECT_EQ(first, 8u) << openParts;
    EXPECT_EQ(count(text, "#EXT-X-PART:"), 20 + openParts);
  }
  // A target raised to 6 s (a long segment earlier) would keep 9 segments of
  // 2 s: only the last two finished ones list parts.
  LlMediaPlaylist raised = llLive(100, 10, 3);
  raised.targetDurationSec = 6;
  EXPECT_EQ(firstSegmentWithListedParts(raised), 8u);
}

TEST(LlPlaylist, OpenSegmentTagsPrecedeItsFirstPart) {
  LlMediaPlaylist p = compact(1, 1, 1);
  p.openDiscontinuityBefore = true;
  const std::string text = renderLlMediaPlaylist(p);
  EXPECT_NE(text.find("seg1.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:39.918Z\n"
                      "#EXT-X-PART:DURATION=0.500,URI=\"seg2.0.m4s\",INDEPENDENT=YES\n"
                      "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg2.1.m4s\"\n"),
            std::string::npos)
      << text;
  // Right after a cut (no part yet) the open segment's tags wait for its first part.
  LlMediaPlaylist cut = compact(1, 2, 0);
  cut.openDiscontinuityBefore = true;
  const std::string cutText = renderLlMediaPlaylist(cut);
  EXPECT_EQ(count(cutText, "#EXT-X-DISCONTINUITY\n"), 0u);
  EXPECT_NE(cutText.find("seg2.m4s\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg3.0.m4s\"\n"), std::string::npos);
}

TEST(LlPlaylist, RenditionReportsForEveryOtherRendition) {
  LlMediaPlaylist p = llLive(10, 3, 2);
  p.renditionReports = {{"../original/ll.m3u8", 13, 1}, {"../480p/ll.m3u8", 13, 0}, {"../240p/ll.m3u8", 12, std::nullopt}};
  const std::string text = renderLlMediaPlaylist(p);
  EXPECT_NE(text.find("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg13.2.m4s\"\n"
                      "#EXT-X-RENDITION-REPORT:URI=\"../original/ll.m3u8\",LAST-MSN=13,LAST-PART=1\n"
                      "#EXT-X-RENDITION-REPORT:URI=\"../480p/ll.m3u8\",LAST-MSN=13,LAST-PART=0\n"
                      "#EXT-X-RENDITION-REPORT:URI=\"../240p/ll.m3u8\",LAST-MSN=12\n"),
            std::string::npos);
  // Delta updates keep them.
  EXPECT_EQ(count(renderLlMediaPlaylist(llLive(10, 10, 2), SkipRequest::kYes), "#EXT-X-RENDITION-REPORT:"), 1u);
}

// §4.4.4.9 on the sample playlists: every listed part <= PART-TARGET, and all
// but the last part of a segment (or an independent one) >= 85% of it.
TEST(LlPlaylist, SamplePartsWithinTheirBounds) {
  for (const auto& sample : testing::llSamples()) {
    const LlMediaPlaylist& p = sample.playlist;
    auto check = [&](const std::vector<LlPart>& parts, bool finished) {
      for (std::size_t i = 0; i < parts.size(); ++i) {
        EXPECT_LE(parts[i].durationMs, p.partTargetMs) << sample.name;
        const bool exempt = parts[i].independent || (finished && i + 1 == parts.size());
        if (!exempt) {
          EXPECT_GE(parts[i].durationMs * 100, p.partTargetMs * 85) << sample.name;
        }
      }
    };
    for (const LlSegment& s : p.segments) check(s.parts, true);
    check(p.openParts, false);
  }
}

}  // namespace
}  // namespace ls::hls
