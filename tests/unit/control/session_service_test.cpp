// Users and sessions on a real SQLite store with an injected clock: login,
// rotation, reuse detection, logout, authenticate, argon2 parameter upgrade.
#include "control/session_service.hpp"

#include <gtest/gtest.h>

#include "auth/access_token.hpp"
#include "control/user_service.hpp"
#include "core/encoding.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/temp_dir.hpp"

namespace ls::control {
namespace {

// Small argon2 parameters keep the tests fast; the code paths are the same.
constexpr auth::PasswordHashParams kCheap{.timeCost = 1, .memoryKiB = 64, .parallelism = 1};
constexpr auth::PasswordHashParams kStronger{.timeCost = 2, .memoryKiB = 128, .parallelism = 1};
constexpr UnixMillis kStart = 1'800'000'000'000;

class SessionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::open(dir_.path() / "test.db");
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
    users_ = std::make_unique<UserService>(*store_, clock_, random_, kCheap);
    sessions_ = makeSessions(kCheap);
    auto created = users_->create("  Admin@Example.COM ", "correct horse", true);
    ASSERT_TRUE(created.ok()) << created.status().message();
    user_ = *created;
  }

  std::unique_ptr<SessionService> makeSessions(auth::PasswordHashParams params) {
    SessionOptions options;
    options.passwordParams = params;
    options.refreshTtlMs = 3'600'000;
    auto made = SessionService::create(*store_, clock_, random_, options);
    EXPECT_TRUE(made.ok()) << made.status().message();
    return made.ok() ? std::move(*made) : nullptr;
  }

  testing::TempDir dir_;
  ManualClock clock_{kStart};
  SecureRandom random_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<UserService> users_;
  std::unique_ptr<SessionService> sessions_;
  UserRecord user_;
};

TEST_F(SessionServiceTest, EmailsAreNormalizedAndPasswordsBounded) {
  EXPECT_EQ(user_.email, "admin@example.com");
  EXPECT_EQ(users_->create("admin@example.com", "another one", false).status().code(), Code::kConflict);
  EXPECT_EQ(users_->create("x@example.com", "short", false).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(users_->create("x@example.com", std::string(1025, 'p'), false).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(users_->create("not an email", "long enough", false).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(users_->create("@example.com", "long enough", false).status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(user_.passwordHash.starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
}

TEST_F(SessionServiceTest, LoginIssuesTokensThatAuthenticate) {
  auto session = sessions_->login("ADMIN@example.com", "correct horse");
  ASSERT_TRUE(session.ok()) << session.status().message();
  EXPECT_EQ(session->expiresIn, 900);
  EXPECT_EQ(session->user.id, user_.id);
  EXPECT_TRUE(auth::isWellFormedSessionToken(session->refreshToken));
  EXPECT_TRUE(auth::isWellFormedSessionToken(session->csrfToken));
  auto principal = sessions_->authenticate(session->accessToken, clock_.now());
  ASSERT_TRUE(principal.ok()) << principal.status().message();
  EXPECT_EQ(principal->userId, user_.id);
  EXPECT_EQ(principal->email, "admin@example.com");
  EXPECT_TRUE(principal->isAdmin);
  EXPECT_FALSE(principal->sessionId.empty());
  // 15 minutes later it has expired.
  EXPECT_EQ(sessions_->authenticate(session->accessToken, clock_.now() + 900'000).status().code(),
            Code::kUnauthenticated);
  EXPECT_EQ(sessions_->authenticate("", clock_.now()).status().message(), kInvalidAccessToken);
  // Only hashes are stored.
  auto stored = store_->findRefreshToken(session->refreshToken);
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->has_value());
}

TEST_F(SessionServiceTest, WrongEmailAndWrongPasswordAnswerAlike) {
  auto wrongPassword = sessions_->login("admin@example.com", "incorrect horse");
  auto wrongEmail = sessions_->login("nobody@example.com", "correct horse");
  auto malformed = sessions_->login("not an email", "correct horse");
  for (const auto* r : {&wrongPassword, &wrongEmail, &malformed}) {
    EXPECT_EQ(r->status().code(), Code::kUnauthenticated);
    EXPECT_EQ(r->status().message(), kInvalidCredentials);
  }
}

TEST_F(SessionServiceTest, RefreshRotatesAndReuseRevokesTheFamily) {
  auto first = sessions_->login("admin@example.com", "correct horse");
  ASSERT_TRUE(first.ok());
  clock_.advance(1000);
  auto second = sessions_->refresh(first->refreshToken, std::nullopt);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_NE(second->refreshToken, first->refreshToken);
  EXPECT_NE(second->csrfToken, first->csrfToken);
  ASSERT_TRUE(sessions_->authenticate(second->accessToken, clock_.now()).ok());

  // The first token again: someone copied it. The family is over.
  auto replay = sessions_->refresh(first->refreshToken, std::nullopt);
  EXPECT_EQ(replay.status().code(), Code::kUnauthenticated);
  EXPECT_EQ(sessions_->refresh(second->refreshToken, std::nullopt).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(sessions_->authenticate(second->accessToken, clock_.now()).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(sessions_->authenticate(first->accessToken, clock_.now()).status().code(), Code::kUnauthenticated);

  // Another login is another family, untouched.
  auto other = sessions_->login("admin@example.com", "correct horse");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(sessions_->authenticate(other->accessToken, clock_.now()).ok());
}

TEST_F(SessionServiceTest, CookieRefreshNeedsTheFamilysCsrf) {
  auto first = sessions_->login("admin@example.com", "correct horse");
  ASSERT_TRUE(first.ok());
  auto other = sessions_->login("admin@example.com", "correct horse");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(sessions_->refresh(first->refreshToken, std::string_view("")).status().code(), Code::kPermissionDenied);
  // Another session's csrf does not fit this family.
  EXPECT_EQ(sessions_->refresh(first->refreshToken, std::string_view(other->csrfToken)).status().message(), kBadCsrf);
  auto rotated = sessions_->refresh(first->refreshToken, std::string_view(first->csrfToken));
  ASSERT_TRUE(rotated.ok()) << rotated.status().message();
  // The old csrf went with the old token.
  EXPECT_EQ(sessions_->refresh(rotated->refreshToken, std::string_view(first->csrfToken)).status().code(),
            Code::kPermissionDenied);
  EXPECT_TRUE(sessions_->refresh(rotated->refreshToken, std::string_view(rotated->csrfToken)).ok());
}

TEST_F(SessionServiceTest, LogoutEndsTheFamilyAndRefreshTokensExpire) {
  auto session = sessions_->login("admin@example.com", "correct horse");
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(sessions_->logout(session->refreshToken, std::nullopt).isOk());
  EXPECT_EQ(sessions_->authenticate(session->accessToken, clock_.now()).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(sessions_->refresh(session->refreshToken, std::nullopt).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(sessions_->logout(session->refreshToken, std::nullopt).code(), Code::kUnauthenticated);

  auto later = sessions_->login("admin@example.com", "correct horse");
  ASSERT_TRUE(later.ok());
  clock_.advance(3'600'000);  // refreshTtlMs
  EXPECT_EQ(sessions_->refresh(later->refreshToken, std::nullopt).status().code(), Code::kUnauthenticated);
}

TEST_F(SessionServiceTest, PasswordChangeAndDeletionEndSessions) {
  auto session = sessions_->login("admin@example.com", "correct horse");
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(users_->setPassword("admin@example.com", "battery staple").isOk());
  EXPECT_FALSE(sessions_->authenticate(session->accessToken, clock_.now()).ok());
  EXPECT_FALSE(sessions_->login("admin@example.com", "correct horse").ok());
  auto again = sessions_->login("admin@example.com", "battery staple");
  ASSERT_TRUE(again.ok());
  // The last administrator is never deleted: another one first.
  EXPECT_EQ(users_->remove("admin@example.com").code(), Code::kConflict);
  ASSERT_TRUE(users_->create("second@example.com", "another admin", true).ok());
  ASSERT_TRUE(users_->remove("admin@example.com").isOk());
  EXPECT_FALSE(sessions_->authenticate(again->accessToken, clock_.now()).ok());
  EXPECT_EQ(users_->remove("admin@example.com").code(), Code::kNotFound);
}

TEST_F(SessionServiceTest, LoginUpgradesAHashMadeWithOtherParameters) {
  auto stronger = makeSessions(kStronger);
  ASSERT_NE(stronger, nullptr);
  auto session = stronger->login("admin@example.com", "correct horse");
  ASSERT_TRUE(session.ok()) << session.status().message();
  EXPECT_TRUE(session->rehashed);
  auto stored = store_->findUserByEmail("admin@example.com");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_TRUE((*stored)->passwordHash.starts_with("$argon2id$v=19$m=128,t=2,p=1$"));
  EXPECT_FALSE(auth::passwordNeedsRehash((*stored)->passwordHash, kStronger));
  // Already current: no second rehash, and the old service still verifies it.
  auto again = stronger->login("admin@example.com", "correct horse");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->rehashed);
  EXPECT_TRUE(sessions_->login("admin@example.com", "correct horse").ok());
}

TEST_F(SessionServiceTest, EveryServiceOnTheStoreSharesTheAccessKey) {
  auto session = sessions_->login("admin@example.com", "correct horse");
  ASSERT_TRUE(session.ok());
  auto second = makeSessions(kCheap);  // another API process
  ASSERT_NE(second, nullptr);
  EXPECT_TRUE(second->authenticate(session->accessToken, clock_.now()).ok());
}

}  // namespace
}  // namespace ls::control
