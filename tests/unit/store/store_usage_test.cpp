// Usage metering in every Store engine: a batch adds once however often it
// is applied (a resend, or two processes applying the same batch at once),
// concurrent batches lose nothing, a range reads by project and bucket, and
// deleting a livestream or project keeps what was billed.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store_engines.hpp"

namespace ls::testing {
namespace {

using UsageStoreTest = StoreContractTest;
using usage::kHourMs;
using usage::UsageBatch;
using usage::UsageRow;

UsageRow row(std::string project, std::string stream, UnixMillis bucket, std::string metric, std::string dim,
             std::int64_t value) {
  return UsageRow{std::move(project), std::move(stream), bucket, std::move(metric), std::move(dim), value};
}

std::int64_t total(const std::vector<UsageRow>& rows, std::string_view metric) {
  std::int64_t sum = 0;
  for (const UsageRow& r : rows) {
    if (r.metric == metric) sum += r.value;
  }
  return sum;
}

TEST_P(UsageStoreTest, ABatchAddsOnceHoweverOftenItIsApplied) {
  const UsageBatch batch{
      "b-1",
      {row("project-1", "ls-1", 0, "ingest_ms", "", 4000), row("project-1", "ls-1", 0, "transcode_ms", "720", 3900),
       row("project-1", "", kHourMs, "egress_bytes", "", 1000)}};
  Result<bool> first = store_->applyUsageBatch(batch, 10);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(*first);
  Result<bool> again = store_->applyUsageBatch(batch, 20);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  // Another batch over the same rows adds to them.
  ASSERT_TRUE(*store_->applyUsageBatch({"b-2", {row("project-1", "ls-1", 0, "ingest_ms", "", 1000)}}, 30));

  Result<std::vector<UsageRow>> rows = store_->listUsage("project-1", 0, 2 * kHourMs);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0], row("project-1", "ls-1", 0, "ingest_ms", "", 5000));
  EXPECT_EQ((*rows)[1], row("project-1", "ls-1", 0, "transcode_ms", "720", 3900));
  EXPECT_EQ((*rows)[2], row("project-1", "", kHourMs, "egress_bytes", "", 1000));
  // The range is [from, to) on the bucket start, per project.
  EXPECT_EQ(store_->listUsage("project-1", 0, kHourMs)->size(), 2u);
  EXPECT_EQ(store_->listUsage("project-1", kHourMs, 2 * kHourMs)->size(), 1u);
  EXPECT_TRUE(store_->listUsage("project-2", 0, 2 * kHourMs)->empty());
}

TEST_P(UsageStoreTest, RefusesBadBatchesWithoutWriting) {
  EXPECT_EQ(store_->applyUsageBatch({"", {}}, 1).status().code(), Code::kInvalidArgument);
  const UsageBatch negative{
      "b", {row("project-1", "", 0, "ingest_ms", "", 5), row("project-1", "", 0, "egress_bytes", "", -1)}};
  EXPECT_EQ(store_->applyUsageBatch(negative, 1).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(store_->applyUsageBatch({"b", {row("project-1", "", 5, "ingest_ms", "", 1)}}, 1).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(store_->applyUsageBatch({"b", {row("project-1", "", 0, "minutes", "", 1)}}, 1).status().code(),
            Code::kInvalidArgument);
  EXPECT_TRUE(store_->listUsage("project-1", 0, kHourMs)->empty());
  // The refused id was not recorded: the corrected batch applies.
  EXPECT_TRUE(*store_->applyUsageBatch({"b", {row("project-1", "", 0, "ingest_ms", "", 5)}}, 1));
  EXPECT_EQ(store_->listUsage("project-1", kHourMs, 0).status().code(), Code::kInvalidArgument);
}

TEST_P(UsageStoreTest, TheSameBatchFromTwoStoresAtOnceAddsOnce) {
  std::unique_ptr<Store> other = openStore(2);
  ASSERT_NE(other, nullptr);
  constexpr int kBatches = 20;
  std::atomic<int> applied{0};
  std::atomic<int> failures{0};
  const auto run = [&](Store& s) {
    for (int b = 0; b < kBatches; ++b) {
      // Both apply every batch id; the rows in opposite orders.
      UsageBatch batch{"batch-" + std::to_string(b),
                       {row("project-1", "a", 0, "ingest_ms", "", 1), row("project-1", "b", 0, "ingest_ms", "", 1)}};
      if (&s == other.get()) std::swap(batch.rows[0], batch.rows[1]);
      Result<bool> r = s.applyUsageBatch(batch, 1);
      if (!r.ok()) {
        ++failures;
      } else if (*r) {
        ++applied;
      }
    }
  };
  std::thread t1([&] { run(*store_); });
  std::thread t2([&] { run(*other); });
  t1.join();
  t2.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(applied.load(), kBatches);
  Result<std::vector<UsageRow>> rows = store_->listUsage("project-1", 0, kHourMs);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(total(*rows, "ingest_ms"), 2 * kBatches);
}

TEST_P(UsageStoreTest, DistinctConcurrentBatchesLoseNothing) {
  constexpr int kThreads = 3;
  constexpr int kBatches = 15;
  std::vector<std::unique_ptr<Store>> stores;
  for (int t = 0; t < kThreads; ++t) stores.push_back(openStore(2));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < kBatches; ++b) {
        const UsageBatch batch{
            "t" + std::to_string(t) + "-" + std::to_string(b),
            {row("project-1", "x", 0, "egress_bytes", "", 10), row("project-1", "x", 0, "egress_requests", "", 1)}};
        Result<bool> r = stores[static_cast<std::size_t>(t)]->applyUsageBatch(batch, 1);
        if (!r.ok() || !*r) ++failures;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  Result<std::vector<UsageRow>> rows = store_->listUsage("project-1", 0, kHourMs);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(total(*rows, "egress_bytes"), 10 * kThreads * kBatches);
  EXPECT_EQ(total(*rows, "egress_requests"), kThreads * kBatches);
}

TEST_P(UsageStoreTest, PurgedBatchIdsAreForgottenAndUsageOutlivesItsLivestream) {
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  ASSERT_TRUE(*store_->applyUsageBatch({"old", {row("project-1", "ls-1", 0, "ingest_ms", "", 7)}}, 100));
  ASSERT_TRUE(*store_->applyUsageBatch({"new", {row("project-1", "ls-1", 0, "ingest_ms", "", 3)}}, 200));
  Result<std::int64_t> purged = store_->purgeUsageBatches(150);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 1);
  EXPECT_FALSE(*store_->applyUsageBatch({"new", {row("project-1", "ls-1", 0, "ingest_ms", "", 3)}}, 300));
  ASSERT_TRUE(store_->deleteLivestream("ls-1").isOk());
  Result<std::vector<UsageRow>> rows = store_->listUsage("project-1", 0, kHourMs);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(total(*rows, "ingest_ms"), 10);
}

}  // namespace
LS_STORE_SUITE(UsageStoreTest);
}  // namespace ls::testing
