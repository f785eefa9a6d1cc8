#include "control/session_service.hpp"

#include <spdlog/spdlog.h>

#include <utility>

#include "auth/access_token.hpp"
#include "control/user_service.hpp"
#include "core/encoding.hpp"

namespace ls::control {

namespace {

Status invalidCredentials() { return {Code::kUnauthenticated, std::string(kInvalidCredentials)}; }
Status invalidRefresh() { return {Code::kUnauthenticated, std::string(kInvalidRefreshToken)}; }
Status invalidAccess() { return {Code::kUnauthenticated, std::string(kInvalidAccessToken)}; }

std::string randomToken(Random& random) {
  std::array<std::uint8_t, 32> bytes{};
  random.fill(bytes);
  return base64UrlEncode(bytes);
}

}  // namespace

Result<std::unique_ptr<SessionService>> SessionService::create(Store& store, const Clock& clock, Random& random,
                                                               SessionOptions options) {
  std::array<std::uint8_t, auth::kAccessTokenKeyBytes> fresh{};
  random.fill(fresh);
  auto stored = store.ensureAccessTokenKey(AccessTokenKeyRecord{base64UrlEncode(fresh), clock.now()});
  if (!stored.ok()) return stored.status();
  auto key = base64UrlDecode(stored->secret);
  if (!key || key->size() != auth::kAccessTokenKeyBytes) {
    return internalError("the stored access-token key is not 32 bytes of base64url");
  }
  // Unknown emails are verified against this, with the current parameters,
  // so they cost what a known email with a wrong password costs.
  auto dummy = auth::hashPassword(randomToken(random), random, options.passwordParams);
  if (!dummy.ok()) return dummy.status();
  return std::unique_ptr<SessionService>(
      new SessionService(store, clock, random, options, std::move(*key), std::move(*dummy)));
}

SessionService::SessionService(Store& store, const Clock& clock, Random& random, SessionOptions options,
                               std::vector<std::uint8_t> accessKey, std::string dummyHash)
    : store_(store),
      clock_(clock),
      random_(random),
      options_(options),
      accessKey_(std::move(accessKey)),
      dummyHash_(std::move(dummyHash)) {}

SessionService::NewTokens SessionService::newTokens(UnixMillis now) {
  NewTokens t;
  t.refresh = randomToken(random_);
  t.csrf = randomToken(random_);
  t.record = RefreshTokenRecord{.tokenHash = auth::hashSessionToken(t.refresh),
                                .familyId = {},
                                .createdAt = now,
                                .expiresAt = now + options_.refreshTtlMs,
                                .rotatedAt = std::nullopt};
  return t;
}

IssuedSession SessionService::issue(const UserRecord& user, const std::string& familyId, NewTokens tokens,
                                    UnixMillis now) {
  const std::int64_t iat = now / 1000;
  IssuedSession out;
  out.accessToken = auth::signAccessToken(accessKey_, auth::AccessTokenClaims{.sub = user.id,
                                                                             .sid = familyId,
                                                                             .jti = newUuidV4(random_),
                                                                             .iat = iat,
                                                                             .exp = iat + options_.accessTtlSeconds});
  out.refreshToken = std::move(tokens.refresh);
  out.csrfToken = std::move(tokens.csrf);
  out.expiresIn = options_.accessTtlSeconds;
  out.refreshTtlSeconds = options_.refreshTtlMs / 1000;
  out.user = user;
  return out;
}

Result<IssuedSession> SessionService::login(std::string_view email, std::string_view password) {
  auto normalized = normalizeEmail(email);
  std::optional<UserRecord> user;
  if (normalized.ok() && password.size() <= auth::kMaxPasswordBytes) {
    auto found = store_.findUserByEmail(*normalized);
    if (!found.ok()) return found.status();
    user = std::move(*found);
  }
  // Same work whether or not the email is known (or even well-formed).
  const bool verified = auth::verifyPassword(password, user ? user->passwordHash : dummyHash_);
  if (!user || !verified) return invalidCredentials();

  const UnixMillis now = clock_.now();
  bool rehashed = false;
  if (auth::passwordNeedsRehash(user->passwordHash, options_.passwordParams)) {
    auto hash = auth::hashPassword(password, random_, options_.passwordParams);
    if (hash.ok() && store_.setUserPasswordHash(user->id, *hash, now, false).isOk()) {
      user->passwordHash = std::move(*hash);
      rehashed = true;
    } else {
      // The login stands on the old hash; the next one tries again.
      spdlog::warn("could not upgrade the password hash of user {}", user->id);
    }
  }
  NewTokens tokens = newTokens(now);
  const SessionFamilyRecord family{.id = newUuidV4(random_),
                                   .userId = user->id,
                                   .csrfHash = auth::hashSessionToken(tokens.csrf),
                                   .createdAt = now,
                                   .revokedAt = std::nullopt};
  tokens.record.familyId = family.id;
  LS_RETURN_IF_ERROR(store_.insertSession(family, tokens.record));
  IssuedSession out = issue(*user, family.id, std::move(tokens), now);
  out.rehashed = rehashed;
  return out;
}

Result<RefreshTokenLookup> SessionService::lookup(std::string_view refreshToken,
                                                  std::optional<std::string_view> csrf) {
  if (!auth::isWellFormedSessionToken(refreshToken)) return invalidRefresh();
  auto found = store_.findRefreshToken(auth::hashSessionToken(refreshToken));
  if (!found.ok()) return found.status();
  if (!found->has_value()) return invalidRefresh();
  // The cookie travels by itself; the header proves the page that sends it
  // could read the ls_csrf cookie, which only our own origin can.
  if (csrf && !(auth::isWellFormedSessionToken(*csrf) &&
                constantTimeEquals(auth::hashSessionToken(*csrf), (*found)->family.csrfHash))) {
    return Status(Code::kPermissionDenied, std::string(kBadCsrf));
  }
  return std::move(**found);
}

Result<IssuedSession> SessionService::refresh(std::string_view refreshToken, std::optional<std::string_view> csrf) {
  auto found = lookup(refreshToken, csrf);
  if (!found.ok()) return found.status();
  const UnixMillis now = clock_.now();
  NewTokens tokens = newTokens(now);
  auto rotated = store_.rotateRefreshToken(RefreshRotation{.oldTokenHash = found->token.tokenHash,
                                                           .next = tokens.record,
                                                           .csrfHash = auth::hashSessionToken(tokens.csrf),
                                                           .at = now});
  if (!rotated.ok()) return rotated.status();
  switch (rotated->outcome) {
    case RotationOutcome::kRotated: break;
    case RotationOutcome::kReused:
      spdlog::warn("a spent refresh token of user {} was presented again: session {} revoked", rotated->userId,
                   rotated->familyId);
      return invalidRefresh();
    case RotationOutcome::kUnknown:
    case RotationOutcome::kRevoked:
    case RotationOutcome::kExpired: return invalidRefresh();
  }
  auto user = store_.findUser(rotated->userId);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return invalidRefresh();
  return issue(**user, rotated->familyId, std::move(tokens), now);
}

Status SessionService::logout(std::string_view refreshToken, std::optional<std::string_view> csrf) {
  auto found = lookup(refreshToken, csrf);
  if (!found.ok()) return found.status();
  if (found->family.revokedAt) return invalidRefresh();
  return store_.revokeSessionFamily(found->family.id, clock_.now());
}

Result<Principal> SessionService::authenticate(std::string_view bearer, UnixMillis now) {
  auto claims = auth::verifyAccessToken(bearer, accessKey_, now / 1000);
  if (!claims.ok()) return invalidAccess();
  auto session = store_.findLiveSession(claims->sid);
  if (!session.ok()) return session.status();
  if (!session->has_value() || (*session)->user.id != claims->sub) return invalidAccess();
  const UserRecord& user = (*session)->user;
  return Principal{user.id, user.email, user.isAdmin, claims->sid};
}

Result<UserRecord> SessionService::me(const Principal& principal) {
  auto user = store_.findUser(principal.userId);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return invalidAccess();
  return std::move(**user);
}

}  // namespace ls::control
