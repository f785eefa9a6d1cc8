#include "auth/push_token.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json/parse.hpp>

#include "auth_test_support.hpp"
#include "core/encoding.hpp"
#include "core/time.hpp"

namespace ls::auth {
namespace {

namespace json = boost::json;

std::string str(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : "<not a string>";
}

struct Segments {
  std::string header, payload, signature;
};

Segments split(const std::string& token) {
  const auto a = token.find('.');
  const auto b = token.find('.', a + 1);
  return {token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
}

// A token with this header and payload JSON, signed RS256 by `key` over the
// exact bytes given: lets tests sign documents signPushToken would never make.
std::string signRaw(const SigningKey& key, std::string_view headerJson, std::string_view payloadJson) {
  std::string input = base64UrlEncode(headerJson) + "." + base64UrlEncode(payloadJson);
  const auto signature = key.sign(input);
  return input + "." + base64UrlEncode(signature);
}

class PushTokenTest : public ::testing::Test {
 protected:
  PushTokenTest() : keys_(PublicKeySet::fromSigningKey(testing::primaryKey())) {
    claims_.sub = "0b9d6a44-1c3f-4f27-9d37-1b0a3f5b8e21";
    claims_.projectId = "5f3c2a10-7d4e-4b8a-9c61-2e8f0a1b3c4d";
    claims_.mediaServerId = "a1b2c3d4-e5f6-4789-8abc-def012345678";
    claims_.streamKey = "ee04affe2a669854052102fe762bd715";
    claims_.jti = "9f1c2d3e-4b5a-4678-9abc-0123456789ab";
    claims_.iat = *parseIso8601("2026-01-12T17:12:38.000Z") / 1000;
    claims_.exp = claims_.iat + 3600;
    expect_.streamKey = claims_.streamKey;
    expect_.mediaServerId = claims_.mediaServerId;
    expect_.nowSeconds = claims_.iat + 5;
    expect_.currentTokenId = claims_.jti;
  }

  [[nodiscard]] std::string token() const { return signPushToken(testing::primaryKey(), claims_); }
  [[nodiscard]] PushTokenCheck check(std::string_view token) const { return verifyPushToken(token, keys_, expect_); }
  [[nodiscard]] std::string headerJson(std::string_view alg = "RS256") const {
    return R"({"alg":")" + std::string(alg) + R"(","typ":"JWT","kid":")" + testing::primaryKey().kid() + "\"}";
  }
  [[nodiscard]] std::string payloadJson(std::string_view type = "push_token") const {
    return R"({"sub":")" + claims_.sub + R"(","projectId":")" + claims_.projectId + R"(","mediaServerId":")" +
           claims_.mediaServerId + R"(","streamKey":")" + claims_.streamKey + R"(","iat":)" +
           std::to_string(claims_.iat) + R"(,"exp":)" + std::to_string(claims_.exp) + R"(,"type":")" +
           std::string(type) + R"(","jti":")" + claims_.jti + "\"}";
  }

  PublicKeySet keys_;
  PushTokenClaims claims_;
  PushTokenExpectations expect_;
};

void expectRefused(const PushTokenCheck& result, PushTokenRefusal refusal) {
  EXPECT_FALSE(result.accepted);
  EXPECT_EQ(result.refusal, refusal) << "got " << toString(result.refusal) << ": " << result.reason;
  EXPECT_FALSE(result.reason.empty());
}

TEST_F(PushTokenTest, SignedTokenHasTheSpecHeaderAndClaims) {
  const Segments s = split(token());
  const json::object header = json::parse(testing::decodeSegment(s.header)).as_object();
  ASSERT_EQ(header.size(), 3u);
  EXPECT_EQ(str(header.at("alg")), "RS256");
  EXPECT_EQ(str(header.at("typ")), "JWT");
  EXPECT_EQ(str(header.at("kid")), testing::primaryKey().kid());

  const json::object payload = json::parse(testing::decodeSegment(s.payload)).as_object();
  ASSERT_EQ(payload.size(), 8u);
  EXPECT_EQ(str(payload.at("sub")), claims_.sub);
  EXPECT_EQ(str(payload.at("projectId")), claims_.projectId);
  EXPECT_EQ(str(payload.at("mediaServerId")), claims_.mediaServerId);
  EXPECT_EQ(str(payload.at("streamKey")), claims_.streamKey);
  ASSERT_TRUE(payload.at("iat").is_int64());
  EXPECT_EQ(payload.at("iat").get_int64(), claims_.iat);
  ASSERT_TRUE(payload.at("exp").is_int64());
  EXPECT_EQ(payload.at("exp").get_int64(), claims_.iat + 3600);
  EXPECT_EQ(str(payload.at("type")), "push_token");
  EXPECT_EQ(str(payload.at("jti")), claims_.jti);

  EXPECT_EQ(base64UrlDecode(s.signature)->size(), 256u);
}

TEST_F(PushTokenTest, WithoutJtiTheClaimIsOmitted) {
  claims_.jti.clear();
  const json::object payload = json::parse(testing::decodeSegment(split(token()).payload)).as_object();
  EXPECT_EQ(payload.size(), 7u);
  EXPECT_FALSE(payload.contains("jti"));
}

TEST_F(PushTokenTest, AcceptsAValidTokenAndReturnsItsClaims) {
  const PushTokenCheck result = check(token());
  ASSERT_TRUE(result.accepted) << result.reason;
  EXPECT_TRUE(result.reason.empty());
  EXPECT_EQ(result.claims.sub, claims_.sub);
  EXPECT_EQ(result.claims.projectId, claims_.projectId);
  EXPECT_EQ(result.claims.mediaServerId, claims_.mediaServerId);
  EXPECT_EQ(result.claims.streamKey, claims_.streamKey);
  EXPECT_EQ(result.claims.jti, claims_.jti);
  EXPECT_EQ(result.claims.iat, claims_.iat);
  EXPECT_EQ(result.claims.exp, claims_.exp);
}

TEST_F(PushTokenTest, RefusesAlgNoneUnsigned) {
  const std::string unsigned_ = base64UrlEncode(headerJson("none")) + "." + base64UrlEncode(payloadJson()) + ".";
  expectRefused(check(unsigned_), PushTokenRefusal::kUnsupportedAlgorithm);
  EXPECT_NE(check(unsigned_).reason.find("\"none\""), std::string::npos);
  // Even with a valid RS256 signature attached, alg must say RS256.
  expectRefused(check(signRaw(testing::primaryKey(), headerJson("none"), payloadJson())),
                PushTokenRefusal::kUnsupportedAlgorithm);
}

TEST_F(PushTokenTest, RefusesHs256SignedWithThePublicKeyAsHmacSecret) {
  // The classic key-confusion attack: a verifier that lets the token pick the
  // algorithm would check this HMAC with the (public) RSA key bytes.
  const std::string secret = testing::publicKeyPem(testing::primaryKey());
  const std::string input = base64UrlEncode(headerJson("HS256")) + "." + base64UrlEncode(payloadJson());
  std::uint8_t mac[EVP_MAX_MD_SIZE];
  unsigned int macLength = 0;
  ASSERT_NE(HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
                 reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &macLength),
            nullptr);
  const std::string forged = input + "." + base64UrlEncode(std::span<const std::uint8_t>(mac, macLength));
  expectRefused(check(forged), PushTokenRefusal::kUnsupportedAlgorithm);

  // The same HMAC under an RS256 header is just a bad signature.
  const std::string relabelled = base64UrlEncode(headerJson()) + "." + base64UrlEncode(payloadJson());
  ASSERT_NE(HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
                 reinterpret_cast<const unsigned char*>(relabelled.data()), relabelled.size(), mac, &macLength),
            nullptr);
  expectRefused(check(relabelled + "." + base64UrlEncode(std::span<const std::uint8_t>(mac, macLength))),
                PushTokenRefusal::kBadSignature);
}

TEST_F(PushTokenTest, RefusesOtherAlgorithms) {
  for (const char* alg : {"HS256", "RS384", "RS512", "PS256", "ES256", "rs256", "RS256 ", ""}) {
    expectRefused(check(signRaw(testing::primaryKey(), headerJson(alg), payloadJson())),
                  PushTokenRefusal::kUnsupportedAlgorithm);
  }
}

TEST_F(PushTokenTest, RefusesATamperedPayload) {
  Segments s = split(token());
  std::string payload = testing::decodeSegment(s.payload);
  const auto at = payload.find(claims_.streamKey);
  ASSERT_NE(at, std::string::npos);
  payload.replace(at, claims_.streamKey.size(), "00000000000000000000000000000000");
  expect_.streamKey = "00000000000000000000000000000000";
  expectRefused(check(s.header + "." + base64UrlEncode(payload) + "." + s.signature), PushTokenRefusal::kBadSignature);

  // A flipped bit in the signature itself, too.
  auto signature = *base64UrlDecode(s.signature);
  signature[100] ^= 0x01;
  expect_.streamKey = claims_.streamKey;
  expectRefused(check(s.header + "." + s.payload + "." + base64UrlEncode(signature)), PushTokenRefusal::kBadSignature);
  expectRefused(check(s.header + "." + s.payload + "."), PushTokenRefusal::kBadSignature);
}

TEST_F(PushTokenTest, RefusesAnUnknownKey) {
  // Signed properly, but by a key this set does not hold.
  expectRefused(check(signPushToken(testing::otherKey(), claims_)), PushTokenRefusal::kUnknownKey);
  // A known kid does not help a signature made with another key.
  const std::string otherSigned = signRaw(testing::otherKey(), headerJson(), payloadJson());
  expectRefused(check(otherSigned), PushTokenRefusal::kBadSignature);
}

TEST_F(PushTokenTest, AcceptsWithinTheLeewayAndRefusesBeyondIt) {
  const std::string t = token();
  expect_.nowSeconds = claims_.exp + 59;
  EXPECT_TRUE(check(t).accepted);
  expect_.nowSeconds = claims_.exp + 60;
  const PushTokenCheck expired = check(t);
  expectRefused(expired, PushTokenRefusal::kExpired);
  EXPECT_EQ(expired.reason, "push token expired at 2026-01-12T18:12:38Z");
  EXPECT_EQ(expired.claims.sub, claims_.sub);  // still known, for the log line

  // No leeway: expired the second exp arrives.
  expect_.leewaySeconds = 0;
  expect_.nowSeconds = claims_.exp - 1;
  EXPECT_TRUE(check(t).accepted);
  expect_.nowSeconds = claims_.exp;
  expectRefused(check(t), PushTokenRefusal::kExpired);
  // SPEC §4 caps the leeway at 60 s whatever the caller asks for.
  expect_.leewaySeconds = 3600;
  expect_.nowSeconds = claims_.exp + 61;
  expectRefused(check(t), PushTokenRefusal::kExpired);
}

TEST_F(PushTokenTest, RefusesAnotherTokenType) {
  const PushTokenCheck result = check(signRaw(testing::primaryKey(), headerJson(), payloadJson("access_token")));
  expectRefused(result, PushTokenRefusal::kWrongType);
  EXPECT_EQ(result.reason, "token type \"access_token\" is not \"push_token\"");
}

TEST_F(PushTokenTest, RefusesARetiredToken) {
  const std::string t = token();
  expect_.currentTokenId = "a-newer-token-id";
  expectRefused(check(t), PushTokenRefusal::kRetired);
  expect_.currentTokenId = std::nullopt;  // a node without store access skips the check
  EXPECT_TRUE(check(t).accepted);
  // A token without jti can never be "the current one".
  claims_.jti.clear();
  expect_.currentTokenId = "a-newer-token-id";
  expectRefused(check(token()), PushTokenRefusal::kRetired);
}

TEST_F(PushTokenTest, RefusesAnotherStreamKeyOrMediaServer) {
  const std::string t = token();
  expect_.streamKey = "ee04affe2a669854052102fe762bd716";
  const PushTokenCheck wrongKey = check(t);
  expectRefused(wrongKey, PushTokenRefusal::kWrongStreamKey);
  EXPECT_EQ(wrongKey.reason.find("ee04affe"), std::string::npos);  // never echo stream keys
  expect_.streamKey = "";
  expectRefused(check(t), PushTokenRefusal::kWrongStreamKey);

  expect_.streamKey = claims_.streamKey;
  expect_.mediaServerId = "b1b2c3d4-e5f6-4789-8abc-def012345678";
  expectRefused(check(t), PushTokenRefusal::kWrongMediaServer);
}

TEST_F(PushTokenTest, RefusesClaimsOfTheWrongType) {
  const std::string base = payloadJson();
  const std::string iat = std::to_string(claims_.iat);
  const std::string exp = std::to_string(claims_.exp);
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string p = base;
    p.replace(p.find(from), from.size(), to);
    return p;
  };
  const std::string payloads[] = {
      replaced(R"("iat":)" + iat, R"("iat":")" + iat + "\""),
      replaced(R"("exp":)" + exp, R"("exp":)" + exp + ".0"),
      replaced(R"("exp":)" + exp, R"("exp":1.7e9)"),
      replaced(R"("exp":)" + exp, R"("exp":99999999999999999999)"),
      replaced(R"("exp":)" + exp, R"("exp":null)"),
      replaced(R"("streamKey":")" + claims_.streamKey + "\"", R"("streamKey":12345)"),
      replaced(R"("sub":")" + claims_.sub + "\"", R"("sub":[")" + claims_.sub + "\"]"),
      replaced(R"("jti":")" + claims_.jti + "\"", R"("jti":true)"),
      replaced(R"("type":"push_token")", R"("type":{"v":"push_token"})"),
      replaced(R"("exp":)" + exp, R"("exp":)" + std::to_string(claims_.iat - 1)),  // exp before iat
      replaced(R"(,"projectId":")" + claims_.projectId + "\"", ""),                // missing claim
      base + " garbage",
      replaced(R"(,"jti")", R"(,"type":"push_token","jti")"),  // duplicate key
      "[" + base + "]",
  };
  for (const std::string& p : payloads) {
    expectRefused(check(signRaw(testing::primaryKey(), headerJson(), p)), PushTokenRefusal::kMalformed);
  }
}

TEST_F(PushTokenTest, RefusesMalformedHeaders) {
  const std::string kid = testing::primaryKey().kid();
  const std::string headers[] = {
      R"({"alg":"none","alg":"RS256","kid":")" + kid + "\"}",  // duplicate key
      R"({"typ":"JWT","kid":")" + kid + "\"}",                 // no alg
      R"({"alg":["RS256"],"kid":")" + kid + "\"}",
      R"({"alg":"RS256","kid":")" + kid + R"(","typ":"JWE"})",
      R"({"alg":"RS256","kid":")" + kid + R"(","crit":["exp"]})",
      R"({"alg":"RS256"})",  // no kid
      R"({"alg":"RS256","kid":7})",
      R"("RS256")",
  };
  for (const std::string& h : headers) {
    expectRefused(check(signRaw(testing::primaryKey(), h, payloadJson())), PushTokenRefusal::kMalformed);
  }
}

TEST_F(PushTokenTest, RefusesGarbageAsMalformed) {
  const std::string t = token();
  const Segments s = split(t);
  const std::string garbage[] = {
      "",
      ".",
      "..",
      "...",
      "not a token",
      "a.b.c",
      t + ".",
      t + "." + s.payload,                                   // extra segment
      s.header + "." + s.payload,                            // two segments
      s.header + "." + s.payload + "." + s.signature + "=",  // padding
      s.header + "=." + s.payload + "." + s.signature,
      "Bearer " + t,
      t.substr(0, t.size() / 2),
      std::string(kMaxPushTokenBytes + 1, 'a'),
      "\xff\xfe\x00\x01",
  };
  for (const std::string& g : garbage) {
    const PushTokenCheck result = check(g);
    EXPECT_FALSE(result.accepted) << g;
    EXPECT_EQ(result.refusal, PushTokenRefusal::kMalformed) << g << ": " << result.reason;
  }
}

TEST(PushTokenRefusal, HasStableNames) {
  EXPECT_STREQ(toString(PushTokenRefusal::kMalformed), "malformed");
  EXPECT_STREQ(toString(PushTokenRefusal::kUnsupportedAlgorithm), "unsupported_algorithm");
  EXPECT_STREQ(toString(PushTokenRefusal::kUnknownKey), "unknown_key");
  EXPECT_STREQ(toString(PushTokenRefusal::kBadSignature), "bad_signature");
  EXPECT_STREQ(toString(PushTokenRefusal::kWrongType), "wrong_type");
  EXPECT_STREQ(toString(PushTokenRefusal::kExpired), "expired");
  EXPECT_STREQ(toString(PushTokenRefusal::kWrongStreamKey), "wrong_stream_key");
  EXPECT_STREQ(toString(PushTokenRefusal::kWrongMediaServer), "wrong_media_server");
  EXPECT_STREQ(toString(PushTokenRefusal::kRetired), "retired");
}

}  // namespace
}  // namespace ls::auth
