#include "media/hls/publish_latency.hpp"

#include <gtest/gtest.h>

namespace ls::hls {
namespace {

TEST(PublishLatency, CountsIntoCumulativeBuckets) {
  PublishLatency latency;
  latency.record(0);
  latency.record(1);     // le 1 ms
  latency.record(7);     // le 10 ms
  latency.record(400);   // le 500 ms
  latency.record(9000);  // +Inf
  latency.record(-5);    // a clock step backwards counts as 0
  const auto s = latency.snapshot();
  EXPECT_EQ(s.count, 6u);
  EXPECT_EQ(s.sumMs, 9408);
  EXPECT_EQ(s.cumulative[0], 3u);   // <= 1
  EXPECT_EQ(s.cumulative[1], 3u);   // <= 5
  EXPECT_EQ(s.cumulative[2], 4u);   // <= 10
  EXPECT_EQ(s.cumulative[7], 5u);   // <= 500
  EXPECT_EQ(s.cumulative[9], 5u);   // <= 2500
  EXPECT_EQ(s.cumulative[10], 6u);  // +Inf
}

}  // namespace
}  // namespace ls::hls
