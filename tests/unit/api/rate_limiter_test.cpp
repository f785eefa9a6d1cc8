#include "api/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace ls::api {
namespace {

TEST(RateLimiter, CountsPerKeyInOneMinuteWindows) {
  ManualClock clock(60'000 * 1000 + 15'000);  // 15 s into a window
  LocalRateLimiter limiter(clock, 2);
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

// Login throttling asks first and counts only failures.
TEST(RateLimiter, CheckDecidesWithoutCounting) {
  ManualClock clock(60'000 * 1000);
  LocalRateLimiter limiter(clock, 2);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.check("a").allowed);
  EXPECT_EQ(limiter.check("a").remaining, 2);
  EXPECT_TRUE(limiter.take("a").allowed);
  EXPECT_TRUE(limiter.take("a").allowed);
  const RateDecision full = limiter.check("a");
  EXPECT_FALSE(full.allowed);
  EXPECT_EQ(full.remaining, 0);
  EXPECT_EQ(full.resetSeconds, 60);
  EXPECT_TRUE(limiter.check("b").allowed);
}

// Partner keys: 3 a minute and 5 an hour, starting 10 s into an hour.
TEST(RateLimiter, EitherLimitRefusesAndARefusalCountsInNeither) {
  ManualClock clock(kHourMs * 500'000 + 10'000);
  LocalRateLimiter limiter(clock, {RateLimit{3, kMinuteMs}, RateLimit{5, kHourMs}});
  for (const std::int64_t remaining : {2, 1, 0}) {
    const RateDecision d = limiter.take("k");
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.limit, 3) << "the minute is closer to running out";
    EXPECT_EQ(d.remaining, remaining);
    EXPECT_EQ(d.resetSeconds, 50);
  }
  for (int i = 0; i < 4; ++i) {
    const RateDecision refused = limiter.take("k");
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.limit, 3);
    EXPECT_EQ(refused.remaining, 0);
    EXPECT_EQ(refused.resetSeconds, 50) << "Retry-After: when the minute ends";
  }

  clock.advance(50'000);  // the next minute; the hour has 3540 s left
  const RateDecision fourth = limiter.take("k");
  EXPECT_TRUE(fourth.allowed);
  EXPECT_EQ(fourth.limit, 5) << "the hour now has fewer left (1) than the minute (2)";
  EXPECT_EQ(fourth.remaining, 1) << "the four refusals did not spend the hour";
  EXPECT_EQ(fourth.resetSeconds, 3540);
  EXPECT_TRUE(limiter.take("k").allowed);
  const RateDecision refused = limiter.take("k");
  EXPECT_FALSE(refused.allowed) << "the minute has room, the hour does not";
  EXPECT_EQ(refused.limit, 5);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.resetSeconds, 3540) << "Retry-After: when the hour ends";
  EXPECT_TRUE(limiter.take("other").allowed) << "keys are counted apart in every window";

  clock.advance(3'540'000);
  const RateDecision nextHour = limiter.take("k");
  EXPECT_TRUE(nextHour.allowed);
  EXPECT_EQ(nextHour.limit, 3);
  EXPECT_EQ(nextHour.remaining, 2);
}

TEST(RateLimiter, OnATieTheWindowThatEndsLaterIsShown) {
  ManualClock clock(kHourMs * 500'000 + 58 * kMinuteMs + 10'000);  // 110 s before the hour ends
  LocalRateLimiter limiter(clock, {RateLimit{2, kMinuteMs}, RateLimit{2, kHourMs}});
  const RateDecision first = limiter.take("k");
  EXPECT_EQ(first.remaining, 1);
  EXPECT_EQ(first.resetSeconds, 110) << "both have 1 left: the hour ends later";
  limiter.take("k");
  const RateDecision refused = limiter.take("k");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.resetSeconds, 110) << "both used up: no request passes before the hour ends";

  // Equal remaining and the same end (the last minute of the hour): the hour.
  LocalRateLimiter uneven(clock, {RateLimit{3, kMinuteMs}, RateLimit{4, kHourMs}});
  uneven.take("k");
  clock.advance(kMinuteMs);
  const RateDecision lastMinute = uneven.take("k");
  EXPECT_EQ(lastMinute.remaining, 2);
  EXPECT_EQ(lastMinute.limit, 4);
  EXPECT_EQ(lastMinute.resetSeconds, 50);
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

// A project's own limits replace the configured ones for its key only.
TEST(RateLimiter, AKeysOverridesReplaceTheConfiguredLimits) {
  ManualClock clock(kHourMs * 500'000 + 10'000);
  LocalRateLimiter limiter(clock, {RateLimit{100, kMinuteMs}, RateLimit{1000, kHourMs}});
  const std::vector<RateOverride> own = overridesFor(ProjectRateLimit{2, 50});
  EXPECT_TRUE(limiter.take("small", own).allowed);
  const RateDecision second = limiter.take("small", own);
  EXPECT_TRUE(second.allowed);
  EXPECT_EQ(second.limit, 2);
  EXPECT_EQ(second.remaining, 0);
  EXPECT_FALSE(limiter.take("small", own).allowed);
  const RateDecision other = limiter.take("other");
  EXPECT_TRUE(other.allowed);
  EXPECT_EQ(other.limit, 100) << "another key keeps the defaults";
  // Back to the defaults: what the key spent still counts.
  const RateDecision relaxed = limiter.take("small");
  EXPECT_TRUE(relaxed.allowed);
  EXPECT_EQ(relaxed.remaining, 97);
  EXPECT_TRUE(overridesFor(std::nullopt).empty());
}

}  // namespace
}  // namespace ls::api
