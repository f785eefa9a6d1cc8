#include "core/random.hpp"

#include <gtest/gtest.h>

#include <set>

namespace ls {
namespace {

TEST(Ids, UuidV4HasVersionAndVariant) {
  SecureRandom random;
  const std::string id = newUuidV4(random);
  ASSERT_TRUE(isUuid(id)) << id;
  EXPECT_EQ(id[14], '4');
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);
}

TEST(Ids, StreamKeysAre32LowercaseHexAndDistinct) {
  SecureRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string key = newStreamKey(random);
    EXPECT_TRUE(isStreamKey(key)) << key;
    seen.insert(key);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Ids, ValidatorsRejectLookalikes) {
  EXPECT_FALSE(isUuid("not-a-uuid"));
  EXPECT_FALSE(isUuid("123e4567-e89b-12d3-a456-42661417400"));
  EXPECT_FALSE(isUuid("123e4567Xe89b-12d3-a456-426614174000"));
  EXPECT_TRUE(isUuid("123e4567-e89b-12d3-a456-426614174000"));
  EXPECT_FALSE(isStreamKey("EE04AFFE2A669854052102FE762BD715"));
  EXPECT_FALSE(isStreamKey("ee04affe2a669854052102fe762bd71"));
  EXPECT_TRUE(isStreamKey("ee04affe2a669854052102fe762bd715"));
}

}  // namespace
}  // namespace ls
