#include "http/accept_backoff.hpp"

#include <gtest/gtest.h>

namespace ls::http {
namespace {

using std::chrono::milliseconds;
using Time = AcceptBackoff::Clock::time_point;

// An arbitrary instant; the class only compares instants it is given.
const Time kStart = Time{} + std::chrono::hours(1);

TEST(AcceptBackoffTest, WaitDoublesFromTenMillisecondsToOneSecond) {
  AcceptBackoff backoff;
  Time now = kStart;
  const milliseconds expected[] = {milliseconds(10),  milliseconds(20),  milliseconds(40),  milliseconds(80),
                                   milliseconds(160), milliseconds(320), milliseconds(640), milliseconds(1000),
                                   milliseconds(1000)};
  for (milliseconds want : expected) {
    const auto decision = backoff.onFailure(now);
    EXPECT_EQ(decision.wait, want);
    now += decision.wait;
  }
}

TEST(AcceptBackoffTest, SuccessStartsOverAtTheInitialDelay) {
  AcceptBackoff backoff;
  Time now = kStart;
  for (int i = 0; i < 5; ++i) now += backoff.onFailure(now).wait;
  EXPECT_EQ(backoff.nextDelay(), milliseconds(320));
  backoff.onSuccess();
  EXPECT_EQ(backoff.nextDelay(), milliseconds(10));
  EXPECT_EQ(backoff.onFailure(now).wait, milliseconds(10));
}

TEST(AcceptBackoffTest, LogsAtMostOneLinePerIntervalAndCountsTheRest) {
  AcceptBackoff backoff;
  Time now = kStart;
  EXPECT_TRUE(backoff.onFailure(now).log);  // the first failure is always told
  int logged = 0;
  std::size_t suppressed = 0;
  // 400 failures 5 ms apart: two seconds.
  for (int i = 0; i < 400; ++i) {
    now += milliseconds(5);
    backoff.onSuccess();  // alternating with successes must not lift the limit
    const auto decision = backoff.onFailure(now);
    if (decision.log) {
      ++logged;
      suppressed += decision.suppressed;
    }
  }
  EXPECT_EQ(logged, 2);
  // Every failure is either logged or counted in the next logged line.
  EXPECT_EQ(suppressed + static_cast<std::size_t>(logged), 400u);
}

TEST(AcceptBackoffTest, OptionsAreHonoured) {
  AcceptBackoff backoff({milliseconds(1), milliseconds(4), milliseconds(100)});
  const Time now = kStart;
  EXPECT_EQ(backoff.onFailure(now).wait, milliseconds(1));
  EXPECT_EQ(backoff.onFailure(now).wait, milliseconds(2));
  EXPECT_EQ(backoff.onFailure(now).wait, milliseconds(4));
  EXPECT_EQ(backoff.onFailure(now).wait, milliseconds(4));
  EXPECT_FALSE(backoff.onFailure(now + milliseconds(99)).log);
  const auto later = backoff.onFailure(now + milliseconds(100));
  EXPECT_TRUE(later.log);
  EXPECT_EQ(later.suppressed, 4u);
}

}  // namespace
}  // namespace ls::http
