// SharedRateLimiter without IO: 2-4 simulated API nodes share an in-memory
// counter that stands in for Store::addRateCounts; syncs run with a lag of
// several requests between sending the counts and getting the totals back.
#include "api/shared_rate_limiter.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <tuple>

namespace ls::api {
namespace {

// The shared counter: what the rate_counters table does, in memory.
class SharedCounter {
 public:
  Result<std::vector<std::int64_t>> add(const std::vector<RateCountDelta>& batch) {
    std::vector<std::int64_t> totals;
    for (const RateCountDelta& d : batch) totals.push_back(rows_[{d.key, d.windowStart, d.windowMs}] += d.delta);
    return totals;
  }
  std::int64_t total(const std::string& key, UnixMillis start, std::int64_t windowMs) {
    return rows_[{key, start, windowMs}];
  }

 private:
  std::map<std::tuple<std::string, UnixMillis, std::int64_t>, std::int64_t> rows_;
};

// One API node: its limiter and at most one sync in flight, whose totals
// arrive `lag` requests (cluster-wide) after it was sent.
struct Node {
  std::unique_ptr<SharedRateLimiter> limiter;
  std::optional<std::vector<RateCountDelta>> inFlight;
  Result<std::vector<std::int64_t>> answer = std::vector<std::int64_t>{};
  int arrivesIn = 0;
};

class Cluster {
 public:
  Cluster(const Clock& clock, int nodes, std::vector<RateLimit> limits, int lag, int periodRequests)
      : lag_(lag), period_(periodRequests) {
    for (int i = 0; i < nodes; ++i) {
      Node n;
      n.limiter = std::make_unique<SharedRateLimiter>(clock, limits, nodes);
      nodes_.push_back(std::move(n));
    }
  }

  bool request(std::size_t node, const std::string& key) {
    const bool allowed = nodes_[node].limiter->take(key).allowed;
    ++requests_;
    for (Node& n : nodes_) {
      if (n.inFlight && --n.arrivesIn <= 0) {
        n.limiter->finishSync(*n.inFlight, n.answer);
        n.inFlight.reset();
      }
      const bool periodic = period_ > 0 && requests_ % period_ == 0;
      if (!n.inFlight && (periodic || n.limiter->wantsSync())) startSync(n);
    }
    return allowed;
  }

  SharedCounter counter;
  bool databaseDown = false;

 private:
  void startSync(Node& n) {
    std::vector<RateCountDelta> batch = n.limiter->beginSync();
    n.answer = databaseDown ? Result<std::vector<std::int64_t>>(unavailable("database down")) : counter.add(batch);
    n.inFlight = std::move(batch);
    n.arrivesIn = lag_;
  }

  std::vector<Node> nodes_;
  int lag_;
  int period_;
  std::int64_t requests_ = 0;
};

constexpr UnixMillis kWindowStart = 60'000 * 1000;

struct Scenario {
  int nodes;
  std::int64_t limit;
  int lag;
};

class SharedRateLimiterOvershoot : public ::testing::TestWithParam<Scenario> {};

TEST_P(SharedRateLimiterOvershoot, AcceptsTheLimitAndAtMostTenPercentMoreAcrossNodes) {
  const Scenario s = GetParam();
  ManualClock clock(kWindowStart + 1000);
  Cluster cluster(clock, s.nodes, {RateLimit{s.limit, kMinuteMs}}, s.lag, 50);
  std::int64_t accepted = 0;
  for (std::int64_t i = 0; i < 4 * s.limit; ++i) {
    if (cluster.request(static_cast<std::size_t>(i % s.nodes), "key")) ++accepted;
  }
  EXPECT_GE(accepted, s.limit);
  EXPECT_LE(accepted, s.limit + s.limit / 10) << s.nodes << " nodes, lag " << s.lag;
}

INSTANTIATE_TEST_SUITE_P(Nodes, SharedRateLimiterOvershoot,
                         ::testing::Values(Scenario{2, 100, 1}, Scenario{2, 100, 2}, Scenario{3, 100, 2},
                                           Scenario{4, 100, 2}, Scenario{4, 1000, 8}, Scenario{2, 1000, 4}));

TEST(SharedRateLimiter, WithoutSyncsEachNodeAloneHoldsTheLimit) {
  ManualClock clock(kWindowStart);
  SharedRateLimiter limiter(clock, {RateLimit{3, kMinuteMs}}, 2);
  EXPECT_TRUE(limiter.take("k").allowed);
  EXPECT_TRUE(limiter.take("k").allowed);
  const RateDecision third = limiter.take("k");
  EXPECT_TRUE(third.allowed);
  EXPECT_EQ(third.remaining, 0);
  EXPECT_FALSE(limiter.take("k").allowed);
  EXPECT_TRUE(limiter.take("other").allowed);
}

TEST(SharedRateLimiter, TheOtherNodesSpendingComesBackWithTheTotals) {
  ManualClock clock(kWindowStart);
  SharedCounter counter;
  SharedRateLimiter a(clock, {RateLimit{10, kMinuteMs}}, 2);
  SharedRateLimiter b(clock, {RateLimit{10, kMinuteMs}}, 2);
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(a.take("k").allowed);
  std::vector<RateCountDelta> batch = a.beginSync();
  a.finishSync(batch, counter.add(batch));
  EXPECT_TRUE(b.take("k").allowed);
  batch = b.beginSync();
  b.finishSync(batch, counter.add(batch));
  EXPECT_EQ(b.take("k").remaining, 2) << "6 from a, 2 from b";
  EXPECT_EQ(counter.total("k", kWindowStart, kMinuteMs), 7);
}

// check() sees what take() would, the other nodes' spending included, and counts nothing.
TEST(SharedRateLimiter, CheckSeesTheSharedTotalWithoutCounting) {
  ManualClock clock(kWindowStart);
  SharedCounter counter;
  SharedRateLimiter a(clock, {RateLimit{3, kMinuteMs}}, 2);
  SharedRateLimiter b(clock, {RateLimit{3, kMinuteMs}}, 2);
  EXPECT_TRUE(b.check("k").allowed);
  ASSERT_TRUE(b.take("k").allowed);
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(a.take("k").allowed);
  std::vector<RateCountDelta> batch = a.beginSync();
  a.finishSync(batch, counter.add(batch));
  batch = b.beginSync();
  b.finishSync(batch, counter.add(batch));
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(b.check("k").allowed) << "2 from a, 1 from b";
  EXPECT_EQ(counter.total("k", kWindowStart, kMinuteMs), 3);
  batch = b.beginSync();
  b.finishSync(batch, counter.add(batch));
  EXPECT_EQ(counter.total("k", kWindowStart, kMinuteMs), 3) << "checks added nothing";
}

TEST(SharedRateLimiter, ASpentBudgetAsksForASync) {
  ManualClock clock(kWindowStart);
  SharedRateLimiter limiter(clock, {RateLimit{100, kMinuteMs}}, 2);  // budget 100 / 4 = 25
  int wakes = 0;
  limiter.onSyncWanted([&] { ++wakes; });
  for (int i = 0; i < 24; ++i) limiter.take("k");
  EXPECT_FALSE(limiter.wantsSync());
  limiter.take("k");
  EXPECT_TRUE(limiter.wantsSync());
  limiter.take("k");
  EXPECT_EQ(wakes, 1) << "one wake-up until the sync";
  SharedCounter counter;
  std::vector<RateCountDelta> batch = limiter.beginSync();
  EXPECT_FALSE(limiter.wantsSync());
  limiter.finishSync(batch, counter.add(batch));
  // 26 spent: the next budget is (100 - 26) / 4 = 18.
  for (int i = 0; i < 17; ++i) limiter.take("k");
  EXPECT_FALSE(limiter.wantsSync());
  limiter.take("k");
  EXPECT_TRUE(limiter.wantsSync());
}

TEST(SharedRateLimiter, AFailedSyncKeepsTheLocalCountsAndSendsThemNextTime) {
  ManualClock clock(kWindowStart);
  SharedCounter counter;
  SharedRateLimiter limiter(clock, {RateLimit{5, kMinuteMs}}, 2);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.take("k").allowed);
  std::vector<RateCountDelta> batch = limiter.beginSync();
  limiter.finishSync(batch, Result<std::vector<std::int64_t>>(unavailable("down")));
  EXPECT_TRUE(limiter.take("k").allowed) << "decided locally while the database is down";
  EXPECT_TRUE(limiter.take("k").allowed);
  EXPECT_FALSE(limiter.take("k").allowed) << "the local view still holds the limit";
  batch = limiter.beginSync();
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch[0].delta, 5);
  limiter.finishSync(batch, counter.add(batch));
  EXPECT_EQ(counter.total("k", kWindowStart, kMinuteMs), 5);
}

TEST(SharedRateLimiter, EveryLimitIsSharedAndANewWindowStartsAfresh) {
  ManualClock clock(kWindowStart + 59'000);
  SharedCounter counter;
  SharedRateLimiter limiter(clock, {RateLimit{2, kMinuteMs}, RateLimit{3, kHourMs}}, 1);
  ASSERT_TRUE(limiter.take("k").allowed);
  std::vector<RateCountDelta> batch = limiter.beginSync();
  ASSERT_EQ(batch.size(), 2u);
  limiter.finishSync(batch, counter.add(batch));
  clock.advance(1000);  // the next minute, the same hour
  ASSERT_TRUE(limiter.take("k").allowed);
  ASSERT_TRUE(limiter.take("k").allowed);
  const RateDecision refused = limiter.take("k");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.limit, 3) << "the hour ran out";
  batch = limiter.beginSync();
  limiter.finishSync(batch, counter.add(batch));
  const UnixMillis hourStart = (kWindowStart / kHourMs) * kHourMs;
  EXPECT_EQ(counter.total("k", hourStart, kHourMs), 3);
}

TEST(SharedRateLimiter, TheDatabaseDownFailsOpenToTheLocalView) {
  ManualClock clock(kWindowStart);
  Cluster cluster(clock, 2, {RateLimit{10, kMinuteMs}}, 1, 5);
  cluster.databaseDown = true;
  std::int64_t accepted = 0;
  for (int i = 0; i < 100; ++i) {
    if (cluster.request(static_cast<std::size_t>(i % 2), "k")) ++accepted;
  }
  EXPECT_EQ(accepted, 20) << "each node holds the limit alone";
}

TEST(SharedRateLimiter, AKeysOverridesAreSharedLikeTheDefaults) {
  ManualClock clock(kWindowStart);
  SharedCounter counter;
  SharedRateLimiter a(clock, {RateLimit{100, kMinuteMs}}, 2);
  SharedRateLimiter b(clock, {RateLimit{100, kMinuteMs}}, 2);
  const std::vector<RateOverride> own{RateOverride{kMinuteMs, 4}};
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(a.take("k", own).allowed);
  std::vector<RateCountDelta> batch = a.beginSync();
  a.finishSync(batch, counter.add(batch));
  EXPECT_TRUE(b.take("k", own).allowed);
  batch = b.beginSync();
  b.finishSync(batch, counter.add(batch));
  const RateDecision refused = b.take("k", own);
  EXPECT_FALSE(refused.allowed) << "3 from a and 1 from b spent the project's 4";
  EXPECT_EQ(refused.limit, 4);
  EXPECT_TRUE(b.take("other").allowed) << "another key keeps the default 100";
}

}  // namespace
}  // namespace ls::api
