// Logins of dashboard users (docs/api.md, "Users and sessions"): a login opens a
// session family and answers a 15-minute access JWT (auth/access_token.hpp),
// a refresh token and a CSRF token. A refresh spends its refresh token and
// answers a new set (rotation); presenting a spent refresh token again means
// it was copied, so the whole family is revoked (reuse detection). Logout
// revokes the family. Every access token carries its family id, and
// authenticate() reads the family (one store read), so a revocation ends
// access tokens at once too.
//
// Only SHA-256 hashes of refresh and CSRF tokens are stored. The access-token
// key is read from the Store once at create() (created there atomically if
// the store has none), shared by every API process on the database.
//
// Threading: thread-safe. login() runs argon2id (tens of ms, ~19 MiB):
// worker threads only, never an event loop. The others are Store calls.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/access_token.hpp"
#include "auth/password.hpp"
#include "control/principal.hpp"
#include "core/random.hpp"
#include "core/status.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace ls::control {

inline constexpr std::string_view kInvalidCredentials = "Invalid email or password";
inline constexpr std::string_view kInvalidAccessToken = "Invalid or expired access token";
inline constexpr std::string_view kInvalidRefreshToken = "Invalid or expired refresh token";
inline constexpr std::string_view kBadCsrf = "Missing or wrong CSRF token";

struct SessionOptions {
  auth::PasswordHashParams passwordParams;
  // How long a refresh token (and so an idle login) lives; each refresh
  // starts a new period.
  std::int64_t refreshTtlMs = 14LL * 24 * 3600 * 1000;
  std::int64_t accessTtlSeconds = auth::kAccessTokenTtlSeconds;
};

struct IssuedSession {
  std::string accessToken;
  std::string refreshToken;  // give to the client once; never log
  std::string csrfToken;
  std::int64_t expiresIn = 0;         // access token, seconds
  std::int64_t refreshTtlSeconds = 0;  // cookie Max-Age
  UserRecord user;
  bool rehashed = false;  // login: the stored hash was upgraded to the current parameters
};

class SessionService {
 public:
  // Reads (or creates) the access-token key and makes the dummy hash that
  // unknown emails are verified against.
  static Result<std::unique_ptr<SessionService>> create(Store& store, const Clock& clock, Random& random,
                                                        SessionOptions options);

  // kUnauthenticated kInvalidCredentials for an unknown email or a wrong
  // password, after the same argon2id work either way. A success whose hash
  // was made with other parameters stores a new hash (passwordNeedsRehash).
  Result<IssuedSession> login(std::string_view email, std::string_view password);
  // Rotation. csrf: the X-CSRF-Token header when the token came from the
  // cookie (nullopt when it came in the body): it must be the family's
  // current CSRF token, else kPermissionDenied kBadCsrf. An unknown, expired,
  // revoked or reused token is kUnauthenticated kInvalidRefreshToken (reuse
  // revokes the family first).
  Result<IssuedSession> refresh(std::string_view refreshToken, std::optional<std::string_view> csrf);
  // Revokes the token's family (same csrf rule). An unknown or already
  // revoked token is kUnauthenticated.
  Status logout(std::string_view refreshToken, std::optional<std::string_view> csrf);
  // The bearer access token -> its user, when the token verifies, has not
  // expired at `now` and its family is live. kUnauthenticated kInvalidAccessToken.
  Result<Principal> authenticate(std::string_view bearer, UnixMillis now);
  // The principal's user as stored now.
  Result<UserRecord> me(const Principal& principal);

 private:
  SessionService(Store& store, const Clock& clock, Random& random, SessionOptions options,
                 std::vector<std::uint8_t> accessKey, std::string dummyHash);

  struct NewTokens {
    std::string refresh;
    std::string csrf;
    RefreshTokenRecord record;
  };
  NewTokens newTokens(UnixMillis now);
  IssuedSession issue(const UserRecord& user, const std::string& familyId, NewTokens tokens, UnixMillis now);
  Result<RefreshTokenLookup> lookup(std::string_view refreshToken, std::optional<std::string_view> csrf);

  Store& store_;
  const Clock& clock_;
  Random& random_;
  const SessionOptions options_;
  const std::vector<std::uint8_t> accessKey_;
  const std::string dummyHash_;
};

}  // namespace ls::control
