#include "auth/strict_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace ls::auth {
namespace {

TEST(StrictJson, ParsesAnOrdinaryDocument) {
  auto v = parseStrictJson(R"( {"a":"x","n":-5,"u":18446744073709551615,"d":1.5,"t":true,"z":null,"l":[1,{"k":2}]} )");
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(boost::json::serialize(*v),
            R"({"a":"x","n":-5,"u":18446744073709551615,"d":1.5E0,"t":true,"z":null,"l":[1,{"k":2}]})");
  EXPECT_TRUE(v->at("n").is_int64());
  EXPECT_TRUE(v->at("u").is_uint64());
}

TEST(StrictJson, RefusesDuplicateKeysAtAnyDepth) {
  EXPECT_FALSE(parseStrictJson(R"({"type":"x","type":"push_token"})").ok());
  EXPECT_FALSE(parseStrictJson(R"({"a":{"b":1,"b":2}})").ok());
  EXPECT_FALSE(parseStrictJson(R"([{"b":1},{"c":1,"c":1}])").ok());
  // The same key in sibling objects is fine.
  EXPECT_TRUE(parseStrictJson(R"([{"b":1},{"b":1}])").ok());
  // Keys that differ only after an escape are different keys; equal after
  // unescaping are the same key.
  EXPECT_FALSE(parseStrictJson(R"({"alg":1,"\u0061lg":2})").ok());
  auto dup = parseStrictJson(R"({"k":1,"k":1})");
  EXPECT_NE(dup.status().message().find("duplicate"), std::string::npos);
}

TEST(StrictJson, RefusesTrailingDataAndNonStandardSyntax) {
  EXPECT_FALSE(parseStrictJson(R"({"a":1}{"b":2})").ok());
  EXPECT_FALSE(parseStrictJson(R"({"a":1} x)").ok());
  EXPECT_TRUE(parseStrictJson("{\"a\":1} \n").ok());
  EXPECT_FALSE(parseStrictJson(R"({"a":1,})").ok());
  EXPECT_FALSE(parseStrictJson(R"({"a":1 /* c */})").ok());
  EXPECT_FALSE(parseStrictJson("{\"a\":\"\xff\"}").ok());  // invalid UTF-8
  EXPECT_FALSE(parseStrictJson("").ok());
  EXPECT_FALSE(parseStrictJson("{").ok());
}

TEST(StrictJson, EnforcesSizeAndDepthLimits) {
  const StrictJsonLimits limits{16, 3};
  EXPECT_TRUE(parseStrictJson(R"([[["x"]]])", limits).ok());
  EXPECT_FALSE(parseStrictJson(R"([[[["x"]]]])", limits).ok());
  EXPECT_FALSE(parseStrictJson(R"({"a":"0123456789"})", limits).ok());  // 18 bytes
}

}  // namespace
}  // namespace ls::auth
