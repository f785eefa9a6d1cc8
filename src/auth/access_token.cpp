#include "auth/access_token.hpp"


#include <array>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <limits>

#include "auth/crypto.hpp"
#include "auth/jwt_json.hpp"
#include "auth/strict_json.hpp"
#include "core/encoding.hpp"

namespace ls::auth {

namespace json = boost::json;

namespace {

constexpr StrictJsonLimits kSegmentJsonLimits{kMaxAccessTokenBytes, 4};

Status refused(std::string reason) { return {Code::kUnauthenticated, "access token refused: " + std::move(reason)}; }


}  // namespace

std::string accessTokenKid(std::span<const std::uint8_t> key) {
  return sha256Hex(std::string_view(reinterpret_cast<const char*>(key.data()), key.size())).substr(0, 16);
}

std::string signAccessToken(std::span<const std::uint8_t> key, const AccessTokenClaims& claims) {
  json::object header;
  header["alg"] = "HS256";
  header["typ"] = kAccessTokenType;
  header["kid"] = accessTokenKid(key);
  json::object payload;
  payload["iss"] = kAccessTokenIssuer;
  payload["aud"] = kAccessTokenAudience;
  payload["sub"] = claims.sub;
  payload["sid"] = claims.sid;
  payload["iat"] = claims.iat;
  payload["exp"] = claims.exp;
  payload["jti"] = claims.jti;
  std::string input = base64UrlEncode(json::serialize(header)) + "." + base64UrlEncode(json::serialize(payload));
  const Sha256Digest mac = hmacSha256(key, input);
  return input + "." + base64UrlEncode(mac);
}

Result<AccessTokenClaims> parseAccessTokenPayload(std::string_view text) {
  auto value = parseStrictJson(text, kSegmentJsonLimits);
  if (!value) return refused("claims: " + value.status().message());
  if (!value->is_object()) return refused("claims are not a JSON object");
  const json::object& o = value->get_object();
  if (!stringEquals(o, "iss", kAccessTokenIssuer)) return refused("iss is not \"lunarstream\"");
  // aud as a single string only: an array could smuggle other audiences in.
  if (!stringEquals(o, "aud", kAccessTokenAudience)) return refused("aud is not \"lunarstream-admin\"");
  AccessTokenClaims claims;
  if (!requiredString(o, "sub", &claims.sub) || !requiredString(o, "sid", &claims.sid) ||
      !requiredString(o, "jti", &claims.jti)) {
    return refused("sub, sid or jti is missing or not a non-empty string");
  }
  if (!requiredInteger(o, "iat", &claims.iat) || !requiredInteger(o, "exp", &claims.exp)) {
    return refused("iat or exp is missing or not an integer");
  }
  return claims;
}

Result<AccessTokenClaims> verifyAccessToken(std::string_view token, std::span<const std::uint8_t> key,
                                            std::int64_t nowSeconds) {
  if (token.empty()) return refused("no token");
  if (token.size() > kMaxAccessTokenBytes) return refused("token is too long");
  const std::size_t firstDot = token.find('.');
  const std::size_t secondDot = firstDot == std::string_view::npos ? firstDot : token.find('.', firstDot + 1);
  if (secondDot == std::string_view::npos || token.find('.', secondDot + 1) != std::string_view::npos) {
    return refused("not three dot-separated segments");
  }
  auto header = decodeJsonSegment(token.substr(0, firstDot), "header", kSegmentJsonLimits);
  if (!header) return refused(header.status().message());
  // Fixed, not negotiated: "none", RS256 (a push token), HS384... never reach the key.
  if (!stringEquals(*header, "alg", "HS256")) return refused("alg is not HS256");
  if (!stringEquals(*header, "typ", kAccessTokenType)) return refused("typ is not at+jwt");
  if (header->contains("crit")) return refused("header has crit extensions");
  if (!stringEquals(*header, "kid", accessTokenKid(key))) return refused("unknown kid");

  const auto signature = base64UrlDecode(token.substr(secondDot + 1));
  if (!signature || signature->size() != std::tuple_size_v<Sha256Digest>) return refused("bad signature");
  const Sha256Digest mac = hmacSha256(key, token.substr(0, secondDot));
  const std::string_view expected(reinterpret_cast<const char*>(mac.data()), mac.size());
  const std::string_view given(reinterpret_cast<const char*>(signature->data()), signature->size());
  if (!constantTimeEquals(expected, given)) return refused("bad signature");

  const auto payload = base64UrlDecode(token.substr(firstDot + 1, secondDot - firstDot - 1));
  if (!payload) return refused("payload is not base64url");
  auto claims =
      parseAccessTokenPayload(std::string_view(reinterpret_cast<const char*>(payload->data()), payload->size()));
  if (!claims) return claims.status();
  if (claims->exp <= nowSeconds) return refused("expired");
  return claims;
}

bool isWellFormedSessionToken(std::string_view text) {
  if (text.size() != kSessionTokenLength) return false;
  const auto bytes = base64UrlDecode(text);
  return bytes && bytes->size() == 32;
}

std::string hashSessionToken(std::string_view token) { return sha256Hex(token); }

}  // namespace ls::auth
