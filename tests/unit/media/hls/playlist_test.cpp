#include "media/hls/playlist.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace ls::hls {
namespace {

constexpr UnixMillis kT0 = 1768241558918;  // 2026-01-12T18:12:38.918Z

PlaylistSegment seg(std::uint64_t n, std::int64_t ms, std::optional<UnixMillis> pdt = std::nullopt,
                    bool discontinuity = false) {
  return {"seg" + std::to_string(n) + ".ts", ms, pdt, discontinuity};
}

TEST(TargetDuration, RoundsUpToWholeSecondsAtLeastOne) {
  EXPECT_EQ(targetDurationFor(0), 1);
  EXPECT_EQ(targetDurationFor(-5), 1);
  EXPECT_EQ(targetDurationFor(999), 1);
  EXPECT_EQ(targetDurationFor(1000), 1);
  EXPECT_EQ(targetDurationFor(1001), 1);
  EXPECT_EQ(targetDurationFor(1499), 1);
  EXPECT_EQ(targetDurationFor(1500), 2);
  EXPECT_EQ(targetDurationFor(2000), 2);
  EXPECT_EQ(targetDurationFor(2002), 2);  // 60 frames at 29.97 fps
  EXPECT_EQ(targetDurationFor(2499), 2);
  EXPECT_EQ(targetDurationFor(2500), 3);
  EXPECT_EQ(targetDurationFor(10'000), 10);
}

TEST(FormatSeconds, ThreeDecimalsFromIntegerMillis) {
  EXPECT_EQ(formatMillisAsSeconds(0), "0.000");
  EXPECT_EQ(formatMillisAsSeconds(7), "0.007");
  EXPECT_EQ(formatMillisAsSeconds(2000), "2.000");
  EXPECT_EQ(formatMillisAsSeconds(2002), "2.002");
  EXPECT_EQ(formatMillisAsSeconds(123'456), "123.456");
  EXPECT_EQ(formatMillisAsSeconds(-40), "0.000");
  EXPECT_EQ(formatMillisAsSeconds(std::numeric_limits<std::int64_t>::max()), "9223372036854775.807");
}

TEST(MediaPlaylist, LiveWindowWithProgramDateTime) {
  MediaPlaylist p;
  p.targetDurationSec = 2;
  p.mediaSequence = 0;
  p.segments = {seg(0, 2000, kT0), seg(1, 2000, kT0 + 2000), seg(2, 1960, kT0 + 4000)};
  EXPECT_EQ(renderMediaPlaylist(p),
            "#EXTM3U\n"
            "#EXT-X-VERSION:3\n"
            "#EXT-X-TARGETDURATION:2\n"
            "#EXT-X-MEDIA-SEQUENCE:0\n"
            "#EXT-X-DISCONTINUITY-SEQUENCE:0\n"
            "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:38.918Z\n"
            "#EXTINF:2.000,\n"
            "seg0.ts\n"
            "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:40.918Z\n"
            "#EXTINF:2.000,\n"
            "seg1.ts\n"
            "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:42.918Z\n"
            "#EXTINF:1.960,\n"
            "seg2.ts\n");
}

TEST(MediaPlaylist, SlidWindowCarriesSequencesAndDiscontinuity) {
  MediaPlaylist p;
  p.targetDurationSec = 3;
  p.mediaSequence = 41;
  p.discontinuitySequence = 2;
  p.segments = {seg(41, 2500), seg(42, 833, std::nullopt, true), seg(43, 2002)};
  EXPECT_EQ(renderMediaPlaylist(p),
            "#EXTM3U\n"
            "#EXT-X-VERSION:3\n"
            "#EXT-X-TARGETDURATION:3\n"
            "#EXT-X-MEDIA-SEQUENCE:41\n"
            "#EXT-X-DISCONTINUITY-SEQUENCE:2\n"
            "#EXTINF:2.500,\n"
            "seg41.ts\n"
            "#EXT-X-DISCONTINUITY\n"
            "#EXTINF:0.833,\n"
            "seg42.ts\n"
            "#EXTINF:2.002,\n"
            "seg43.ts\n");
}

TEST(MediaPlaylist, EndedPlaylistHasEndlistAndDiscontinuityBeforeDateTime) {
  MediaPlaylist p;
  p.targetDurationSec = 2;
  p.mediaSequence = 7;
  p.segments = {seg(7, 2000, kT0), seg(8, 400, kT0 + 60'000, true)};
  p.ended = true;
  EXPECT_EQ(renderMediaPlaylist(p),
            "#EXTM3U\n"
            "#EXT-X-VERSION:3\n"
            "#EXT-X-TARGETDURATION:2\n"
            "#EXT-X-MEDIA-SEQUENCE:7\n"
            "#EXT-X-DISCONTINUITY-SEQUENCE:0\n"
            "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:12:38.918Z\n"
            "#EXTINF:2.000,\n"
            "seg7.ts\n"
            "#EXT-X-DISCONTINUITY\n"
            "#EXT-X-PROGRAM-DATE-TIME:2026-01-12T18:13:38.918Z\n"
            "#EXTINF:0.400,\n"
            "seg8.ts\n"
            "#EXT-X-ENDLIST\n");
}

TEST(MediaPlaylist, EmptyWindowStillHasAValidHeader) {
  MediaPlaylist p;
  p.targetDurationSec = 0;  // clamped: players reject 0
  EXPECT_EQ(renderMediaPlaylist(p),
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n"
            "#EXT-X-DISCONTINUITY-SEQUENCE:0\n");
}

TEST(MasterPlaylist, VideoVariantsAndAnAudioOnlyOne) {
  std::vector<Variant> variants;
  variants.push_back(
      {"original/index.m3u8", 3'300'000, 3'050'000, 1920, 1080, "avc1.64002a,mp4a.40.2", 30.0, "original"});
  variants.push_back({"720p/index.m3u8", 3'100'000, 2'900'000, 1280, 720, "avc1.64001f,mp4a.40.2", 29.97, "720p"});
  variants.push_back({"audio/index.m3u8", 140'000, 129'000, 0, 0, "mp4a.40.2", 0, "audio"});
  EXPECT_EQ(renderMasterPlaylist(variants),
            "#EXTM3U\n"
            "#EXT-X-VERSION:3\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=3300000,AVERAGE-BANDWIDTH=3050000,RESOLUTION=1920x1080,"
            "CODECS=\"avc1.64002a,mp4a.40.2\",FRAME-RATE=30.000\n"
            "original/index.m3u8\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=3100000,AVERAGE-BANDWIDTH=2900000,RESOLUTION=1280x720,"
            "CODECS=\"avc1.64001f,mp4a.40.2\",FRAME-RATE=29.970\n"
            "720p/index.m3u8\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=140000,AVERAGE-BANDWIDTH=129000,CODECS=\"mp4a.40.2\"\n"
            "audio/index.m3u8\n");
}

TEST(MasterPlaylist, OmitsUnknownOptionalAttributes) {
  std::vector<Variant> variants;
  variants.push_back({"original/index.m3u8", 800'000, 0, 640, 360, "avc1.42c01e", 23.976023976, "original"});
  variants.push_back({"x/index.m3u8", 1, 0, 640, 0, "", std::numeric_limits<double>::quiet_NaN(), "x"});
  EXPECT_EQ(renderMasterPlaylist(variants),
            "#EXTM3U\n"
            "#EXT-X-VERSION:3\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS=\"avc1.42c01e\",FRAME-RATE=23.976\n"
            "original/index.m3u8\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=1\n"
            "x/index.m3u8\n");
}

}  // namespace
}  // namespace ls::hls
