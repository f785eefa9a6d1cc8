#include "api/webhook_bodies.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

namespace ls::api {
namespace {

boost::json::object obj(const std::string& text) {
  return boost::json::parse(text).as_object();
}

template <class T>
std::vector<std::string> problems(const Result<T>& r) {
  return r.ok() ? std::vector<std::string>{} : r.status().details();
}

TEST(CreateWebhookBody, ValidBodyWithDefaults) {
  auto ok = parseCreateWebhookBody(obj(R"({"url": "https://example.com/hooks"})"));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->url, "https://example.com/hooks");
  EXPECT_TRUE(ok->events.empty());
  EXPECT_EQ(ok->description, "");
  EXPECT_TRUE(ok->enabled);

  auto full = parseCreateWebhookBody(obj(
      R"({"url": "http://127.0.0.1:9/x", "events": ["livestream.started", "media_server.offline"],
          "description": "ops", "enabled": false})"));
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->events, (std::vector<std::string>{"livestream.started", "media_server.offline"}));
  EXPECT_EQ(full->description, "ops");
  EXPECT_FALSE(full->enabled);
}

TEST(CreateWebhookBody, EveryProblemAtOnce) {
  auto bad = parseCreateWebhookBody(obj(
      R"({"url": "ftp://x", "events": ["livestream.started", "livestream.started", "webhook.test"],
          "description": 5, "enabled": "yes", "secret": "whsec_x"})"));
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  const auto p = problems(bad);
  ASSERT_EQ(p.size(), 6u) << bad.status().message();
  EXPECT_EQ(p[0], "property secret should not exist");
  EXPECT_EQ(p[1], "url must be an absolute http or https URL");
  EXPECT_EQ(p[2], "events: 'livestream.started' is listed twice");
  EXPECT_TRUE(p[3].starts_with("events: unknown event type 'webhook.test'"));
  EXPECT_EQ(p[4], "description must be a string");
  EXPECT_EQ(p[5], "enabled must be a boolean value");

  EXPECT_EQ(problems(parseCreateWebhookBody(obj("{}"))),
            (std::vector<std::string>{"url should not be empty", "url must be a string"}));
  EXPECT_EQ(problems(parseCreateWebhookBody(obj(R"({"url": "https://a@b/"})"))),
            (std::vector<std::string>{"url must not contain a user name or password"}));
  EXPECT_EQ(problems(parseCreateWebhookBody(obj(R"({"url": "https://b/", "events": "livestream.started"})"))),
            (std::vector<std::string>{"events must be an array of event types"}));
  EXPECT_EQ(problems(parseCreateWebhookBody(obj(R"({"url": "https://b/", "events": [1]})"))),
            (std::vector<std::string>{"events must contain only strings"}));
  const std::string longUrl = "https://example.com/" + std::string(2040, 'a');
  EXPECT_EQ(problems(parseCreateWebhookBody(obj(R"({"url": ")" + longUrl + R"("})"))),
            (std::vector<std::string>{"url must be shorter than or equal to 2048 characters"}));
  EXPECT_EQ(problems(parseCreateWebhookBody(
                obj(R"({"url": "https://b/", "description": ")" + std::string(501, 'd') + R"("})"))),
            (std::vector<std::string>{"description must be shorter than or equal to 500 characters"}));
}

TEST(UpdateWebhookBody, OnlyWhatIsGiven) {
  auto empty = parseUpdateWebhookBody(obj("{}"));
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->url || empty->eventTypes || empty->description || empty->enabled);

  auto some = parseUpdateWebhookBody(obj(R"({"events": [], "description": "", "enabled": true})"));
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(some->eventTypes, std::vector<std::string>{});
  EXPECT_EQ(some->description, "");
  EXPECT_EQ(some->enabled, true);
  EXPECT_FALSE(some->url);

  EXPECT_EQ(problems(parseUpdateWebhookBody(obj(R"({"url": "https://x:99999/", "id": "x"})"))),
            (std::vector<std::string>{"property id should not exist", "url has an invalid port"}));
}

TEST(RotateWebhookSecretBody, OverlapFromZeroToThirtyDays) {
  auto none = parseRotateWebhookSecretBody(obj("{}"));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto zero = parseRotateWebhookSecretBody(obj(R"({"overlapSeconds": 0})"));
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(**zero, 0);
  EXPECT_TRUE(parseRotateWebhookSecretBody(obj(R"({"overlapSeconds": 2592000})")).ok());
  EXPECT_FALSE(parseRotateWebhookSecretBody(obj(R"({"overlapSeconds": 2592001})")).ok());
  EXPECT_FALSE(parseRotateWebhookSecretBody(obj(R"({"overlapSeconds": -1})")).ok());
  EXPECT_FALSE(parseRotateWebhookSecretBody(obj(R"({"overlapSeconds": "1h"})")).ok());
  EXPECT_EQ(problems(parseRotateWebhookSecretBody(obj(R"({"overlap": 5})"))),
            (std::vector<std::string>{"property overlap should not exist"}));
}

}  // namespace
}  // namespace ls::api
