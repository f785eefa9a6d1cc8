#include "core/time.hpp"

#include <gtest/gtest.h>

namespace ls {
namespace {

TEST(Iso8601, FormatsWithMillisecondsInUtc) {
  EXPECT_EQ(formatIso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatIso8601(1768241558918), "2026-01-12T18:12:38.918Z");
  EXPECT_EQ(formatIso8601(951782400000), "2000-02-29T00:00:00.000Z");
}

TEST(Iso8601, ParsesWhatItFormats) {
  for (UnixMillis t : {UnixMillis{0}, UnixMillis{1768241558918}, UnixMillis{4102444799999}}) {
    auto parsed = parseIso8601(formatIso8601(t));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, t);
  }
  EXPECT_EQ(parseIso8601("2026-01-12T18:12:38Z"), UnixMillis{1768241558000});
}

TEST(Iso8601, RejectsMalformedText) {
  for (const char* bad : {"", "2026-01-12", "2026-13-01T00:00:00Z", "2026-01-12T18:12:38.918", "2026-01-12T18:12:38.9Z",
                          "2026-01-12 18:12:38Z", "2026-01-12T18:12:38.918Zjunk"}) {
    EXPECT_FALSE(parseIso8601(bad).has_value()) << bad;
  }
}

TEST(ManualClock, MovesOnlyWhenAdvanced) {
  ManualClock clock(1000);
  EXPECT_EQ(clock.now(), 1000);
  clock.advance(500);
  EXPECT_EQ(clock.now(), 1500);
}

}  // namespace
}  // namespace ls
