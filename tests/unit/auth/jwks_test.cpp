#include "auth/jwks.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "auth/push_token.hpp"
#include "auth_test_support.hpp"
#include "core/encoding.hpp"

namespace ls::auth {
namespace {

namespace json = boost::json;

// RFC 7638 §3.1's example key (RSA-2048).
constexpr std::string_view kRfcN =
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknj"
    "hMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQ"
    "vRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzK"
    "nqDKgw";

// {"keys":[<one key whose members are `members` plus n and e unless given>]}
std::string jwksWith(const std::string& members) {
  return R"({"keys":[{)" + members + "}]}";
}
std::string rsaMembers(std::string_view extra = {}) {
  return R"("kty":"RSA","kid":"k1","n":")" + std::string(kRfcN) + R"(","e":"AQAB")" + std::string(extra);
}

PushTokenClaims sampleClaims() {
  PushTokenClaims c;
  c.sub = "0b9d6a44-1c3f-4f27-9d37-1b0a3f5b8e21";
  c.projectId = "5f3c2a10-7d4e-4b8a-9c61-2e8f0a1b3c4d";
  c.mediaServerId = "a1b2c3d4-e5f6-4789-8abc-def012345678";
  c.streamKey = "ee04affe2a669854052102fe762bd715";
  c.jti = "t-1";
  c.iat = 1'768'000'000;
  c.exp = c.iat + 3600;
  return c;
}

PushTokenExpectations expectationsFor(const PushTokenClaims& c) {
  PushTokenExpectations e;
  e.streamKey = c.streamKey;
  e.mediaServerId = c.mediaServerId;
  e.nowSeconds = c.iat + 10;
  return e;
}

TEST(Jwks, RoundTripsASigningKeyAndVerifiesWithThePublicKeysAlone) {
  const SigningKey& key = testing::primaryKey();
  const PublicKeySet local = PublicKeySet::fromSigningKey(key);
  ASSERT_EQ(local.size(), 1u);
  const std::string jwksText = local.toJwksJson();
  EXPECT_EQ(jwksText, R"({"keys":[)" + key.publicJwk() + "]}");

  auto remote = PublicKeySet::fromJwks(jwksText);
  ASSERT_TRUE(remote.ok()) << remote.status().message();
  ASSERT_EQ(remote->size(), 1u);
  EXPECT_NE(remote->find(key.kid()), nullptr);
  EXPECT_EQ(remote->find("some-other-kid"), nullptr);
  EXPECT_EQ(remote->toJwksJson(), jwksText);

  const PushTokenClaims claims = sampleClaims();
  const PushTokenCheck check = verifyPushToken(signPushToken(key, claims), *remote, expectationsFor(claims));
  EXPECT_TRUE(check.accepted) << check.reason;
}

TEST(Jwks, HoldsSeveralKeysForRotation) {
  const SigningKey& oldKey = testing::primaryKey();
  const SigningKey& newKey = testing::otherKey();
  PublicKeySet both = PublicKeySet::fromSigningKey(oldKey);
  ASSERT_TRUE(both.add(newKey).isOk());
  EXPECT_FALSE(both.add(newKey).isOk());  // same kid twice

  auto parsed = PublicKeySet::fromJwks(both.toJwksJson());
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed->size(), 2u);
  const PushTokenClaims claims = sampleClaims();
  for (const SigningKey* key : {&oldKey, &newKey}) {
    const PushTokenCheck check = verifyPushToken(signPushToken(*key, claims), *parsed, expectationsFor(claims));
    EXPECT_TRUE(check.accepted) << check.reason;
  }
}

TEST(Jwks, AcceptsAForeignRsaKeyWithOptionalMembers) {
  auto set = PublicKeySet::fromJwks(jwksWith(rsaMembers(R"(,"alg":"RS256","use":"sig","x5t":"ignored")")));
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_NE(set->find("k1"), nullptr);
  auto bare = PublicKeySet::fromJwks(jwksWith(rsaMembers()));
  EXPECT_TRUE(bare.ok()) << bare.status().message();
}

TEST(Jwks, RefusesKeysThatCannotVerifyRs256) {
  const std::string n(kRfcN);
  // 512-bit modulus: 64 bytes, top bit set.
  const std::string tinyN = base64UrlEncode(std::string(64, '\xC5'));
  struct Case {
    const char* name;
    std::string json;
    const char* expected;
  };
  const Case cases[] = {
      {"EC key", jwksWith(R"("kty":"EC","kid":"k1","crv":"P-256","x":"AAAA","y":"AAAA")"), "kty is not \"RSA\""},
      {"RS384", jwksWith(rsaMembers(R"(,"alg":"RS384")")), "alg is not \"RS256\""},
      {"HS256", jwksWith(rsaMembers(R"(,"alg":"HS256")")), "alg is not \"RS256\""},
      {"encryption key", jwksWith(rsaMembers(R"(,"use":"enc")")), "use is not \"sig\""},
      {"private", jwksWith(rsaMembers(R"(,"d":"AQAB")")), "private key material"},
      {"tiny modulus", jwksWith(R"("kty":"RSA","kid":"k1","e":"AQAB","n":")" + tinyN + "\""), "512 bits"},
      {"bad base64url n", jwksWith(R"("kty":"RSA","kid":"k1","e":"AQAB","n":"abc$)" + n + "\""), "base64url"},
      {"padded n", jwksWith(R"("kty":"RSA","kid":"k1","e":"AQAB","n":")" + n + "==\""), "base64url"},
      {"leading zero", jwksWith(R"("kty":"RSA","kid":"k1","e":"AQAB","n":"AA)" + n + "\""), "leading zero"},
      {"even e", jwksWith(R"("kty":"RSA","kid":"k1","e":"Ag","n":")" + n + "\""), "exponent"},
      {"e = 1", jwksWith(R"("kty":"RSA","kid":"k1","e":"AQ","n":")" + n + "\""), "exponent"},
      {"no kid", jwksWith(R"("kty":"RSA","e":"AQAB","n":")" + n + "\""), "kid"},
      {"numeric n", jwksWith(R"("kty":"RSA","kid":"k1","e":"AQAB","n":12345)"), "must be strings"},
      {"no n", jwksWith(R"("kty":"RSA","kid":"k1","e":"AQAB")"), "n or e is missing"},
      {"duplicate kid", R"({"keys":[{)" + rsaMembers() + "},{" + rsaMembers() + "}]}", "duplicate key id"},
      {"duplicate member", jwksWith(rsaMembers(R"(,"kty":"RSA")")), "duplicate key"},
      {"empty set", R"({"keys":[]})", "no keys"},
      {"no keys array", R"({"key":[]})", "no \"keys\" array"},
      {"not an object", R"(["keys"])", "no \"keys\" array"},
      {"key not an object", R"({"keys":["RSA"]})", "not a JSON object"},
      {"not JSON", "keys: none", "JWKS"},
  };
  for (const Case& c : cases) {
    auto set = PublicKeySet::fromJwks(c.json);
    ASSERT_FALSE(set.ok()) << c.name;
    EXPECT_EQ(set.status().code(), Code::kInvalidArgument) << c.name;
    EXPECT_NE(set.status().message().find(c.expected), std::string::npos) << c.name << ": " << set.status().message();
  }
}

TEST(Jwks, RefusesOversizedSets) {
  std::string many = R"({"keys":[)";
  for (int i = 0; i < 17; ++i) {
    if (i > 0) many += ',';
    many += R"({"kty":"RSA","kid":"k)" + std::to_string(i) + R"(","n":")" + std::string(kRfcN) + R"(","e":"AQAB"})";
  }
  many += "]}";
  EXPECT_FALSE(PublicKeySet::fromJwks(many).ok());
  EXPECT_FALSE(PublicKeySet::fromJwks(std::string(70 * 1024, ' ') + R"({"keys":[]})").ok());
}

}  // namespace
}  // namespace ls::auth
