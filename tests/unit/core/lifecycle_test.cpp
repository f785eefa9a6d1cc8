#include "core/lifecycle.hpp"

#include <gtest/gtest.h>

namespace ls {
namespace {

using S = LivestreamStatus;

TEST(Lifecycle, ExpiredTokenShowsWithoutAnyJob) {
  EXPECT_EQ(effectiveStatus(S::kReadyForUse, 1000, 999), S::kReadyForUse);
  EXPECT_EQ(effectiveStatus(S::kReadyForUse, 1000, 1000), S::kTokenExpired);
  EXPECT_EQ(effectiveStatus(S::kEnded, 1000, 2000), S::kTokenExpired);
  EXPECT_EQ(effectiveStatus(S::kEnded, 3000, 2000), S::kEnded);
}

TEST(Lifecycle, LivePublisherIsNotCutByExpiry) {
  EXPECT_EQ(effectiveStatus(S::kStarted, 1000, 5000), S::kStarted);
}

TEST(Lifecycle, StatusFilterMatchesEffectiveStatus) {
  // For every phase/expiry combination, the filter for the effective status matches it.
  for (S phase : {S::kReadyForUse, S::kStarted, S::kEnded}) {
    for (bool expired : {false, true}) {
      const S effective = effectiveStatus(phase, 1000, expired ? 2000 : 500);
      const StatusFilter f = statusFilterFor(effective);
      const bool phaseMatches = f.phaseReadyOrEnded ? (phase == S::kReadyForUse || phase == S::kEnded) : phase == f.phase;
      const bool expiryMatches = f.expiry == StatusFilter::Expiry::kAny ||
                                 (f.expiry == StatusFilter::Expiry::kExpired) == expired;
      EXPECT_TRUE(phaseMatches && expiryMatches) << toString(phase) << expired;
    }
  }
}

}  // namespace
}  // namespace ls
