#include "auth/signing_key.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/parse.hpp>

#include "auth/rsa.hpp"
#include "auth_test_support.hpp"

namespace ls::auth {
namespace {

using testing::TempDir;
namespace fs = std::filesystem;

std::string str(const boost::json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : "<not a string>";
}

unsigned modeOf(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return static_cast<unsigned>(st.st_mode & 07777);
}

// umask can only remove bits; pin it so that "created 0600" is what we see.
class SigningKeyFile : public ::testing::Test {
 protected:
  void SetUp() override { previousUmask_ = ::umask(022); }
  void TearDown() override { ::umask(previousUmask_); }
  TempDir dir_;
  mode_t previousUmask_ = 0;
};

TEST_F(SigningKeyFile, FirstCallCreatesAPrivateKeyFile) {
  const fs::path keyDir = dir_.path() / "keys";
  auto key = SigningKey::loadOrCreate(keyDir);
  ASSERT_TRUE(key.ok()) << key.status().message();

  const fs::path file = keyDir / "push-token-key.pem";
  EXPECT_EQ(modeOf(file), 0600u);
  EXPECT_EQ(modeOf(keyDir), 0700u);
  // Only the key itself is left behind, no temporary file.
  std::size_t entries = 0;
  for (const auto& entry : fs::directory_iterator(keyDir)) {
    EXPECT_EQ(entry.path().filename(), "push-token-key.pem");
    ++entries;
  }
  EXPECT_EQ(entries, 1u);
  EXPECT_EQ(key->kid().size(), 43u);  // base64url of a SHA-256 digest
  EXPECT_EQ(rsaKeyBits(key->publicKey()), 2048);
}

TEST_F(SigningKeyFile, LaterCallsLoadTheSameKey) {
  auto first = SigningKey::loadOrCreate(dir_.path());
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto second = SigningKey::loadOrCreate(dir_.path());
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(first->kid(), second->kid());
  EXPECT_EQ(first->publicComponents().n, second->publicComponents().n);
  EXPECT_EQ(first->publicJwk(), second->publicJwk());
}

TEST_F(SigningKeyFile, RefusesAGroupOrWorldReadableKeyFile) {
  const fs::path file = dir_.path() / "push-token-key.pem";
  testing::writeFile(file, testing::generateRsaPem(2048), fs::perms(0644));
  auto key = SigningKey::loadOrCreate(dir_.path());
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), Code::kPermissionDenied);
  EXPECT_NE(key.status().message().find(file.string()), std::string::npos) << key.status().message();
  EXPECT_NE(key.status().message().find("0644"), std::string::npos) << key.status().message();

  fs::permissions(file, fs::perms(0640), fs::perm_options::replace);
  EXPECT_FALSE(SigningKey::loadOrCreate(dir_.path()).ok());
  // The file is left alone; fixing its mode makes it usable.
  fs::permissions(file, fs::perms(0600), fs::perm_options::replace);
  EXPECT_TRUE(SigningKey::loadOrCreate(dir_.path()).ok());
}

TEST_F(SigningKeyFile, RefusesContentsThatAreNotAnRsa2048PemKey) {
  const fs::path file = dir_.path() / "push-token-key.pem";
  struct Case {
    const char* name;
    std::string contents;
    const char* expected;
  };
  const Case cases[] = {
      {"not PEM", "hello, I am not a key\n", "not an unencrypted PEM private key"},
      {"empty", "", "not an unencrypted PEM private key"},
      {"encrypted", testing::generateEncryptedRsaPem("passphrase"), "not an unencrypted PEM private key"},
      {"EC", testing::generateEcP256Pem(), "not an RSA key"},
      {"RSA-1024", testing::generateRsaPem(1024), "has 1024 bits"},
  };
  for (const Case& c : cases) {
    testing::writeFile(file, c.contents, fs::perms(0600));
    auto key = SigningKey::loadOrCreate(dir_.path());
    ASSERT_FALSE(key.ok()) << c.name;
    EXPECT_NE(key.status().message().find(file.string()), std::string::npos) << c.name;
    EXPECT_NE(key.status().message().find(c.expected), std::string::npos) << c.name << ": " << key.status().message();
  }
}

TEST_F(SigningKeyFile, RefusesADirectoryWhereTheKeyShouldBe) {
  fs::create_directory(dir_.path() / "push-token-key.pem");
  auto key = SigningKey::loadOrCreate(dir_.path());
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.status().message().find("not a regular file"), std::string::npos) << key.status().message();
}

TEST_F(SigningKeyFile, RefusesAnUnreadableKeyFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode";
  const fs::path file = dir_.path() / "push-token-key.pem";
  testing::writeFile(file, testing::generateRsaPem(2048), fs::perms(0200));
  auto key = SigningKey::loadOrCreate(dir_.path());
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), Code::kPermissionDenied);
  EXPECT_NE(key.status().message().find(file.string()), std::string::npos);
}

TEST(SigningKey, SignsWithRs256) {
  const SigningKey& key = testing::primaryKey();
  const std::vector<std::uint8_t> signature = key.sign("header.payload");
  ASSERT_EQ(signature.size(), 256u);
  EXPECT_TRUE(rs256Verify(key.publicKey(), "header.payload", signature));
  EXPECT_FALSE(rs256Verify(key.publicKey(), "header.payloaD", signature));
  EXPECT_FALSE(rs256Verify(testing::otherKey().publicKey(), "header.payload", signature));
  // PKCS#1 v1.5 is deterministic: the same input gives the same bytes.
  EXPECT_EQ(key.sign("header.payload"), signature);
}

TEST(SigningKey, PublicJwkCarriesOnlyPublicMembers) {
  const SigningKey& key = testing::primaryKey();
  const boost::json::object jwk = boost::json::parse(key.publicJwk()).as_object();
  EXPECT_EQ(jwk.size(), 6u);
  EXPECT_EQ(str(jwk.at("kty")), "RSA");
  EXPECT_EQ(str(jwk.at("use")), "sig");
  EXPECT_EQ(str(jwk.at("alg")), "RS256");
  EXPECT_EQ(str(jwk.at("kid")), key.kid());
  EXPECT_EQ(str(jwk.at("e")), "AQAB");
  EXPECT_EQ(jwk.at("n").as_string().size(), 342u);  // 256 bytes of base64url
  EXPECT_EQ(key.kid(), rsaJwkThumbprint(jwk.at("n").as_string(), "AQAB"));
}

TEST(JwkThumbprint, MatchesTheRfc7638Example) {
  // RFC 7638 §3.1.
  const std::string n =
      "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknj"
      "hMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQ"
      "vRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzK"
      "nqDKgw";
  EXPECT_EQ(rsaJwkThumbprint(n, "AQAB"), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

}  // namespace
}  // namespace ls::auth
