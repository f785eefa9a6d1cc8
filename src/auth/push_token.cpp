#include "auth/push_token.hpp"

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <limits>

#include "auth/crypto.hpp"
#include "auth/jwt_json.hpp"
#include "auth/rsa.hpp"
#include "auth/strict_json.hpp"
#include "core/encoding.hpp"
#include "core/time.hpp"

namespace ls::auth {

namespace json = boost::json;

namespace {

constexpr std::string_view kPushTokenType = "push_token";
constexpr StrictJsonLimits kSegmentJsonLimits{kMaxPushTokenBytes, 4};
// Latest instant formatIso8601 is asked to print: 9999-12-31T23:59:59Z.
constexpr std::int64_t kMaxFormattableSeconds = 253402300799;

// Attacker-supplied text (alg, kid, type) goes into reasons that reach logs
// and RTMP clients: keep it short and printable.
std::string printableQuoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text.substr(0, 32)) out.push_back(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? c : '?');
  if (text.size() > 32) out.append("...");
  out.push_back('"');
  return out;
}

std::string formatExpiry(std::int64_t exp) {
  if (exp >= 0 && exp <= kMaxFormattableSeconds) {
    std::string iso = formatIso8601(exp * 1000);
    // Token times are whole seconds; ".000" would only add noise.
    if (iso.size() > 5 && iso.compare(iso.size() - 5, 5, ".000Z") == 0) iso.replace(iso.size() - 5, 5, "Z");
    return iso;
  }
  return std::to_string(exp) + " (Unix seconds)";
}

PushTokenCheck refuse(PushTokenRefusal refusal, std::string reason, PushTokenClaims claims = {}) {
  return PushTokenCheck{false, refusal, std::move(reason), std::move(claims)};
}

PushTokenCheck malformed(std::string_view detail) {
  return refuse(PushTokenRefusal::kMalformed, "push token is malformed: " + std::string(detail));
}

}  // namespace

const char* toString(PushTokenRefusal refusal) {
  switch (refusal) {
    case PushTokenRefusal::kMalformed: return "malformed";
    case PushTokenRefusal::kUnsupportedAlgorithm: return "unsupported_algorithm";
    case PushTokenRefusal::kUnknownKey: return "unknown_key";
    case PushTokenRefusal::kBadSignature: return "bad_signature";
    case PushTokenRefusal::kWrongType: return "wrong_type";
    case PushTokenRefusal::kExpired: return "expired";
    case PushTokenRefusal::kWrongStreamKey: return "wrong_stream_key";
    case PushTokenRefusal::kWrongMediaServer: return "wrong_media_server";
    case PushTokenRefusal::kRetired: return "retired";
  }
  return "unknown";
}

std::string signPushToken(const SigningKey& key, const PushTokenClaims& claims) {
  json::object header;
  header["alg"] = "RS256";
  header["typ"] = "JWT";
  header["kid"] = key.kid();
  // Members in SPEC §1 order; json::object keeps insertion order.
  json::object payload;
  payload["sub"] = claims.sub;
  payload["projectId"] = claims.projectId;
  payload["mediaServerId"] = claims.mediaServerId;
  payload["streamKey"] = claims.streamKey;
  payload["iat"] = claims.iat;
  payload["exp"] = claims.exp;
  payload["type"] = kPushTokenType;
  if (!claims.jti.empty()) payload["jti"] = claims.jti;

  std::string token = base64UrlEncode(json::serialize(header));
  token.push_back('.');
  token.append(base64UrlEncode(json::serialize(payload)));
  const std::vector<std::uint8_t> signature = key.sign(token);
  token.push_back('.');
  token.append(base64UrlEncode(signature));
  return token;
}

Result<PushTokenPayload> parsePushTokenPayload(std::string_view text) {
  auto parsed = parseStrictJson(text, kSegmentJsonLimits);
  if (!parsed) return invalidArgument("claims: " + parsed.status().message());
  const json::object* o = parsed->if_object();
  if (o == nullptr) return invalidArgument("claims are not a JSON object");
  PushTokenPayload out;
  PushTokenClaims& c = out.claims;
  if (!requiredString(*o, "type", &out.type)) return invalidArgument("claim type is missing or not a string");
  if (!requiredString(*o, "sub", &c.sub) || !requiredString(*o, "projectId", &c.projectId) ||
      !requiredString(*o, "mediaServerId", &c.mediaServerId) || !requiredString(*o, "streamKey", &c.streamKey)) {
    return invalidArgument("claims sub, projectId, mediaServerId and streamKey must be non-empty strings");
  }
  if (!requiredInteger(*o, "iat", &c.iat) || !requiredInteger(*o, "exp", &c.exp)) {
    return invalidArgument("claims iat and exp must be integers");
  }
  if (c.exp < c.iat) return invalidArgument("claim exp is before iat");
  if (o->contains("jti") && !requiredString(*o, "jti", &c.jti)) {
    return invalidArgument("claim jti must be a non-empty string");
  }
  return out;
}

PushTokenCheck verifyPushToken(std::string_view token, const PublicKeySet& keys, const PushTokenExpectations& expect) {
  if (token.empty()) return malformed("empty");
  if (token.size() > kMaxPushTokenBytes) return malformed("longer than 8 KiB");

  // Exactly three segments: a JWE (five) or anything with extra dots is not ours.
  const std::size_t firstDot = token.find('.');
  const std::size_t secondDot = firstDot == std::string_view::npos ? firstDot : token.find('.', firstDot + 1);
  if (secondDot == std::string_view::npos || token.find('.', secondDot + 1) != std::string_view::npos) {
    return malformed("not three dot-separated segments");
  }
  const std::string_view headerSegment = token.substr(0, firstDot);
  const std::string_view payloadSegment = token.substr(firstDot + 1, secondDot - firstDot - 1);
  const std::string_view signatureSegment = token.substr(secondDot + 1);
  const std::string_view signingInput = token.substr(0, secondDot);

  auto header = decodeJsonSegment(headerSegment, "header", kSegmentJsonLimits);
  if (!header) return malformed(header.status().message());
  const json::value* alg = header->if_contains("alg");
  if (alg == nullptr || !alg->is_string()) return malformed("header alg is missing or not a string");
  // The algorithm is fixed, not negotiated: "none", HS256 (with the public key
  // as an HMAC secret) and every other alg are refused before any key is used.
  if (jsonView(alg->get_string()) != "RS256") {
    return refuse(PushTokenRefusal::kUnsupportedAlgorithm,
                  "push token algorithm " + printableQuoted(jsonView(alg->get_string())) + " is not accepted (RS256 only)");
  }
  if (const json::value* typ = header->if_contains("typ");
      typ != nullptr && !(typ->is_string() && typ->get_string() == "JWT")) {
    return malformed("header typ is not \"JWT\"");
  }
  // RFC 7515 §4.1.11: extensions listed in crit must be understood; we know none.
  if (header->contains("crit")) return malformed("header has crit extensions");
  // jku, x5u, jwk and x5c are ignored on purpose: keys come only from our set.
  const json::value* kid = header->if_contains("kid");
  if (kid == nullptr || !kid->is_string()) return malformed("header kid is missing or not a string");
  evp_pkey_st* publicKey = keys.find(jsonView(kid->get_string()));
  if (publicKey == nullptr) {
    return refuse(PushTokenRefusal::kUnknownKey,
                  "push token is signed with an unknown key (kid " + printableQuoted(jsonView(kid->get_string())) + ")");
  }

  const auto signature = base64UrlDecode(signatureSegment);
  if (!signature) return malformed("signature is not base64url");
  if (!rs256Verify(publicKey, signingInput, *signature)) {
    return refuse(PushTokenRefusal::kBadSignature, "push token signature does not verify");
  }

  const auto payloadBytes = base64UrlDecode(payloadSegment);
  if (!payloadBytes) return malformed("payload is not base64url");
  auto payload = parsePushTokenPayload(
      std::string_view(reinterpret_cast<const char*>(payloadBytes->data()), payloadBytes->size()));
  if (!payload) return malformed(payload.status().message());
  PushTokenClaims& claims = payload->claims;

  if (payload->type != kPushTokenType) {
    return refuse(PushTokenRefusal::kWrongType,
                  "token type " + printableQuoted(payload->type) + " is not \"push_token\"", std::move(claims));
  }
  const std::int64_t leeway = std::clamp<std::int64_t>(expect.leewaySeconds, 0, kMaxPushTokenLeewaySeconds);
  // Accepted while exp + leeway > now, written so that no addition can overflow.
  if (claims.exp <= expect.nowSeconds - leeway) {
    return refuse(PushTokenRefusal::kExpired, "push token expired at " + formatExpiry(claims.exp), std::move(claims));
  }
  // Stream keys are secrets: compare in constant time, never echo them.
  if (!constantTimeEquals(claims.streamKey, expect.streamKey)) {
    return refuse(PushTokenRefusal::kWrongStreamKey, "push token is for another stream key", std::move(claims));
  }
  if (claims.mediaServerId != expect.mediaServerId) {
    return refuse(PushTokenRefusal::kWrongMediaServer, "push token is for another media server", std::move(claims));
  }
  if (expect.currentTokenId.has_value() &&
      (claims.jti.empty() || !constantTimeEquals(claims.jti, *expect.currentTokenId))) {
    return refuse(PushTokenRefusal::kRetired, "push token was replaced by a newer one", std::move(claims));
  }
  return PushTokenCheck{true, PushTokenRefusal::kMalformed, {}, std::move(claims)};
}

}  // namespace ls::auth
