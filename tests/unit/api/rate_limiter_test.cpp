#include "api/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace ls::api {
namespace {

TEST(RateLimiter, CountsPerKeyInOneMinuteWindows) {
  ManualClock clock(60'000 * 1000 + 15'000);  // 15 s into a window
  RateLimiter limiter(clock, 2);
  EXPECT_TRUE(limiter.take("a").allowed);
  const RateDecision second = limiter.take("a");
  EXPECT_TRUE(second.allowed);
  EXPECT_EQ(second.remaining, 0);
  const RateDecision third = limiter.take("a");
  EXPECT_FALSE(third.allowed);
  EXPECT_EQ(third.resetSeconds, 45);
  EXPECT_TRUE(limiter.take("b").allowed) << "keys are counted apart";
  clock.advance(45'000);
  const RateDecision next = limiter.take("a");
  EXPECT_TRUE(next.allowed) << "a new window starts afresh";
  EXPECT_EQ(next.remaining, 1);
}

TEST(RateLimiter, TooManyRequestsCarriesTheHeaders) {
  RateDecision d;
  d.allowed = false;
  d.limit = 100;
  d.remaining = 0;
  d.resetSeconds = 12;
  const http::Response r = tooManyRequests(d);
  EXPECT_EQ(r.status, 429);
  ASSERT_NE(r.findHeader("Retry-After"), nullptr);
  EXPECT_EQ(*r.findHeader("Retry-After"), "12");
  EXPECT_EQ(*r.findHeader("X-RateLimit-Limit"), "100");
  EXPECT_EQ(*r.findHeader("X-RateLimit-Remaining"), "0");
  EXPECT_EQ(*r.findHeader("X-RateLimit-Reset"), "12");
}

}  // namespace
}  // namespace ls::api
