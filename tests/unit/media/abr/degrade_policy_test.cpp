#include "media/abr/degrade_policy.hpp"

#include <gtest/gtest.h>

namespace ls::abr {
namespace {

TEST(DegradePolicy, ShedsOnlyPastTheBound) {
  DegradePolicy p(2000);
  EXPECT_FALSE(p.shouldShed(0, 1000));
  EXPECT_FALSE(p.shouldShed(2000, 1000));
  EXPECT_TRUE(p.shouldShed(2001, 1000));
}

TEST(DegradePolicy, WaitsOneBoundBetweenSheds) {
  DegradePolicy p(2000);
  EXPECT_TRUE(p.shouldShed(2500, 10'000));
  // The backlog is still there right after a shed: no second one yet.
  EXPECT_FALSE(p.shouldShed(2600, 10'500));
  EXPECT_FALSE(p.shouldShed(3000, 11'999));
  // Still behind a bound later: the next one goes.
  EXPECT_TRUE(p.shouldShed(2100, 12'000));
  // Caught up: nothing more, however long it runs.
  EXPECT_FALSE(p.shouldShed(100, 20'000));
  EXPECT_FALSE(p.shouldShed(1999, 30'000));
}

TEST(DegradePolicy, ANonPositiveBoundStillMeansSomething) {
  DegradePolicy p(0);
  EXPECT_EQ(p.maxLagMs(), 1);
  EXPECT_FALSE(p.shouldShed(1, 0));
  EXPECT_TRUE(p.shouldShed(2, 0));
}

}  // namespace
}  // namespace ls::abr
