// Access tokens of dashboard sessions (docs/api.md, "Users and sessions"): HS256
// JWTs, header {"alg":"HS256","typ":"at+jwt","kid"}, claims iss "lunarstream",
// aud "lunarstream-admin", sub (user id), sid (session family id), iat,
// exp = iat + 900, jti. The key is 32 random bytes of their own (the Store's
// access_token_key), never a push-token key: the two kinds cannot verify as
// each other (different alg, typ and key).
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace ls::auth {

inline constexpr std::int64_t kAccessTokenTtlSeconds = 900;
inline constexpr std::size_t kAccessTokenKeyBytes = 32;
// A real token is about 400 bytes; longer ones are refused unread.
inline constexpr std::size_t kMaxAccessTokenBytes = 4096;
inline constexpr std::string_view kAccessTokenIssuer = "lunarstream";
inline constexpr std::string_view kAccessTokenAudience = "lunarstream-admin";
inline constexpr std::string_view kAccessTokenType = "at+jwt";

struct AccessTokenClaims {
  std::string sub;  // user id
  std::string sid;  // session family id
  std::string jti;
  std::int64_t iat = 0;
  std::int64_t exp = 0;
};

// The key's id in token headers: the first 16 hex digits of its SHA-256.
std::string accessTokenKid(std::span<const std::uint8_t> key);

std::string signAccessToken(std::span<const std::uint8_t> key, const AccessTokenClaims& claims);

// kUnauthenticated with a reason for logs (never the token) unless: at most
// kMaxAccessTokenBytes, three base64url segments, header exactly alg HS256
// and typ at+jwt (checked before the key is used), no crit, kid of this key,
// HMAC-SHA256 equal (constant time), claims per parseAccessTokenPayload with
// iss and aud exactly ours, and exp > nowSeconds (no leeway: the token is short
// and the issuer is the verifier's own cluster).
Result<AccessTokenClaims> verifyAccessToken(std::string_view token, std::span<const std::uint8_t> key,
                                            std::int64_t nowSeconds);

// The claims JSON alone, strict (no duplicate keys, JSON integers, non-empty
// strings; iss and aud checked). For the fuzz target; never authorises.
Result<AccessTokenClaims> parseAccessTokenPayload(std::string_view json);

// Refresh and CSRF tokens: base64url of 32 random bytes (43 characters).
// The store keeps only hashSessionToken (SHA-256 hex) of either.
inline constexpr std::size_t kSessionTokenLength = 43;
bool isWellFormedSessionToken(std::string_view text);
std::string hashSessionToken(std::string_view token);

}  // namespace ls::auth
