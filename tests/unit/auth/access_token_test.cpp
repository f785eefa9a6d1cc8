// Access tokens: HS256 with typ at+jwt and aud lunarstream-admin only.
#include "auth/access_token.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <vector>

#include "auth/push_token.hpp"
#include "auth_test_support.hpp"
#include "core/encoding.hpp"

namespace ls::auth {
namespace {

std::vector<std::uint8_t> keyOf(std::uint8_t fill) { return std::vector<std::uint8_t>(32, fill); }

std::string hs256(std::span<const std::uint8_t> key, std::string_view headerJson, std::string_view payloadJson) {
  std::string input = base64UrlEncode(headerJson) + "." + base64UrlEncode(payloadJson);
  std::array<std::uint8_t, 32> mac{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(input.data()),
       input.size(), mac.data(), &len);
  return input + "." + base64UrlEncode(mac);
}

class AccessTokenTest : public ::testing::Test {
 protected:
  std::vector<std::uint8_t> key_ = keyOf(7);
  AccessTokenClaims claims_{.sub = "0b9d6a44-1c3f-4f27-9d37-1b0a3f5b8e21",
                            .sid = "5f3c2a10-7d4e-4b8a-9c61-2e8f0a1b3c4d",
                            .jti = "9f1c2d3e-4b5a-4678-9abc-0123456789ab",
                            .iat = 1'800'000'000,
                            .exp = 1'800'000'900};
  std::string header() const { return R"({"alg":"HS256","typ":"at+jwt","kid":")" + accessTokenKid(key_) + "\"}"; }
  std::string payload(std::string_view aud = R"("lunarstream-admin")") const {
    return R"({"iss":"lunarstream","aud":)" + std::string(aud) +
           R"(,"sub":"u","sid":"s","iat":1800000000,"exp":1800000900,"jti":"j"})";
  }
};

TEST_F(AccessTokenTest, SignedTokenVerifiesWithItsClaims) {
  const std::string token = signAccessToken(key_, claims_);
  auto verified = verifyAccessToken(token, key_, claims_.iat + 10);
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  EXPECT_EQ(verified->sub, claims_.sub);
  EXPECT_EQ(verified->sid, claims_.sid);
  EXPECT_EQ(verified->jti, claims_.jti);
  EXPECT_EQ(verified->exp, claims_.iat + kAccessTokenTtlSeconds);
}

TEST_F(AccessTokenTest, ExpiredAtExpNotBefore) {
  const std::string token = signAccessToken(key_, claims_);
  EXPECT_TRUE(verifyAccessToken(token, key_, claims_.exp - 1).ok());
  EXPECT_EQ(verifyAccessToken(token, key_, claims_.exp).status().code(), Code::kUnauthenticated);
}

TEST_F(AccessTokenTest, AnotherKeyOrATamperedTokenIsRefused) {
  const std::string token = signAccessToken(key_, claims_);
  EXPECT_FALSE(verifyAccessToken(token, keyOf(8), claims_.iat).ok());
  // Same kid (the check is the MAC, not the kid): a token signed with another key under our kid.
  const std::string forged = hs256(keyOf(8), header(), payload());
  EXPECT_FALSE(verifyAccessToken(forged, key_, claims_.iat).ok());
  std::string flipped = token;
  flipped[flipped.find('.') + 5] ^= 1;
  EXPECT_FALSE(verifyAccessToken(flipped, key_, claims_.iat).ok());
  EXPECT_FALSE(verifyAccessToken(token + "x", key_, claims_.iat).ok());
  EXPECT_FALSE(verifyAccessToken("", key_, claims_.iat).ok());
  EXPECT_FALSE(verifyAccessToken(std::string(kMaxAccessTokenBytes + 1, 'a'), key_, claims_.iat).ok());
}

TEST_F(AccessTokenTest, OnlyHs256AndAtJwtAreAccepted) {
  EXPECT_TRUE(verifyAccessToken(hs256(key_, header(), payload()), key_, claims_.iat).ok());
  const std::string kid = accessTokenKid(key_);
  // alg none, with and without a signature.
  const std::string none = base64UrlEncode(R"({"alg":"none","typ":"at+jwt","kid":")" + kid + "\"}") + "." +
                           base64UrlEncode(payload()) + ".";
  EXPECT_FALSE(verifyAccessToken(none, key_, claims_.iat).ok());
  EXPECT_FALSE(verifyAccessToken(hs256(key_, R"({"alg":"none","typ":"at+jwt","kid":")" + kid + "\"}", payload()),
                                 key_, claims_.iat)
                   .ok());
  EXPECT_FALSE(
      verifyAccessToken(hs256(key_, R"({"alg":"RS256","typ":"at+jwt","kid":")" + kid + "\"}", payload()), key_,
                        claims_.iat)
          .ok());
  EXPECT_FALSE(
      verifyAccessToken(hs256(key_, R"({"alg":"HS384","typ":"at+jwt","kid":")" + kid + "\"}", payload()), key_,
                        claims_.iat)
          .ok());
  // typ JWT (what push tokens carry) or missing.
  EXPECT_FALSE(verifyAccessToken(hs256(key_, R"({"alg":"HS256","typ":"JWT","kid":")" + kid + "\"}", payload()), key_,
                                 claims_.iat)
                   .ok());
  EXPECT_FALSE(
      verifyAccessToken(hs256(key_, R"({"alg":"HS256","kid":")" + kid + "\"}", payload()), key_, claims_.iat).ok());
  // crit, and duplicate header members.
  EXPECT_FALSE(verifyAccessToken(
                   hs256(key_, R"({"alg":"HS256","typ":"at+jwt","crit":["x"],"kid":")" + kid + "\"}", payload()),
                   key_, claims_.iat)
                   .ok());
  EXPECT_FALSE(verifyAccessToken(
                   hs256(key_, R"({"alg":"none","alg":"HS256","typ":"at+jwt","kid":")" + kid + "\"}", payload()),
                   key_, claims_.iat)
                   .ok());
}

TEST_F(AccessTokenTest, OnlyOurIssuerAndAudience) {
  EXPECT_FALSE(verifyAccessToken(hs256(key_, header(), payload(R"("lunarstream-partner")")), key_, claims_.iat).ok());
  EXPECT_FALSE(verifyAccessToken(hs256(key_, header(), payload(R"(["lunarstream-admin"])")), key_, claims_.iat).ok());
  const std::string otherIss =
      R"({"iss":"evil","aud":"lunarstream-admin","sub":"u","sid":"s","iat":1800000000,"exp":1800000900,"jti":"j"})";
  EXPECT_FALSE(verifyAccessToken(hs256(key_, header(), otherIss), key_, claims_.iat).ok());
  const std::string floatExp =
      R"({"iss":"lunarstream","aud":"lunarstream-admin","sub":"u","sid":"s","iat":1800000000,"exp":1.8e9,"jti":"j"})";
  EXPECT_FALSE(verifyAccessToken(hs256(key_, header(), floatExp), key_, claims_.iat).ok());
  const std::string noSid =
      R"({"iss":"lunarstream","aud":"lunarstream-admin","sub":"u","iat":1800000000,"exp":1800000900,"jti":"j"})";
  EXPECT_FALSE(verifyAccessToken(hs256(key_, header(), noSid), key_, claims_.iat).ok());
}

TEST_F(AccessTokenTest, PushTokensAndAccessTokensNeverCross) {
  const SigningKey& rsa = testing::primaryKey();
  PushTokenClaims push;
  push.sub = claims_.sub;
  push.projectId = "p";
  push.mediaServerId = "m";
  push.streamKey = "ee04affe2a669854052102fe762bd715";
  push.jti = "j";
  push.iat = claims_.iat;
  push.exp = claims_.exp;
  const std::string pushToken = signPushToken(rsa, push);
  EXPECT_FALSE(verifyAccessToken(pushToken, key_, claims_.iat).ok());

  const std::string accessToken = signAccessToken(key_, claims_);
  const PushTokenCheck check = verifyPushToken(accessToken, PublicKeySet::fromSigningKey(rsa),
                                               PushTokenExpectations{.streamKey = push.streamKey,
                                                                     .mediaServerId = "m",
                                                                     .nowSeconds = claims_.iat,
                                                                     .leewaySeconds = 0,
                                                                     .currentTokenId = std::nullopt});
  EXPECT_FALSE(check.accepted);
  EXPECT_EQ(check.refusal, PushTokenRefusal::kUnsupportedAlgorithm);
}

TEST(SessionTokens, ShapeAndHash) {
  EXPECT_TRUE(isWellFormedSessionToken(base64UrlEncode(std::string(32, 'x'))));
  EXPECT_FALSE(isWellFormedSessionToken(base64UrlEncode(std::string(31, 'x'))));
  EXPECT_FALSE(isWellFormedSessionToken(std::string(43, '!')));
  EXPECT_EQ(hashSessionToken("abc").size(), 64u);
  EXPECT_NE(hashSessionToken("abc"), hashSessionToken("abd"));
}

}  // namespace
}  // namespace ls::auth
