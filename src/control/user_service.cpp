#include "control/user_service.hpp"

#include <algorithm>
#include <utility>

namespace ls::control {

namespace {

Status noSuchUser() { return notFound("No user with that email"); }

}  // namespace

Result<std::string> normalizeEmail(std::string_view email) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!email.empty() && space(email.front())) email.remove_prefix(1);
  while (!email.empty() && space(email.back())) email.remove_suffix(1);
  if (email.empty()) return invalidArgument("email must not be empty");
  if (email.size() > kMaxEmailBytes) return invalidArgument("email must be at most 254 characters");
  std::string out;
  out.reserve(email.size());
  for (const char c : email) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return invalidArgument("email must not contain spaces or control characters");
    out.push_back(u >= 'A' && u <= 'Z' ? static_cast<char>(u - 'A' + 'a') : c);
  }
  const std::size_t at = out.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == out.size() || out.find('@', at + 1) != std::string::npos) {
    return invalidArgument("email must be an email address");
  }
  return out;
}

Status checkPasswordLength(std::string_view password) {
  if (password.size() < kMinPasswordBytes) return invalidArgument("password must be at least 8 characters");
  if (password.size() > auth::kMaxPasswordBytes) return invalidArgument("password must be at most 1024 bytes");
  return Status::ok();
}

UserService::UserService(Store& store, const Clock& clock, Random& random, auth::PasswordHashParams params)
    : store_(store), clock_(clock), random_(random), params_(params) {}

Result<UserRecord> UserService::create(std::string_view email, std::string_view password, bool isAdmin) {
  auto user = newRecord(email, password, isAdmin);
  if (!user.ok()) return user.status();
  return store_.insertUser(*user);
}

Result<UserRecord> UserService::newRecord(std::string_view email, std::string_view password, bool isAdmin) {
  auto normalized = normalizeEmail(email);
  if (!normalized.ok()) return normalized.status();
  LS_RETURN_IF_ERROR(checkPasswordLength(password));
  auto hash = auth::hashPassword(password, random_, params_);
  if (!hash.ok()) return hash.status();
  const UnixMillis now = clock_.now();
  UserRecord user{.id = newUuidV4(random_),
                  .email = std::move(*normalized),
                  .passwordHash = std::move(*hash),
                  .isAdmin = isAdmin,
                  .createdAt = now,
                  .updatedAt = now};
  return user;
}

Result<std::vector<UserRecord>> UserService::list() { return store_.listUsers(); }

Result<UserRecord> UserService::findByEmail(std::string_view email) {
  auto normalized = normalizeEmail(email);
  if (!normalized.ok()) return normalized.status();
  auto user = store_.findUserByEmail(*normalized);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return noSuchUser();
  return std::move(**user);
}

Status UserService::setPassword(std::string_view email, std::string_view password) {
  LS_RETURN_IF_ERROR(checkPasswordLength(password));
  auto user = findByEmail(email);
  if (!user.ok()) return user.status();
  auto hash = auth::hashPassword(password, random_, params_);
  if (!hash.ok()) return hash.status();
  return store_.setUserPasswordHash(user->id, *hash, clock_.now(), /*revokeSessions=*/true);
}

Status UserService::remove(std::string_view email) {
  auto user = findByEmail(email);
  if (!user.ok()) return user.status();
  return store_.deleteUser(user->id);
}

}  // namespace ls::control
