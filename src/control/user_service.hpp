// Dashboard users: create, list, change a password, delete. The CLI (`lunarstream
// user ...`) and, later, the admin API call these. Emails are stored trimmed
// and lower-cased; passwords are 8..1024 bytes and stored as argon2id hashes
// with the configured parameters.
//
// Threading: thread-safe; blocking (Store, and argon2id costs tens of ms of
// CPU): never on an event loop.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/password.hpp"
#include "core/random.hpp"
#include "core/status.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace ls::control {

inline constexpr std::size_t kMinPasswordBytes = 8;
inline constexpr std::size_t kMaxEmailBytes = 254;

// Trimmed, ASCII lower-cased; kInvalidArgument unless it looks like
// local@domain (no spaces or control characters, at most 254 bytes).
Result<std::string> normalizeEmail(std::string_view email);
// kInvalidArgument unless 8..1024 bytes.
Status checkPasswordLength(std::string_view password);

class UserService {
 public:
  UserService(Store& store, const Clock& clock, Random& random, auth::PasswordHashParams params);

  // A new user's record (id, normalized email, argon2id hash) without
  // storing it, for callers that insert it in a transaction of their own.
  Result<UserRecord> newRecord(std::string_view email, std::string_view password, bool isAdmin);
  // kConflict when the email is taken.
  Result<UserRecord> create(std::string_view email, std::string_view password, bool isAdmin);
  Result<std::vector<UserRecord>> list();
  // Also ends every session of the user (they log in again with the new one).
  Status setPassword(std::string_view email, std::string_view password);
  // The user and their sessions; kNotFound when unknown.
  Status remove(std::string_view email);
  Result<UserRecord> findByEmail(std::string_view email);

 private:
  Store& store_;
  const Clock& clock_;
  Random& random_;
  const auth::PasswordHashParams params_;
};

}  // namespace ls::control
