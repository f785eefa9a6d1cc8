#include "media/abr/ladder.hpp"

#include <gtest/gtest.h>

namespace ls::abr {
namespace {

std::string sizes(const std::vector<PlannedRendition>& plan) {
  std::string out;
  for (const auto& p : plan) {
    if (!out.empty()) out += ' ';
    out += p.spec.name + "=" + std::to_string(p.width) + "x" + std::to_string(p.height);
  }
  return out;
}

TEST(Ladder, DefaultIsTheSpecsLadder) {
  EXPECT_EQ(formatLadder(defaultLadder()),
            "1080p:1920x1080:5M, 720p:1280x720:3M, 480p:854x480:1200k, 360p:640x360:800k");
  auto parsed = parseLadder(formatLadder(defaultLadder()));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(*parsed, defaultLadder());
}

TEST(Ladder, ParsesBitrateSuffixesAndSpaces) {
  auto parsed = parseLadder("  hd : 1280x720 : 3000k ,low:640x360:800000,top:1920x1080:5M");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed->size(), 3u);
  EXPECT_EQ((*parsed)[0], (RenditionSpec{"hd", 1280, 720, 3'000'000}));
  EXPECT_EQ((*parsed)[1], (RenditionSpec{"low", 640, 360, 800'000}));
  EXPECT_EQ((*parsed)[2], (RenditionSpec{"top", 1920, 1080, 5'000'000}));
}

TEST(Ladder, RejectsBadEntriesSayingWhich) {
  struct Case {
    const char* text;
    const char* expect;
  };
  for (const Case& c : {
           Case{"", "lists no rendition"},
           Case{"720p:1280x720", "entry 1 '720p:1280x720': expected name:WIDTHxHEIGHT:bitrate"},
           Case{"720p:1280x720:3M,480p:854by480:1M", "entry 2 '480p:854by480:1M': size '854by480' is not WIDTHxHEIGHT"},
           Case{"a:1281x720:1M", "must have even sides"},
           Case{"a:16x16:1M", "outside 32x32..7680x4320"},
           Case{"a:8000x720:1M", "outside 32x32..7680x4320"},
           Case{"a:640x360:10k", "outside 64k..100M"},
           Case{"a:640x360:fast", "is not a number of bits/s"},
           Case{"a:640x360:200M", "outside 64k..100M"},
           Case{"original:640x360:1M", "'original' is the input's own rendition"},
           Case{"a/b:640x360:1M", "may use only letters"},
           Case{"a:640x360:1M,a:320x180:500k", "'a' appears twice"},
           Case{"a:64x64:1M,b:64x64:1M,c:64x64:1M,d:64x64:1M,e:64x64:1M,f:64x64:1M,g:64x64:1M,h:64x64:1M,i:64x64:1M",
                "at most 8"},
           Case{"a:640x360:1M:extra", "expected name:WIDTHxHEIGHT:bitrate"},
       }) {
    auto parsed = parseLadder(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.status().code(), Code::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(c.expect), std::string::npos)
        << c.text << " -> " << parsed.status().message();
  }
}

TEST(Ladder, PlansOnlyRungsStrictlyBelowTheInput) {
  const auto ladder = defaultLadder();
  EXPECT_EQ(sizes(planLadder(ladder, 1920, 1080)), "720p=1280x720 480p=854x480 360p=640x360");
  EXPECT_EQ(sizes(planLadder(ladder, 1280, 720)), "480p=854x480 360p=640x360");
  EXPECT_EQ(sizes(planLadder(ladder, 854, 480)), "360p=640x360");
  EXPECT_EQ(sizes(planLadder(ladder, 640, 360)), "");
  EXPECT_EQ(sizes(planLadder(ladder, 320, 240)), "");
  EXPECT_EQ(sizes(planLadder(ladder, 3840, 2160)), "1080p=1920x1080 720p=1280x720 480p=854x480 360p=640x360");
  EXPECT_EQ(sizes(planLadder(ladder, 0, 0)), "");
}

TEST(Ladder, KeepsTheInputsAspectRatioWithEvenSides) {
  const auto ladder = defaultLadder();
  // 4:3 is narrower than the 16:9 boxes: the height rules.
  EXPECT_EQ(sizes(planLadder(ladder, 1440, 1080)), "720p=960x720 480p=640x480 360p=480x360");
  // Portrait phone video: heights are the rungs', widths follow.
  EXPECT_EQ(sizes(planLadder(ladder, 720, 1280)), "1080p=608x1080 720p=406x720 480p=270x480 360p=202x360");
  // Odd arithmetic rounds to the nearest even width: 1000x562 -> 480 * 1.779 = 854.1.
  EXPECT_EQ(sizes(planLadder(ladder, 1000, 562)), "480p=854x480 360p=640x360");
}

TEST(Ladder, AnInputWiderThanTheBoxGetsTheBoxWidth) {
  // 21:9: 720 x 2.37 = 1707 > 1280, so 1280 wide and 540 high.
  EXPECT_EQ(sizes(planLadder(defaultLadder(), 2560, 1080)), "720p=1280x540 480p=854x360 360p=640x270");
}

TEST(Ladder, ARungFitsAnInputBelowItWithoutUpscaling) {
  const RenditionSpec p480{"480p", 854, 480, 1'200'000};
  auto size = [](const PlannedRendition& p) { return std::to_string(p.width) + "x" + std::to_string(p.height); };
  EXPECT_EQ(size(fitRung(p480, 1920, 1080)), "854x480");
  EXPECT_EQ(size(fitRung(p480, 854, 480)), "854x480");  // as large as the input, no larger
  EXPECT_EQ(size(fitRung(p480, 640, 360)), "640x360");
  EXPECT_EQ(size(fitRung(p480, 320, 240)), "320x240");
  EXPECT_EQ(size(fitRung(p480, 853, 479)), "852x478");  // odd input sides: even, and inside the input
  EXPECT_EQ(size(fitRung(p480, 2560, 1080)), "854x360");
}

TEST(Ladder, OrdersByCostHighestFirst) {
  auto parsed = parseLadder("small:640x360:800k, big:1280x720:3M, mid:854x480:1200k");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(sizes(planLadder(*parsed, 1920, 1080)), "big=1280x720 mid=854x480 small=640x360");
}

TEST(Ladder, KnowsX264Presets) {
  EXPECT_TRUE(isX264Preset("veryfast"));
  EXPECT_TRUE(isX264Preset("ultrafast"));
  EXPECT_FALSE(isX264Preset("VeryFast"));
  EXPECT_FALSE(isX264Preset("turbo"));
  EXPECT_FALSE(isX264Preset(""));
}

}  // namespace
}  // namespace ls::abr
