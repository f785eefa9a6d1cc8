#include "auth/password.hpp"

#include <gtest/gtest.h>

namespace ls::auth {
namespace {

// Cheap parameters keep the tests fast; the defaults are checked separately.
const PasswordHashParams kFast{1, 1024, 1};

TEST(Password, HashesInPhcFormatAndVerifies) {
  SecureRandom random;
  auto hash = hashPassword("correct horse battery staple", random, kFast);
  ASSERT_TRUE(hash.ok()) << hash.status().message();
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=1024,t=1,p=1$")) << *hash;
  EXPECT_TRUE(verifyPassword("correct horse battery staple", *hash));
  EXPECT_FALSE(verifyPassword("correct horse battery stapl", *hash));
  EXPECT_FALSE(verifyPassword("", *hash));
}

TEST(Password, SaltsMakeEqualPasswordsHashDifferently) {
  SecureRandom random;
  auto a = hashPassword("hunter2", random, kFast);
  auto b = hashPassword("hunter2", random, kFast);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(verifyPassword("hunter2", *a));
  EXPECT_TRUE(verifyPassword("hunter2", *b));
}

TEST(Password, DefaultParametersFollowTheOwaspBaseline) {
  SecureRandom random;
  auto hash = hashPassword("pw", random);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << *hash;
  EXPECT_TRUE(verifyPassword("pw", *hash));
  EXPECT_FALSE(passwordNeedsRehash(*hash, PasswordHashParams{}));
  EXPECT_TRUE(passwordNeedsRehash(*hash, kFast));
}

TEST(Password, RefusesTamperedOrForeignHashes) {
  SecureRandom random;
  auto hash = hashPassword("pw", random, kFast);
  ASSERT_TRUE(hash.ok());
  std::string tampered = *hash;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verifyPassword("pw", tampered));
  EXPECT_FALSE(verifyPassword("pw", ""));
  EXPECT_FALSE(verifyPassword("pw", "pw"));
  // argon2i and argon2d hashes are not ours.
  std::string argon2i = *hash;
  argon2i.replace(0, 9, "$argon2i");
  EXPECT_FALSE(verifyPassword("pw", argon2i));
  // Parameters that would make a login allocate 4 GiB are refused unverified.
  std::string huge = *hash;
  huge.replace(huge.find("m=1024"), 6, "m=4194304");
  EXPECT_FALSE(verifyPassword("pw", huge));
  EXPECT_TRUE(passwordNeedsRehash("garbage", kFast));
}

TEST(Password, RefusesOverlongPasswords) {
  SecureRandom random;
  EXPECT_FALSE(hashPassword(std::string(kMaxPasswordBytes + 1, 'x'), random, kFast).ok());
  auto hash = hashPassword(std::string(kMaxPasswordBytes, 'x'), random, kFast);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(verifyPassword(std::string(kMaxPasswordBytes, 'x'), *hash));
  EXPECT_FALSE(verifyPassword(std::string(kMaxPasswordBytes + 1, 'x'), *hash));
}

}  // namespace
}  // namespace ls::auth
