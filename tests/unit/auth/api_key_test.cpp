#include "auth/api_key.hpp"

#include <gtest/gtest.h>

#include <set>

#include "auth/crypto.hpp"
#include "core/encoding.hpp"

namespace ls::auth {
namespace {

// Hands out the bytes it was given, for reproducible keys.
class FixedRandom final : public Random {
 public:
  explicit FixedRandom(std::uint8_t fillByte) : byte_(fillByte) {}
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = byte_++;
  }

 private:
  std::uint8_t byte_;
};

TEST(Sha256, MatchesKnownVectors) {
  // FIPS 180-2 examples.
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(constantTimeEquals("", ""));
  EXPECT_TRUE(constantTimeEquals("secret", "secret"));
  EXPECT_FALSE(constantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(constantTimeEquals("secret", "secret2"));
  EXPECT_FALSE(constantTimeEquals("", "x"));
}

TEST(ApiKey, HasPrefixAnd43Base64UrlChars) {
  FixedRandom random(0);
  const IssuedApiKey key = issueApiKey(random);
  ASSERT_EQ(key.plaintext.size(), 54u);
  EXPECT_EQ(key.plaintext.substr(0, 11), "ls_proj_v1_");
  // Bytes 0x00..0x1f, base64url-encoded.
  EXPECT_EQ(key.plaintext.substr(11), "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8");
  EXPECT_TRUE(isWellFormedApiKey(key.plaintext));
}

TEST(ApiKey, HashIsSha256HexOfTheWholeKey) {
  FixedRandom random(7);
  const IssuedApiKey key = issueApiKey(random);
  EXPECT_EQ(key.hash, sha256Hex(key.plaintext));
  EXPECT_EQ(key.hash, hashApiKey(key.plaintext));
  EXPECT_EQ(key.hash.size(), 64u);
  EXPECT_EQ(key.hash.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(key.plaintext.find(key.hash), std::string::npos);
}

TEST(ApiKey, KeysFromTheSecureSourceAreDistinct) {
  SecureRandom random;
  std::set<std::string> plaintexts;
  std::set<std::string> hashes;
  for (int i = 0; i < 200; ++i) {
    const IssuedApiKey key = issueApiKey(random);
    EXPECT_TRUE(isWellFormedApiKey(key.plaintext)) << key.plaintext;
    plaintexts.insert(key.plaintext);
    hashes.insert(key.hash);
  }
  EXPECT_EQ(plaintexts.size(), 200u);
  EXPECT_EQ(hashes.size(), 200u);
}

TEST(ApiKey, WellFormednessRejectsLookalikes) {
  const std::string good = "ls_proj_v1_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
  ASSERT_TRUE(isWellFormedApiKey(good));
  EXPECT_FALSE(isWellFormedApiKey(""));
  EXPECT_FALSE(isWellFormedApiKey("ls_proj_v1_"));
  EXPECT_FALSE(isWellFormedApiKey(good.substr(0, 53)));                          // one char short
  EXPECT_FALSE(isWellFormedApiKey(good + "A"));                                  // one char long
  EXPECT_FALSE(isWellFormedApiKey("ls_proj_v2_" + good.substr(11)));             // other version
  EXPECT_FALSE(isWellFormedApiKey("LS_PROJ_V1_" + good.substr(11)));             // prefix is case-sensitive
  EXPECT_FALSE(isWellFormedApiKey(good.substr(0, 20) + "+" + good.substr(21)));  // base64, not base64url
  EXPECT_FALSE(isWellFormedApiKey(good.substr(0, 53) + "="));                    // padding
  // The last char carries 4 data bits and 2 zero bits: "h" (..100001) has a
  // non-zero tail, so it is a non-canonical spelling of some other key.
  EXPECT_FALSE(isWellFormedApiKey(good.substr(0, 53) + "h"));
}

}  // namespace
}  // namespace ls::auth
