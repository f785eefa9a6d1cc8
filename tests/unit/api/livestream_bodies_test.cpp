#include "api/livestream_bodies.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace ls::api {
namespace {

constexpr const char* kProject = "3f2c9a1e-8b7d-4c6e-9f10-2a3b4c5d6e7f";
constexpr const char* kServer = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
constexpr const char* kKey = "0123456789abcdef0123456789abcdef";

boost::json::object obj(const std::string& text) {
  return boost::json::parse(text).as_object();
}

template <class T>
std::vector<std::string> problems(const Result<T>& r) {
  return r.ok() ? std::vector<std::string>{} : r.status().details();
}

TEST(CreateLivestreamBody, ValidBodyAndEveryProblemAtOnce) {
  auto ok = parseCreateLivestreamBody(obj(std::string(R"({"name": "Launch", "projectId": ")") + kProject +
                                          R"(", "mediaServerId": ")" + kServer + R"(", "expiresIn": 3600})"));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->name, "Launch");
  EXPECT_EQ(ok->projectId, kProject);
  EXPECT_EQ(ok->mediaServerId, kServer);
  EXPECT_EQ(ok->expiresIn, 3600);

  auto bad = parseCreateLivestreamBody(obj(R"({"name": "", "expiresIn": 10, "extra": 1})"));
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(problems(bad), (std::vector<std::string>{"property extra should not exist", "name should not be empty",
                                                     "projectId must be a UUID", "mediaServerId must be a UUID",
                                                     "expiresIn must not be less than 60"}));
}

TEST(UpdateLivestreamBody, NameRequiredProjectOptional) {
  auto ok = parseUpdateLivestreamBody(obj(R"({"name": "Renamed"})"));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->name, "Renamed");
  EXPECT_FALSE(ok->projectId.has_value());
  EXPECT_EQ(problems(parseUpdateLivestreamBody(obj(R"({"projectId": "nope"})"))),
            (std::vector<std::string>{"name should not be empty", "name must be a string", "projectId must be a UUID"}));
}

TEST(PushTokenBody, NamesTheLivestreamOneWay) {
  auto byId = parsePushTokenBody(obj(std::string(R"({"id": ")") + kServer + R"(", "expiresIn": 120})"));
  ASSERT_TRUE(byId.ok());
  EXPECT_EQ(byId->livestreamId, kServer);
  EXPECT_TRUE(byId->streamKey.empty());
  EXPECT_EQ(byId->expiresIn, 120);

  auto byKey = parsePushTokenBody(obj(std::string(R"({"streamKey": ")") + kKey + R"("})"));
  ASSERT_TRUE(byKey.ok());
  EXPECT_TRUE(byKey->livestreamId.empty());
  EXPECT_EQ(byKey->streamKey, kKey);

  // The id wins over a stream key given alongside it.
  auto both = parsePushTokenBody(obj(std::string(R"({"livestreamId": ")") + kServer + R"(", "streamKey": ")" + kKey +
                                     R"("})"));
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->livestreamId, kServer);
  EXPECT_TRUE(both->streamKey.empty());
}

TEST(PushTokenBody, RefusesBodiesThatNameNothingOrDisagree) {
  const std::vector<std::string> required{"one of id, livestreamId or streamKey is required"};
  EXPECT_EQ(problems(parsePushTokenBody(obj("{}"))), required);
  EXPECT_EQ(problems(parsePushTokenBody(obj(R"({"id": null})"))), required) << "null names nothing";
  EXPECT_EQ(problems(parsePushTokenBody(obj(std::string(R"({"id": ")") + kServer + R"(", "livestreamId": ")" +
                                            kProject + R"("})"))),
            (std::vector<std::string>{"id and livestreamId name different livestreams"}));
  EXPECT_EQ(problems(parsePushTokenBody(obj(R"({"streamKey": "ABC"})"))),
            (std::vector<std::string>{"streamKey must be a 32-character lowercase hexadecimal string"}));
}

}  // namespace
}  // namespace ls::api
