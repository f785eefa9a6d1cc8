// Users, session families, refresh-token rotation and the access-token key
// in every Store engine (SQLite and PostgreSQL).
#include <gtest/gtest.h>

#include <algorithm>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

#include "store_engines.hpp"

namespace ls::testing {
namespace {

using UsersTest = StoreContractTest;

UserRecord user(std::string id, std::string email, bool admin = false) {
  return UserRecord{.id = std::move(id),
                    .email = std::move(email),
                    .passwordHash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA",
                    .isAdmin = admin,
                    .createdAt = 1000,
                    .updatedAt = 1000};
}

SessionFamilyRecord family(std::string id, std::string userId) {
  return SessionFamilyRecord{.id = std::move(id), .userId = std::move(userId), .csrfHash = "csrf-0", .createdAt = 2000,
                             .revokedAt = std::nullopt};
}

RefreshTokenRecord token(std::string hash, std::string familyId, UnixMillis expiresAt = 100'000) {
  return RefreshTokenRecord{.tokenHash = std::move(hash), .familyId = std::move(familyId), .createdAt = 2000,
                            .expiresAt = expiresAt, .rotatedAt = std::nullopt};
}

RefreshRotation rotation(std::string from, std::string to, UnixMillis at = 3000) {
  return RefreshRotation{.oldTokenHash = std::move(from), .next = token(std::move(to), ""), .csrfHash = "csrf-" + std::to_string(at),
                         .at = at};
}

TEST_P(UsersTest, UsersRoundTripAndEmailsAreUnique) {
  ASSERT_TRUE(store_->insertUser(user("u-1", "a@example.com", true)).ok());
  ASSERT_TRUE(store_->insertUser(user("u-2", "b@example.com")).ok());
  auto clash = store_->insertUser(user("u-3", "a@example.com"));
  EXPECT_EQ(clash.status().code(), Code::kConflict);

  auto byEmail = store_->findUserByEmail("a@example.com");
  ASSERT_TRUE(byEmail.ok() && byEmail->has_value());
  EXPECT_EQ((*byEmail)->id, "u-1");
  EXPECT_TRUE((*byEmail)->isAdmin);
  EXPECT_EQ((*byEmail)->passwordHash, "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA");
  auto byId = store_->findUser("u-2");
  ASSERT_TRUE(byId.ok() && byId->has_value());
  EXPECT_FALSE((*byId)->isAdmin);
  auto none = store_->findUserByEmail("nobody@example.com");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto all = store_->listUsers();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].email, "a@example.com");
}

TEST_P(UsersTest, TheLastAdministratorIsNeverDemoted) {
  ASSERT_TRUE(store_->insertUser(user("u-1", "a@example.com", true)).ok());
  ASSERT_TRUE(store_->insertUser(user("u-2", "b@example.com")).ok());
  EXPECT_EQ(store_->setUserAdmin("u-1", false, 2000).code(), Code::kConflict);
  EXPECT_EQ(store_->setUserAdmin("u-x", true, 2000).code(), Code::kNotFound);
  ASSERT_TRUE(store_->setUserAdmin("u-2", true, 3000).isOk());
  ASSERT_TRUE(store_->setUserAdmin("u-1", false, 4000).isOk());
  auto first = store_->findUser("u-1");
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_FALSE((*first)->isAdmin);
  EXPECT_EQ((*first)->updatedAt, 4000);
  EXPECT_EQ(store_->setUserAdmin("u-2", false, 5000).code(), Code::kConflict);
  ASSERT_TRUE(store_->setUserAdmin("u-2", true, 6000).isOk());  // already one: no change, still fine
}

TEST_P(UsersTest, TheLastAdministratorIsNeverDeleted) {
  ASSERT_TRUE(store_->insertUser(user("u-1", "a@example.com", true)).ok());
  ASSERT_TRUE(store_->insertUser(user("u-2", "b@example.com")).ok());
  ASSERT_TRUE(store_->insertSession(family("f-1", "u-1"), token("t-1", "f-1")).isOk());
  const Status refused = store_->deleteUser("u-1");
  EXPECT_EQ(refused.code(), Code::kConflict);
  EXPECT_EQ(refused.message(), "the last system administrator cannot be deleted");
  // Nothing written: the user and their session are still there.
  auto still = store_->findLiveSession("f-1");
  ASSERT_TRUE(still.ok() && still->has_value());
  EXPECT_TRUE((*still)->user.isAdmin);
  EXPECT_EQ(store_->deleteUser("u-x").code(), Code::kNotFound);
  ASSERT_TRUE(store_->deleteUser("u-2").isOk());  // not an administrator
  ASSERT_TRUE(store_->insertUser(user("u-3", "c@example.com", true)).ok());
  ASSERT_TRUE(store_->deleteUser("u-1").isOk());  // another administrator remains
  EXPECT_EQ(store_->deleteUser("u-3").code(), Code::kConflict);
}

// Two administrators delete each other (or one is deleted while the other is
// demoted), each from its own store standing in for another process: one
// administrator always remains.
TEST_P(UsersTest, ConcurrentRemovalsOfTheLastTwoAdministratorsLeaveOne) {
  constexpr int kRounds = 6;
  std::string survivor = "admin-0";
  ASSERT_TRUE(store_->insertUser(user(survivor, survivor + "@example.com", true)).ok());
  for (int round = 1; round <= kRounds; ++round) {
    const std::string fresh = "admin-" + std::to_string(round);
    ASSERT_TRUE(store_->insertUser(user(fresh, fresh + "@example.com", true)).ok());
    std::unique_ptr<Store> other = openStore(2);
    ASSERT_NE(other, nullptr);
    const bool demoteOne = round % 2 == 0;
    std::latch go(2);
    Status first;
    Status second;
    std::thread t1([&] {
      go.arrive_and_wait();
      first = store_->deleteUser(survivor);
    });
    std::thread t2([&] {
      go.arrive_and_wait();
      second = demoteOne ? other->setUserAdmin(fresh, false, 9000) : other->deleteUser(fresh);
    });
    t1.join();
    t2.join();
    EXPECT_NE(first.isOk(), second.isOk()) << "round " << round << ": " << first.message() << " / " << second.message();
    const Status& refused = first.isOk() ? second : first;
    EXPECT_EQ(refused.code(), Code::kConflict) << refused.message();
    auto users = store_->listUsers();
    ASSERT_TRUE(users.ok());
    std::vector<std::string> admins;
    for (const UserRecord& u : *users) {
      if (u.isAdmin) admins.push_back(u.id);
    }
    ASSERT_EQ(admins.size(), 1u) << "round " << round;
    survivor = admins.front();
  }
}

TEST_P(UsersTest, PasswordChangeCanRevokeEverySession) {
  ASSERT_TRUE(store_->insertUser(user("u-1", "a@example.com")).ok());
  ASSERT_TRUE(store_->insertSession(family("f-1", "u-1"), token("t-1", "f-1")).isOk());
  ASSERT_TRUE(store_->insertSession(family("f-2", "u-1"), token("t-2", "f-2")).isOk());
  // A rehash at login keeps the sessions.
  ASSERT_TRUE(store_->setUserPasswordHash("u-1", "rehashed", 5000, false).isOk());
  auto live = store_->findLiveSession("f-1");
  ASSERT_TRUE(live.ok() && live->has_value());
  EXPECT_EQ((*live)->user.passwordHash, "rehashed");
  EXPECT_EQ((*live)->user.updatedAt, 5000);
  // A new password ends them.
  ASSERT_TRUE(store_->setUserPasswordHash("u-1", "changed", 6000, true).isOk());
  for (const char* f : {"f-1", "f-2"}) {
    auto gone = store_->findLiveSession(f);
    ASSERT_TRUE(gone.ok());
    EXPECT_FALSE(gone->has_value()) << f;
  }
  EXPECT_EQ(store_->setUserPasswordHash("u-x", "h", 6000, true).code(), Code::kNotFound);
}

TEST_P(UsersTest, DeletingAUserDeletesTheirSessions) {
  ASSERT_TRUE(store_->insertUser(user("u-1", "a@example.com")).ok());
  ASSERT_TRUE(store_->insertSession(family("f-1", "u-1"), token("t-1", "f-1")).isOk());
  ASSERT_TRUE(store_->deleteUser("u-1").isOk());
  EXPECT_EQ(queryInt("SELECT count(*) FROM refresh_tokens"), 0);
  EXPECT_EQ(queryInt("SELECT count(*) FROM session_families"), 0);
  EXPECT_EQ(store_->deleteUser("u-1").code(), Code::kNotFound);
  EXPECT_EQ(store_->insertSession(family("f-2", "u-1"), token("t-2", "f-2")).code(), Code::kNotFound);
}

TEST_P(UsersTest, RotationSpendsTheTokenAndMovesTheCsrf) {
  ASSERT_TRUE(store_->insertUser(user("u-1", "a@example.com")).ok());
  ASSERT_TRUE(store_->insertSession(family("f-1", "u-1"), token("t-1", "f-1")).isOk());
  auto rotated = store_->rotateRefreshToken(rotation("t-1", "t-2"));
  ASSERT_TRUE(rotated.ok()) << rotated.status().message();
  EXPECT_EQ(rotated->outcome, RotationOutcome::kRotated);
  EXPECT_EQ(rotated->familyId, "f-1");
  EXPECT_EQ(rotated->userId, "u-1");
  auto next = store_->findRefreshToken("t-2");
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->token.familyId, "f-1");
  EXPECT_EQ((*next)->family.csrfHash, "csrf-3000");
  EXPECT_FALSE((*next)->token.rotatedAt.has_value());
  auto old = store_->findRefreshToken("t-1");
  ASSERT_TRUE(old.ok() && old->has_value());
  EXPECT_EQ((*old)->token.rotatedAt, 3000);

  auto unknown = store_->rotateRefreshToken(rotation("t-x", "t-y"));
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->outcome, RotationOutcome::kUnknown);
}

TEST_P(UsersTest, ReusingASpentTokenRevokesTheFamily) {
  ASSERT_TRUE(store_->insertUser(user("u-1", "a@example.com")).ok());
  ASSERT_TRUE(store_->insertSession(family("f-1", "u-1"), token("t-1", "f-1")).isOk());
  ASSERT_TRUE(store_->rotateRefreshToken(rotation("t-1", "t-2")).ok());
  auto reused = store_->rotateRefreshToken(rotation("t-1", "t-3", 4000));
  ASSERT_TRUE(reused.ok());
  EXPECT_EQ(reused->outcome, RotationOutcome::kReused);
  EXPECT_EQ(queryInt("SELECT revoked_at FROM session_families WHERE id = 'f-1'"), 4000);
  EXPECT_EQ(queryInt("SELECT count(*) FROM refresh_tokens WHERE token_hash = 't-3'"), 0);
  // The token the legitimate holder got is dead too.
  auto current = store_->rotateRefreshToken(rotation("t-2", "t-4", 5000));
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->outcome, RotationOutcome::kRevoked);
  auto live = store_->findLiveSession("f-1");
  ASSERT_TRUE(live.ok());
  EXPECT_FALSE(live->has_value());
}

TEST_P(UsersTest, ExpiredAndRevokedTokensDoNotRotate) {
  ASSERT_TRUE(store_->insertUser(user("u-1", "a@example.com")).ok());
  ASSERT_TRUE(store_->insertSession(family("f-1", "u-1"), token("t-1", "f-1", 3000)).isOk());
  auto expired = store_->rotateRefreshToken(rotation("t-1", "t-2", 3000));
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(expired->outcome, RotationOutcome::kExpired);
  ASSERT_TRUE(store_->insertSession(family("f-2", "u-1"), token("t-5", "f-2")).isOk());
  ASSERT_TRUE(store_->revokeSessionFamily("f-2", 3500).isOk());
  ASSERT_TRUE(store_->revokeSessionFamily("f-2", 3900).isOk());  // stays at the first revocation
  EXPECT_EQ(queryInt("SELECT revoked_at FROM session_families WHERE id = 'f-2'"), 3500);
  auto revoked = store_->rotateRefreshToken(rotation("t-5", "t-6", 4000));
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->outcome, RotationOutcome::kRevoked);
  EXPECT_EQ(store_->revokeSessionFamily("f-x", 4000).code(), Code::kNotFound);

  auto purged = store_->purgeExpiredSessions(3000);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 1);
  EXPECT_EQ(queryInt("SELECT count(*) FROM session_families WHERE id = 'f-1'"), 0);
  EXPECT_EQ(queryInt("SELECT count(*) FROM session_families WHERE id = 'f-2'"), 1);
}

// Two API processes refresh with the same token at once: exactly one gets the
// new token; the other is treated as reuse and the family ends.
TEST_P(UsersTest, RacingRotationsOfOneTokenLetExactlyOneThrough) {
  ASSERT_TRUE(store_->insertUser(user("u-1", "a@example.com")).ok());
  constexpr int kRounds = 5;
  constexpr int kRacers = 4;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kRacers; ++i) stores.push_back(openStore(1));
  for (int round = 0; round < kRounds; ++round) {
    const std::string f = "f-" + std::to_string(round);
    const std::string t = "t-" + std::to_string(round);
    ASSERT_TRUE(store_->insertSession(family(f, "u-1"), token(t, f)).isOk());
    std::latch go(kRacers);
    std::vector<RotationOutcome> outcomes(kRacers, RotationOutcome::kUnknown);
    std::vector<std::thread> threads;
    for (int i = 0; i < kRacers; ++i) {
      threads.emplace_back([&, i] {
        go.arrive_and_wait();
        auto r = stores[static_cast<std::size_t>(i)]->rotateRefreshToken(
            rotation(t, t + "-next-" + std::to_string(i), 3000 + i));
        EXPECT_TRUE(r.ok()) << r.status().message();
        if (r.ok()) outcomes[static_cast<std::size_t>(i)] = r->outcome;
      });
    }
    for (std::thread& th : threads) th.join();
    EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), RotationOutcome::kRotated), 1) << "round " << round;
    // The others found it spent (reuse: revoked) or the family revoked by an earlier loser.
    for (RotationOutcome o : outcomes) {
      EXPECT_TRUE(o == RotationOutcome::kRotated || o == RotationOutcome::kReused || o == RotationOutcome::kRevoked);
    }
    EXPECT_GE(std::count(outcomes.begin(), outcomes.end(), RotationOutcome::kReused), 1);
    auto live = store_->findLiveSession(f);
    ASSERT_TRUE(live.ok());
    EXPECT_FALSE(live->has_value()) << "round " << round;
  }
}

TEST_P(UsersTest, OneAccessTokenKeyForEveryProcess) {
  constexpr int kProcesses = 4;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kProcesses; ++i) stores.push_back(openStore(1));
  std::latch go(kProcesses);
  std::vector<std::string> seen(kProcesses);
  std::vector<std::thread> threads;
  for (int i = 0; i < kProcesses; ++i) {
    threads.emplace_back([&, i] {
      go.arrive_and_wait();
      auto r = stores[static_cast<std::size_t>(i)]->ensureAccessTokenKey({"secret-" + std::to_string(i), 100 + i});
      EXPECT_TRUE(r.ok()) << r.status().message();
      if (r.ok()) seen[static_cast<std::size_t>(i)] = r->secret;
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(std::count(seen.begin(), seen.end(), seen[0]), kProcesses);
  EXPECT_TRUE(seen[0].starts_with("secret-"));
  auto later = store_->ensureAccessTokenKey({"another", 999});
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->secret, seen[0]);
  EXPECT_EQ(queryInt("SELECT count(*) FROM access_token_key"), 1);
}

}  // namespace
LS_STORE_SUITE(UsersTest);
}  // namespace ls::testing
