// Races every Store engine must settle the same way: several stores on one
// database (each its own pool, standing in for another process) and threads
// calling them at once. Each race ends in exactly one consistent outcome.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "store_engines.hpp"

namespace ls::testing {
namespace {

using S = LivestreamStatus;

std::int64_t countLivestreams(Store& store) {
  Result<Page<Livestream>> page = store.listLivestreams(Query().limit(1));
  EXPECT_TRUE(page.ok()) << page.status().message();
  return page.ok() ? page->total : -1;
}

// Runs `a` and `b` on two threads released at the same moment.
template <typename A, typename B>
void race(A&& a, B&& b) {
  std::latch go(2);
  std::thread first([&] {
    go.arrive_and_wait();
    a();
  });
  std::thread second([&] {
    go.arrive_and_wait();
    b();
  });
  first.join();
  second.join();
}

using ConcurrencyTest = StoreContractTest;

TEST_P(ConcurrencyTest, FourThreadsOnTwoStoreInstancesInsertWithoutErrors) {
  // The second instance stands in for another process; one connection only, so
  // its threads also queue on the pool.
  auto other = openStore(1);
  ASSERT_NE(other, nullptr);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    Store* store = t % 2 == 0 ? store_.get() : other.get();
    threads.emplace_back([store, t, &failures] {
      for (int i = 0; i < kPerThread; ++i) {
        // Appended, not "t" + ...: GCC 12 -O3 reports a bogus -Wrestrict there (GCC bug 105329).
        std::string id = "t";
        id.append(std::to_string(t)).append("-").append(std::to_string(i));
        Result<Livestream> r = store->insertLivestream(sampleLivestream(id, i));
        if (!r.ok()) {
          ++failures;
          ADD_FAILURE() << id << ": " << r.status().message();
        }
        if (i % 25 == 0) {  // readers interleave with the writers
          Result<Page<Livestream>> page = store->listLivestreams(Query().limit(5));
          if (!page.ok()) ++failures;
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(countLivestreams(*store_), kThreads * kPerThread);
  EXPECT_EQ(countLivestreams(*other), kThreads * kPerThread);
}

TEST_P(ConcurrencyTest, AThousandCreatesFromEightThreadsAreAllPresentAndKeysStayUnique) {
  auto other = openStore();
  ASSERT_NE(other, nullptr);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 125;
  std::atomic<int> failures{0};
  std::atomic<int> duplicatesStored{0};
  std::atomic<int> duplicatesRefused{0};
  std::latch go(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    Store* store = t % 2 == 0 ? store_.get() : other.get();
    threads.emplace_back([&, store, t] {
      go.arrive_and_wait();
      for (int i = 0; i < kPerThread; ++i) {
        std::string id = "c";
        id.append(std::to_string(t)).append("-").append(std::to_string(i));
        Result<Livestream> r = store->insertLivestream(sampleLivestream(id, 10'000 + i));
        if (!r.ok()) {
          ++failures;
          ADD_FAILURE() << id << ": " << r.status().message();
        }
        // Every thread also tries to claim the same stream keys: one wins each.
        if (i % 25 == 0) {
          Livestream dup = sampleLivestream("dup-" + id, 10'000 + i);
          dup.streamKey = "shared-key-" + std::to_string(i);
          Result<Livestream> d = store->insertLivestream(dup);
          if (d.ok()) {
            ++duplicatesStored;
          } else if (d.status().code() == Code::kConflict) {
            ++duplicatesRefused;
          } else {
            ADD_FAILURE() << "duplicate key: " << d.status().message();
          }
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  constexpr int kSharedKeys = kPerThread / 25;
  EXPECT_EQ(duplicatesStored.load(), kSharedKeys);
  EXPECT_EQ(duplicatesRefused.load(), (kThreads - 1) * kSharedKeys);
  EXPECT_EQ(countLivestreams(*store_), kThreads * kPerThread + kSharedKeys);
  EXPECT_EQ(queryInt("SELECT count(DISTINCT stream_key) FROM livestreams"), kThreads * kPerThread + kSharedKeys);
  for (int t = 0; t < kThreads; ++t) {
    const std::string id = "c" + std::to_string(t) + "-" + std::to_string(kPerThread - 1);
    Result<std::optional<Livestream>> found = other->findLivestreamByStreamKey("key-" + id);
    ASSERT_TRUE(found.ok());
    EXPECT_TRUE(found->has_value()) << id;
  }
}

TEST_P(ConcurrencyTest, TwoStoresClaimingOneKeyLetExactlyOnePublisherIn) {
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  auto other = openStore();
  ASSERT_NE(other, nullptr);
  std::atomic<int> started{0};
  std::atomic<int> conflicts{0};
  std::latch go(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    Store* store = t % 2 == 0 ? store_.get() : other.get();
    threads.emplace_back([&, store, t] {
      go.arrive_and_wait();
      // A publish: look the key up, then claim it with the token it carries.
      Result<std::optional<Livestream>> found = store->findLivestreamByStreamKey("key-ls-1");
      if (!found.ok() || !found->has_value()) {
        ADD_FAILURE() << "lookup by key failed";
        return;
      }
      const Status s = store->startLivestream((*found)->id, "jti-ls-1", 100 + t, {"rtmp", t});
      if (s.isOk()) ++started;
      if (s.code() == Code::kConflict) ++conflicts;
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(started.load(), 1);
  EXPECT_EQ(conflicts.load(), 7);
  EXPECT_EQ(queryInt("SELECT count(*) FROM livestreams WHERE phase = 'STARTED'"), 1);
}

TEST_P(ConcurrencyTest, AStartRacingADeleteEitherStartsFirstOrFindsNothing) {
  auto other = openStore();
  ASSERT_NE(other, nullptr);
  for (int round = 0; round < 20; ++round) {
    const std::string id = "race-" + std::to_string(round);
    ASSERT_TRUE(store_->insertLivestream(sampleLivestream(id)).ok());
    Status started;
    Status deleted;
    race([&] { started = store_->startLivestream(id, "jti-" + id, 100, {}); },
         [&] { deleted = other->deleteLivestream(id); });
    EXPECT_TRUE(deleted.isOk()) << deleted.message();
    EXPECT_TRUE(started.isOk() || started.code() == Code::kNotFound) << started.message();
    Result<std::optional<Livestream>> found = store_->findLivestream(id);
    ASSERT_TRUE(found.ok());
    EXPECT_FALSE(found->has_value());
  }
  EXPECT_EQ(queryInt("SELECT count(*) FROM livestreams"), 0);
}

TEST_P(ConcurrencyTest, AMoveRacingAStartEndsInOneConsistentState) {
  auto other = openStore();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(store_->insertMediaServer(sampleMediaServer("ms-2")).ok());
  for (int round = 0; round < 20; ++round) {
    const std::string id = "move-" + std::to_string(round);
    ASSERT_TRUE(store_->insertLivestream(sampleLivestream(id)).ok());
    Status started;
    Status moved;
    race([&] { started = store_->startLivestream(id, "jti-" + id, 100, {}); },
         [&] { moved = other->moveLivestreamWithToken(id, "ms-2", "new-" + id, 2'000'000); });
    // Exactly one wins: live on the old server with the old token, or moved
    // with the new token and the old one refused.
    ASSERT_NE(started.isOk(), moved.isOk()) << started.message() << " / " << moved.message();
    Result<std::optional<Livestream>> found = store_->findLivestream(id);
    ASSERT_TRUE(found.ok());
    ASSERT_TRUE(found->has_value());
    if (started.isOk()) {
      EXPECT_EQ(moved.code(), Code::kConflict);
      EXPECT_EQ((*found)->mediaServerId, "ms-1");
      EXPECT_EQ((*found)->currentTokenId, "jti-" + id);
      EXPECT_EQ((*found)->phase, S::kStarted);
    } else {
      EXPECT_EQ(started.code(), Code::kPermissionDenied);
      EXPECT_EQ((*found)->mediaServerId, "ms-2");
      EXPECT_EQ((*found)->currentTokenId, "new-" + id);
      EXPECT_EQ((*found)->phase, S::kReadyForUse);
    }
  }
}

TEST_P(ConcurrencyTest, ATokenReplacementRacingAStartEndsInOneConsistentState) {
  auto other = openStore();
  ASSERT_NE(other, nullptr);
  for (int round = 0; round < 20; ++round) {
    const std::string id = "race-" + std::to_string(round);
    ASSERT_TRUE(store_->insertLivestream(sampleLivestream(id)).ok());
    Status started;
    Status replaced;
    race([&] { started = store_->startLivestream(id, "jti-" + id, 100, {}); },
         [&] { replaced = other->replaceLivestreamToken(id, "new-" + id, 2'000'000); });
    ASSERT_TRUE(replaced.isOk()) << replaced.message();
    // Either the start came first (and the stream stays live under the new
    // token) or the replacement did (and the old token is refused).
    ASSERT_TRUE(started.isOk() || started.code() == Code::kPermissionDenied) << started.message();
    Result<std::optional<Livestream>> found = store_->findLivestream(id);
    ASSERT_TRUE(found.ok());
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->currentTokenId, "new-" + id);
    EXPECT_EQ((*found)->tokenExpiresAt, 2'000'000);
    EXPECT_EQ((*found)->phase, started.isOk() ? S::kStarted : S::kReadyForUse);
  }
}

TEST_P(ConcurrencyTest, AContactRacingTheLeaseLapseLeavesTheNodeOnline) {
  auto other = openStore();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  NodeContact first;
  first.at = 1000;
  first.heartbeat = true;
  ASSERT_TRUE(store_->recordNodeContact("ms-1", first).ok());
  for (int round = 0; round < 20; ++round) {
    const UnixMillis at = 2000 + 1000 * round;
    ASSERT_TRUE(store_->endLivestream("ls-1", at).isOk());
    ASSERT_TRUE(store_->startLivestream("ls-1", "jti-ls-1", at, {}).isOk());
    Result<std::optional<std::int64_t>> marked = std::optional<std::int64_t>();
    Result<NodeContactOutcome> contact = NodeContactOutcome{};
    NodeContact heard;
    heard.at = at + 1;
    heard.heartbeat = true;
    // The lease lapsed for a node silent since before this round's contact.
    race([&] { marked = store_->markNodeOffline("ms-1", at - 500, at); },
         [&] { contact = other->recordNodeContact("ms-1", heard); });
    ASSERT_TRUE(marked.ok()) << marked.status().message();
    ASSERT_TRUE(contact.ok()) << contact.status().message();
    // The contact came second exactly when the lapse happened: it brings the node back.
    EXPECT_EQ(marked->has_value(), contact->cameOnline);
    Result<std::optional<MediaServer>> server = store_->findMediaServer("ms-1");
    ASSERT_TRUE(server.ok());
    ASSERT_TRUE(server->has_value());
    EXPECT_FALSE((*server)->liveness.offlineSince.has_value());
    EXPECT_EQ((*server)->liveness.lastSeenAt, at + 1);
    Result<std::optional<Livestream>> live = store_->findLivestream("ls-1");
    ASSERT_TRUE(live.ok());
    EXPECT_EQ((*live)->phase, marked->has_value() ? S::kEnded : S::kStarted);
  }
}

LS_STORE_SUITE(ConcurrencyTest);

}  // namespace
}  // namespace ls::testing
