#include "http/query.hpp"

#include <gtest/gtest.h>

namespace ls::http {
namespace {

TEST(PercentDecode, DecodesEscapesInBothCases) {
  EXPECT_EQ(percentDecode("a%20b%2Fc%2fd", false), "a b/c/d");
  EXPECT_EQ(percentDecode("%E2%9C%93", false), "\xE2\x9C\x93");
  EXPECT_EQ(percentDecode("", false), "");
}

TEST(PercentDecode, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(percentDecode("a+b", true), "a b");
  EXPECT_EQ(percentDecode("a+b", false), "a+b");
  EXPECT_EQ(percentDecode("a%2Bb", true), "a+b");
}

TEST(PercentDecode, KeepsInvalidEscapesLiterally) {
  EXPECT_EQ(percentDecode("100%", false), "100%");
  EXPECT_EQ(percentDecode("%4", false), "%4");
  EXPECT_EQ(percentDecode("%zz%41", false), "%zzA");
  EXPECT_EQ(percentDecode("%%41", false), "%A");
  EXPECT_EQ(percentDecode("%G1", false), "%G1");
}

TEST(PercentDecode, DecodesNulAndHighBytes) {
  const std::string decoded = percentDecode("a%00b%ff", false);
  ASSERT_EQ(decoded.size(), 4u);
  EXPECT_EQ(decoded[1], '\0');
  EXPECT_EQ(static_cast<unsigned char>(decoded[3]), 0xffu);
}

TEST(PercentDecode, AppendKeepsPrefix) {
  std::string out = "x:";
  percentDecodeAppend("a%41", false, out);
  EXPECT_EQ(out, "x:aA");
}

TEST(DecodedEquals, ComparesWithoutDecodingFirst) {
  EXPECT_TRUE(decodedEquals("stream%5Fkey", "stream_key"));
  EXPECT_TRUE(decodedEquals("a+b", "a b"));
  EXPECT_TRUE(decodedEquals("", ""));
  EXPECT_FALSE(decodedEquals("ab", "abc"));
  EXPECT_FALSE(decodedEquals("abc", "ab"));
  EXPECT_FALSE(decodedEquals("%41", "%41"));
  EXPECT_TRUE(decodedEquals("%4", "%4"));
}

TEST(QueryParam, FindsFirstDecodedValue) {
  const std::string_view q = "page=2&limit=10&search=my+stream%21&page=3";
  EXPECT_EQ(queryParam(q, "page"), "2");
  EXPECT_EQ(queryParam(q, "limit"), "10");
  EXPECT_EQ(queryParam(q, "search"), "my stream!");
  EXPECT_EQ(queryParam(q, "status"), std::nullopt);
}

TEST(QueryParam, HandlesEmptyPiecesFlagsAndEncodedKeys) {
  EXPECT_EQ(queryParam("&&a=1&&", "a"), "1");
  EXPECT_EQ(queryParam("flag&x=1", "flag"), "");
  EXPECT_EQ(queryParam("x=", "x"), "");
  EXPECT_EQ(queryParam("project%49d=p1", "projectId"), "p1");
  EXPECT_EQ(queryParam("a=b=c", "a"), "b=c");
  EXPECT_EQ(queryParam("", "a"), std::nullopt);
  EXPECT_EQ(queryParam("=v", ""), "v");
}

TEST(QueryParams, ListsAllPairsInOrder) {
  const auto all = queryParams("b=2&a=x%20y&&c");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0], (std::pair<std::string, std::string>{"b", "2"}));
  EXPECT_EQ(all[1], (std::pair<std::string, std::string>{"a", "x y"}));
  EXPECT_EQ(all[2], (std::pair<std::string, std::string>{"c", ""}));
}

}  // namespace
}  // namespace ls::http
