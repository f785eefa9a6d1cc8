#include "api/body_reader.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace ls::api {
namespace {

boost::json::object obj(std::string_view text) { return boost::json::parse(text).as_object(); }

std::vector<std::string> problems(const Validator& v) { return v.status().details(); }

TEST(Validator, CollectsEveryProblemInOrder) {
  Validator v;
  const auto body = obj(R"({"name": 5, "projectId": "x", "extra": true})");
  v.onlyFields(body, {"name", "projectId", "mediaServerId"});
  EXPECT_FALSE(v.string(body, "name", true).has_value());
  EXPECT_FALSE(v.uuid(body, "projectId", true).has_value());
  EXPECT_FALSE(v.uuid(body, "mediaServerId", true).has_value());
  EXPECT_EQ(problems(v), (std::vector<std::string>{"property extra should not exist", "name must be a string",
                                                   "projectId must be a UUID", "mediaServerId must be a UUID"}));
  EXPECT_EQ(v.status().code(), Code::kInvalidArgument);
}

TEST(Validator, StringsLengthsAndEmptiness) {
  Validator v;
  EXPECT_EQ(v.string(obj(R"({"n": "ok"})"), "n", true), "ok");
  EXPECT_FALSE(v.string(obj(R"({"n": ""})"), "n", true).has_value());
  EXPECT_FALSE(v.string(obj(R"({"n": "abcd"})"), "n", true, 3).has_value());
  EXPECT_FALSE(v.string(obj(R"({})"), "n", false).has_value());
  EXPECT_EQ(problems(v), (std::vector<std::string>{"n should not be empty",
                                                   "n must be shorter than or equal to 3 characters"}));
}

TEST(Validator, IntegersAcceptWholeNumbersOnly) {
  Validator v;
  EXPECT_EQ(v.integer(obj(R"({"e": 3600})"), "e", true, 60, 100000), 3600);
  EXPECT_EQ(v.integer(obj(R"({"e": 3600.0})"), "e", true, 60, 100000), 3600);
  EXPECT_TRUE(v.ok());
  EXPECT_FALSE(v.integer(obj(R"({"e": 3600.5})"), "e", true, 60, 100000).has_value());
  EXPECT_FALSE(v.integer(obj(R"({"e": "3600"})"), "e", true, 60, 100000).has_value());
  EXPECT_FALSE(v.integer(obj(R"({"e": 1e300})"), "e", true, 60, 100000).has_value());
  EXPECT_FALSE(v.integer(obj(R"({"e": 59})"), "e", true, 60, 100000).has_value());
  EXPECT_FALSE(v.integer(obj(R"({"e": 18446744073709551615})"), "e", true, 60, 100000).has_value());
  EXPECT_EQ(problems(v), (std::vector<std::string>{"e must be an integer number", "e must be an integer number",
                                                   "e must be an integer number", "e must not be less than 60",
                                                   "e must be an integer number"}));
}

TEST(Validator, StreamKeysAndUuidPathParams) {
  Validator v;
  EXPECT_EQ(v.streamKey(obj(R"({"k": "ee04affe2a669854052102fe762bd715"})"), "k", true),
            "ee04affe2a669854052102fe762bd715");
  EXPECT_FALSE(v.streamKey(obj(R"({"k": "EE04AFFE2A669854052102FE762BD715"})"), "k", true).has_value());
  EXPECT_TRUE(requireUuidParam("123e4567-e89b-42d3-a456-426614174000").isOk());
  EXPECT_EQ(requireUuidParam("nope").message(), "Validation failed (uuid is expected)");
}

TEST(ParseJsonObject, RejectsWhatIsNotAJsonObject) {
  auto req = [](std::string body, std::string type) {
    return http::Request::make(http::Method::kPost, "/x", std::move(body), {{"Content-Type", std::move(type)}});
  };
  EXPECT_TRUE(parseJsonObject(req("", "application/json")).ok());
  EXPECT_TRUE(parseJsonObject(req(R"({"a":1})", "application/json; charset=utf-8")).ok());
  EXPECT_TRUE(parseJsonObject(req(R"({"a":1})", "application/merge-patch+json")).ok());
  EXPECT_FALSE(parseJsonObject(req(R"({"a":1})", "text/plain")).ok());
  EXPECT_FALSE(parseJsonObject(req("[1]", "application/json")).ok());
  EXPECT_FALSE(parseJsonObject(req("{\"a\":", "application/json")).ok());
  EXPECT_FALSE(parseJsonObject(req(std::string(100, '[') + std::string(100, ']'), "application/json")).ok());
}

}  // namespace
}  // namespace ls::api
