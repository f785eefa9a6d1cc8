// Shared rate-limit counters in every Store engine: upsert-and-read in one
// batch, totals shared by two stores on one database (as two API processes),
// concurrent batches from several threads, purge of ended windows.
#include <gtest/gtest.h>

#include <thread>

#include "store_engines.hpp"

namespace ls::testing {
namespace {

using RateCountersTest = StoreContractTest;

RateCountDelta delta(std::string key, UnixMillis start, std::int64_t windowMs, std::int64_t n) {
  return RateCountDelta{std::move(key), start, windowMs, n};
}

TEST_P(RateCountersTest, AddsDeltasAndReturnsTotalsInOrder) {
  Result<std::vector<std::int64_t>> first =
      store_->addRateCounts({delta("k1", 60'000, 60'000, 3), delta("k1", 0, 3'600'000, 3), delta("k2", 60'000, 60'000, 1)});
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(*first, (std::vector<std::int64_t>{3, 3, 1}));
  Result<std::vector<std::int64_t>> second =
      store_->addRateCounts({delta("k2", 60'000, 60'000, 4), delta("k1", 60'000, 60'000, 0)});
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(*second, (std::vector<std::int64_t>{5, 3}));
  // Another window of the same key starts at 0.
  Result<std::vector<std::int64_t>> next = store_->addRateCounts({delta("k1", 120'000, 60'000, 2)});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, (std::vector<std::int64_t>{2}));
  Result<std::vector<std::int64_t>> none = store_->addRateCounts({});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(RateCountersTest, RefusesNegativeDeltasAndEmptyWindowsWithoutWriting) {
  Result<std::vector<std::int64_t>> bad = store_->addRateCounts({delta("k", 0, 60'000, 1), delta("k", 0, 60'000, -1)});
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(store_->addRateCounts({delta("k", 0, 0, 1)}).status().code(), Code::kInvalidArgument);
  Result<std::vector<std::int64_t>> read = store_->addRateCounts({delta("k", 0, 60'000, 0)});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, (std::vector<std::int64_t>{0}));
}

TEST_P(RateCountersTest, TwoStoresOnOneDatabaseShareTheTotals) {
  std::unique_ptr<Store> other = openStore();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(store_->addRateCounts({delta("key", 0, 60'000, 7)}).ok());
  Result<std::vector<std::int64_t>> seen = other->addRateCounts({delta("key", 0, 60'000, 2)});
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(*seen, (std::vector<std::int64_t>{9}));
}

TEST_P(RateCountersTest, ConcurrentBatchesLoseNoCount) {
  constexpr int kThreads = 4;
  constexpr int kBatches = 20;
  std::vector<std::unique_ptr<Store>> stores;
  for (int t = 0; t < kThreads; ++t) stores.push_back(openStore(2));
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < kBatches; ++b) {
        // Opposite key orders in alternate threads: the store orders them.
        std::vector<RateCountDelta> batch = {delta("a", 0, 60'000, 1), delta("b", 0, 60'000, 1)};
        if (t % 2 == 1) std::swap(batch[0], batch[1]);
        if (!stores[static_cast<std::size_t>(t)]->addRateCounts(batch).ok()) ++failures[static_cast<std::size_t>(t)];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
  Result<std::vector<std::int64_t>> totals = store_->addRateCounts({delta("a", 0, 60'000, 0), delta("b", 0, 60'000, 0)});
  ASSERT_TRUE(totals.ok());
  EXPECT_EQ(*totals, (std::vector<std::int64_t>{kThreads * kBatches, kThreads * kBatches}));
}

TEST_P(RateCountersTest, PurgeDropsEndedWindowsOnly) {
  ASSERT_TRUE(store_->addRateCounts({delta("k", 0, 60'000, 5), delta("k", 60'000, 60'000, 6),
                                     delta("k", 0, 3'600'000, 11)})
                  .ok());
  Result<std::int64_t> purged = store_->purgeRateCounts(60'000);  // the first minute ended
  ASSERT_TRUE(purged.ok()) << purged.status().message();
  EXPECT_EQ(*purged, 1);
  Result<std::vector<std::int64_t>> left = store_->addRateCounts(
      {delta("k", 0, 60'000, 0), delta("k", 60'000, 60'000, 0), delta("k", 0, 3'600'000, 0)});
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(*left, (std::vector<std::int64_t>{0, 6, 11}));
}

LS_STORE_SUITE(RateCountersTest);

}  // namespace
}  // namespace ls::testing
