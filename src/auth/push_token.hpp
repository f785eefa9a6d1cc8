// Push tokens (SPEC §1, §4): RS256 JWTs that authorise one RTMP publish.
// The control plane signs them; the RTMP ingest path and the media-server hook
// endpoints verify them with verifyPushToken and nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/jwks.hpp"
#include "auth/signing_key.hpp"
#include "core/status.hpp"

namespace ls::auth {

// Tokens longer than this are refused unread; a real one is about 700 bytes.
inline constexpr std::size_t kMaxPushTokenBytes = 8 * 1024;
// SPEC §4: "exp is in the future (60 s leeway at most)".
inline constexpr std::int64_t kMaxPushTokenLeewaySeconds = 60;

// The claims, exactly as SPEC §1 lists them, plus jti (the token's id, which
// the store remembers as the livestream's current token). "type" is always
// "push_token" and is not a field.
struct PushTokenClaims {
  std::string sub;  // livestream id
  std::string projectId;
  std::string mediaServerId;
  std::string streamKey;
  std::string jti;  // empty: no jti claim
  std::int64_t iat = 0;
  std::int64_t exp = 0;
};

// header.payload.signature, header {"alg":"RS256","typ":"JWT","kid":<key.kid()>}.
std::string signPushToken(const SigningKey& key, const PushTokenClaims& claims);

enum class PushTokenRefusal {
  kMalformed,             // not a JWS we can read, or claims of the wrong type
  kUnsupportedAlgorithm,  // alg is not exactly "RS256" (none, HS256, RS384, ES256, ...)
  kUnknownKey,            // kid names no key in the set
  kBadSignature,
  kWrongType,  // "type" is not "push_token"
  kExpired,
  kWrongStreamKey,
  kWrongMediaServer,
  kRetired,  // a newer token was issued for the livestream
};
const char* toString(PushTokenRefusal refusal);

struct PushTokenExpectations {
  std::string_view streamKey;      // the RTMP stream name being published
  std::string_view mediaServerId;  // this node
  std::int64_t nowSeconds = 0;
  // Clamped to 0..kMaxPushTokenLeewaySeconds.
  std::int64_t leewaySeconds = kMaxPushTokenLeewaySeconds;
  // jti of the livestream's current token; nullopt skips the check (a media
  // node that cannot see the store leaves it to the control plane).
  std::optional<std::string_view> currentTokenId;
};

struct PushTokenCheck {
  bool accepted = false;
  PushTokenRefusal refusal = PushTokenRefusal::kMalformed;  // meaningful only when !accepted
  // Readable, for the RTMP onStatus description and hook answers, e.g.
  // "push token expired at 2026-01-12T18:12:38.000Z". Never contains the token.
  std::string reason;
  // Filled as soon as the signature verified and the claims parsed, so a
  // refusal past that point can still be logged against its livestream.
  PushTokenClaims claims;
};

// Checks, in this order: size and shape (three base64url segments); header
// alg exactly "RS256" (before any key is touched); kid known; RS256 signature
// over the exact signing input; claims JSON with strict types; type; exp plus
// leeway after now; stream key; media server; jti equal to the current one.
// Duplicate JSON keys anywhere make the token malformed. Never throws.
PushTokenCheck verifyPushToken(std::string_view token, const PublicKeySet& keys, const PushTokenExpectations& expect);

// The claims JSON of a token on its own, without signature or expectations:
// strict types, no duplicate keys, "type" returned but not judged. Exposed
// for the fuzz target and diagnostics; never use it to authorise anything.
struct PushTokenPayload {
  PushTokenClaims claims;
  std::string type;
};
Result<PushTokenPayload> parsePushTokenPayload(std::string_view json);

}  // namespace ls::auth
