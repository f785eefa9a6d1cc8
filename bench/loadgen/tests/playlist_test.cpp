#include "loadgen/playlist.hpp"

#include <gtest/gtest.h>

namespace ls::loadgen {
namespace {

TEST(ParseMediaPlaylist, SequenceDurationsAndUris) {
  MediaPlaylist p;
  parseMediaPlaylist(
      "#EXTM3U\r\n#EXT-X-VERSION:3\r\n#EXT-X-TARGETDURATION:2\r\n#EXT-X-MEDIA-SEQUENCE:41\r\n"
      "#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:00.000Z\r\n#EXTINF:2.000,\r\nseg41.ts\r\n"
      "#EXT-X-DISCONTINUITY\n#EXTINF:1.967,title\nseg42.ts\n",
      p);
  ASSERT_TRUE(p.valid);
  EXPECT_DOUBLE_EQ(p.targetDurationS, 2);
  EXPECT_EQ(p.mediaSequence, 41u);
  EXPECT_FALSE(p.ended);
  ASSERT_EQ(p.segments.size(), 2u);
  EXPECT_EQ(p.segments[0].sequence, 41u);
  EXPECT_EQ(p.segments[0].uri, "seg41.ts");
  EXPECT_DOUBLE_EQ(p.segments[1].durationS, 1.967);
  EXPECT_EQ(p.segments[1].sequence, 42u);
}

TEST(ParseMediaPlaylist, EndListAndReuse) {
  MediaPlaylist p;
  parseMediaPlaylist("#EXTM3U\n#EXTINF:2,\na.ts\n#EXT-X-ENDLIST\n", p);
  EXPECT_TRUE(p.ended);
  EXPECT_EQ(p.segments.size(), 1u);
  parseMediaPlaylist("not a playlist", p);
  EXPECT_FALSE(p.valid);
  EXPECT_TRUE(p.segments.empty());
  EXPECT_FALSE(p.ended);
}

}  // namespace
}  // namespace ls::loadgen
