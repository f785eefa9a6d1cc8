// Push-token signing keys in every Store engine (SQLite and PostgreSQL).
#include <gtest/gtest.h>

#include <algorithm>
#include <latch>
#include <thread>

#include "store_engines.hpp"

namespace ls::testing {
namespace {

using SigningKeysTest = StoreContractTest;

SigningKeyRecord key(std::string kid, UnixMillis activatesAt, std::optional<UnixMillis> retiresAt = std::nullopt) {
  return SigningKeyRecord{.kid = std::move(kid),
                          .privateKeyPem = "-----BEGIN PRIVATE KEY-----\nnot parsed by the store\n",
                          .createdAt = 1000,
                          .activatesAt = activatesAt,
                          .retiresAt = retiresAt};
}

TEST_P(SigningKeysTest, RoundTripOrderedByActivation) {
  ASSERT_TRUE(store_->insertSigningKey(key("kid-b", 5000), std::nullopt).isOk());
  ASSERT_TRUE(store_->insertSigningKey(key("kid-a", 2000, 9000), std::nullopt).isOk());
  auto keys = store_->listSigningKeys();
  ASSERT_TRUE(keys.ok()) << keys.status().message();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].kid, "kid-a");
  EXPECT_EQ((*keys)[0].privateKeyPem, "-----BEGIN PRIVATE KEY-----\nnot parsed by the store\n");
  EXPECT_EQ((*keys)[0].createdAt, 1000);
  EXPECT_EQ((*keys)[0].activatesAt, 2000);
  EXPECT_EQ((*keys)[0].retiresAt, 9000);
  EXPECT_EQ((*keys)[1].kid, "kid-b");
  EXPECT_EQ((*keys)[1].retiresAt, std::nullopt);
}

TEST_P(SigningKeysTest, DuplicateKidIsConflict) {
  ASSERT_TRUE(store_->insertSigningKey(key("kid-a", 2000), std::nullopt).isOk());
  const Status again = store_->insertSigningKey(key("kid-a", 3000), std::nullopt);
  EXPECT_EQ(again.code(), Code::kConflict);
  EXPECT_EQ(queryInt("SELECT count(*) FROM signing_keys"), 1);
}

TEST_P(SigningKeysTest, InsertWithRetirementIsOneTransaction) {
  ASSERT_TRUE(store_->insertSigningKey(key("kid-a", 2000), std::nullopt).isOk());
  ASSERT_TRUE(store_->insertSigningKey(key("kid-b", 5000), SigningKeyRetirement{"kid-a", 8000}).isOk());
  EXPECT_EQ(queryInt("SELECT retires_at FROM signing_keys WHERE kid = 'kid-a'"), 8000);
  // An unknown key to retire: the new key is not added either.
  const Status missing = store_->insertSigningKey(key("kid-c", 6000), SigningKeyRetirement{"kid-x", 8000});
  EXPECT_EQ(missing.code(), Code::kNotFound);
  EXPECT_EQ(queryInt("SELECT count(*) FROM signing_keys"), 2);
}

TEST_P(SigningKeysTest, RetirementNeverMovesLater) {
  ASSERT_TRUE(store_->insertSigningKey(key("kid-a", 2000), std::nullopt).isOk());
  ASSERT_TRUE(store_->retireSigningKey({"kid-a", 9000}).isOk());
  ASSERT_TRUE(store_->retireSigningKey({"kid-a", 12000}).isOk());
  EXPECT_EQ(queryInt("SELECT retires_at FROM signing_keys WHERE kid = 'kid-a'"), 9000);
  ASSERT_TRUE(store_->retireSigningKey({"kid-a", 4000}).isOk());
  EXPECT_EQ(queryInt("SELECT retires_at FROM signing_keys WHERE kid = 'kid-a'"), 4000);
  EXPECT_EQ(store_->retireSigningKey({"kid-x", 4000}).code(), Code::kNotFound);
}

TEST_P(SigningKeysTest, FirstKeyOnlyIntoAnEmptyStore) {
  auto first = store_->insertFirstSigningKey(key("kid-a", 2000));
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(*first);
  auto second = store_->insertFirstSigningKey(key("kid-b", 2000));
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
  EXPECT_EQ(queryInt("SELECT count(*) FROM signing_keys"), 1);
}

// Two processes starting at once on one database: one key stays.
TEST_P(SigningKeysTest, FirstKeyRaceKeepsOneKey) {
  constexpr int kProcesses = 4;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kProcesses; ++i) stores.push_back(openStore(1));
  std::latch go(kProcesses);
  std::vector<int> inserted(kProcesses, -1);
  std::vector<std::thread> threads;
  for (int i = 0; i < kProcesses; ++i) {
    threads.emplace_back([&, i] {
      go.arrive_and_wait();
      auto r = stores[static_cast<std::size_t>(i)]->insertFirstSigningKey(key("kid-" + std::to_string(i), 2000));
      EXPECT_TRUE(r.ok()) << r.status().message();
      inserted[static_cast<std::size_t>(i)] = r.ok() && *r ? 1 : 0;
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(std::count(inserted.begin(), inserted.end(), 1), 1);
  EXPECT_EQ(queryInt("SELECT count(*) FROM signing_keys"), 1);
}

}  // namespace
LS_STORE_SUITE(SigningKeysTest);
}  // namespace ls::testing
