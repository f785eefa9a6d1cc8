// The signing-key schedule (which key signs, which verify) at injected
// times, and StoreKeyRing on a real SQLite store.
#include "control/signing_keys.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sys/stat.h>

#include "auth/push_token.hpp"
#include "control/key_ring.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/temp_dir.hpp"

namespace ls::control {
namespace {

using State = SigningKeyState;

SigningKeyRecord meta(std::string kid, UnixMillis activatesAt, std::optional<UnixMillis> retiresAt = std::nullopt,
                      UnixMillis createdAt = 0) {
  return {.kid = std::move(kid), .privateKeyPem = {}, .createdAt = createdAt, .activatesAt = activatesAt,
          .retiresAt = retiresAt};
}

TEST(KeySchedule, NewestActivatedKeySignsOlderVerifyFutureIsNext) {
  const std::vector<SigningKeyRecord> keys = {meta("old", 1000, 50'000), meta("current", 2000),
                                              meta("upcoming", 9000)};
  const KeySchedule at5 = scheduleKeys(keys, 5000);
  EXPECT_EQ(at5.states, (std::vector<State>{State::kVerifying, State::kActive, State::kNext}));
  ASSERT_TRUE(at5.active);
  EXPECT_EQ(*at5.active, 1u);
  EXPECT_EQ(at5.nextChange, 9000);

  const KeySchedule at9 = scheduleKeys(keys, 9000);  // activation is inclusive
  EXPECT_EQ(at9.states, (std::vector<State>{State::kVerifying, State::kVerifying, State::kActive}));
  EXPECT_EQ(at9.nextChange, 50'000);

  const KeySchedule at50 = scheduleKeys(keys, 50'000);  // retirement is inclusive
  EXPECT_EQ(at50.states, (std::vector<State>{State::kRetired, State::kVerifying, State::kActive}));
  EXPECT_EQ(at50.nextChange, std::nullopt);
}

TEST(KeySchedule, RetiringTheActiveKeyFallsBackToTheNewestOlderOne) {
  const std::vector<SigningKeyRecord> keys = {meta("a", 1000), meta("b", 2000, 3000)};
  EXPECT_EQ(*scheduleKeys(keys, 2500).active, 1u);
  const KeySchedule after = scheduleKeys(keys, 3000);
  ASSERT_TRUE(after.active);
  EXPECT_EQ(*after.active, 0u);
  EXPECT_EQ(after.states, (std::vector<State>{State::kActive, State::kRetired}));
}

TEST(KeySchedule, NoKeyOrAllRetiredMeansNoSigner) {
  EXPECT_FALSE(scheduleKeys({}, 1000).active);
  const std::vector<SigningKeyRecord> keys = {meta("a", 1000, 2000)};
  EXPECT_FALSE(scheduleKeys(keys, 2000).active);
  const std::vector<SigningKeyRecord> notYet = {meta("a", 5000)};
  const KeySchedule s = scheduleKeys(notYet, 1000);
  EXPECT_FALSE(s.active);
  EXPECT_EQ(s.states, (std::vector<State>{State::kNext}));
}

TEST(KeySchedule, SameActivationPicksTheLaterCreatedKey) {
  const std::vector<SigningKeyRecord> keys = {meta("z", 1000, std::nullopt, 5), meta("a", 1000, std::nullopt, 7)};
  EXPECT_EQ(*scheduleKeys(keys, 1000).active, 1u);
}

class KeyRingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::open(dir_.path() / "test.db");
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
  }

  std::string kidsOf(const auth::PublicKeySet& set, const std::vector<std::string>& kids) {
    std::string present;
    for (const std::string& kid : kids) present += set.find(kid) != nullptr ? "1" : "0";
    return present;
  }

  testing::TempDir dir_;
  ManualClock clock_{1'000'000};
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(KeyRingTest, FirstStartGeneratesOneKeyThatSigns) {
  auto first = ensureSigningKey(*store_, clock_, dir_.path() / "keys" / "push-token-key.pem");
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_TRUE(first->has_value());
  auto again = ensureSigningKey(*store_, clock_, dir_.path() / "keys" / "push-token-key.pem");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "keys"));  // no PEM file for new installs

  StoreKeyRing ring(*store_, clock_);
  ASSERT_TRUE(ring.reload().isOk());
  ASSERT_NE(ring.signer(), nullptr);
  EXPECT_EQ(ring.signer()->kid(), **first);
  EXPECT_NE(ring.jwksJson().find(**first), std::string::npos);
}

TEST_F(KeyRingTest, UpgradeImportsTheDataDirKeyFile) {
  auto legacy = auth::SigningKey::loadOrCreate(dir_.path() / "keys");  // what an older version wrote
  ASSERT_TRUE(legacy.ok());
  auto first = ensureSigningKey(*store_, clock_, dir_.path() / "keys" / "push-token-key.pem");
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ(**first, legacy->kid());
}

TEST_F(KeyRingTest, RotationPublishesFirstSignsLaterAndRetiresTheOldKey) {
  ASSERT_TRUE(ensureSigningKey(*store_, clock_, dir_.path() / "none.pem").ok());
  StoreKeyRing ring(*store_, clock_);
  ASSERT_TRUE(ring.reload().isOk());
  const std::string oldKid = ring.signer()->kid();

  auto rotation = rotateSigningKey(*store_, clock_, 60'000);
  ASSERT_TRUE(rotation.ok()) << rotation.status().message();
  const std::string newKid = rotation->added.kid;
  ASSERT_TRUE(rotation->retiring);
  EXPECT_EQ(rotation->retiring->kid, oldKid);
  EXPECT_EQ(rotation->retiring->at, clock_.now() + 60'000 + kMaxPushTokenLifetimeMs);

  // Not seen until the ring reads the store again.
  EXPECT_EQ(kidsOf(*ring.verifiers(), {oldKid, newKid}), "10");
  ASSERT_TRUE(ring.reload().isOk());
  EXPECT_EQ(ring.signer()->kid(), oldKid);                        // the new key is only "next"
  EXPECT_EQ(kidsOf(*ring.verifiers(), {oldKid, newKid}), "11");  // but verifies already

  clock_.advance(60'000);  // activation: no reload needed
  EXPECT_EQ(ring.signer()->kid(), newKid);
  EXPECT_EQ(kidsOf(*ring.verifiers(), {oldKid, newKid}), "11");

  clock_.advance(kMaxPushTokenLifetimeMs);  // the old key's last tokens have expired
  EXPECT_EQ(ring.signer()->kid(), newKid);
  EXPECT_EQ(kidsOf(*ring.verifiers(), {oldKid, newKid}), "01");
  EXPECT_EQ(ring.jwksJson().find(oldKid), std::string::npos);
}

TEST_F(KeyRingTest, EmergencyRetirementStopsSigningAndVerifying) {
  ASSERT_TRUE(ensureSigningKey(*store_, clock_, dir_.path() / "none.pem").ok());
  StoreKeyRing ring(*store_, clock_);
  ASSERT_TRUE(ring.reload().isOk());
  const std::string kid = ring.signer()->kid();
  ASSERT_TRUE(store_->retireSigningKey({kid, clock_.now()}).isOk());
  ASSERT_TRUE(ring.reload().isOk());
  EXPECT_EQ(ring.signer(), nullptr);
  EXPECT_TRUE(ring.verifiers()->empty());
}

TEST_F(KeyRingTest, ARowThatIsNotItsKidIsLeftOut) {
  auto pem = auth::SigningKey::generatePem();
  ASSERT_TRUE(pem.ok());
  ASSERT_TRUE(store_->insertSigningKey({"not-the-thumbprint", *pem, 0, 0, std::nullopt}, std::nullopt).isOk());
  ASSERT_TRUE(store_->insertSigningKey({"broken", "not a pem", 0, 0, std::nullopt}, std::nullopt).isOk());
  StoreKeyRing ring(*store_, clock_);
  ASSERT_TRUE(ring.reload().isOk());
  EXPECT_EQ(ring.signer(), nullptr);
  EXPECT_TRUE(ring.verifiers()->empty());
}

}  // namespace
}  // namespace ls::control
