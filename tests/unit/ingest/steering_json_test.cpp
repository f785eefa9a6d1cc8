#include "ingest/steering_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace ls::ingest {
namespace {

TEST(SteeringJson, RoundTrips) {
  SteeringSnapshot s;
  s.originBaseUrl = "http://node1.example:8080";
  s.ttlSeconds = 7;
  s.pathways = {{"bunny", "https://b.example"}, {"origin", "http://node1.example:8080"}};
  const boost::json::value json = steeringJson(s);
  auto back = parseSteeringJson(boost::json::parse(boost::json::serialize(json)));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, s);
}

TEST(SteeringJson, NullAndInactiveMeanNoSteering) {
  EXPECT_TRUE(steeringJson(SteeringSnapshot{}).is_null());
  auto none = parseSteeringJson(nullptr);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->active());
}

TEST(SteeringJson, RefusesWhatIsNotTheShape) {
  for (const char* text : {
           R"([])",
           R"({"originBaseUrl":"ftp://x","ttlSeconds":5,"pathways":[]})",
           R"({"originBaseUrl":"http://x","ttlSeconds":0,"pathways":[]})",
           R"({"originBaseUrl":"http://x","ttlSeconds":5,"pathways":{}})",
           R"({"originBaseUrl":"http://x","ttlSeconds":5,"pathways":[{"id":"","baseUrl":"http://a"}]})",
           R"({"originBaseUrl":"http://x","ttlSeconds":5,"pathways":[{"id":"a\"b","baseUrl":"http://a"}]})",
           R"({"originBaseUrl":"http://x","ttlSeconds":5,"pathways":[{"id":"a","baseUrl":"javascript:1"}]})",
           R"({"originBaseUrl":"http://x","ttlSeconds":5,"pathways":[{"id":"a","baseUrl":"http://a#EXT-X-STREAM-INF:"}]})",
           R"({"originBaseUrl":"http://x?y=1","ttlSeconds":5,"pathways":[]})",
           R"({"originBaseUrl":"http://x","ttlSeconds":5,"pathways":[{"id":"a","baseUrl":"http://a"},{"id":"a","baseUrl":"http://b"}]})",
       }) {
    auto parsed = parseSteeringJson(boost::json::parse(text));
    EXPECT_FALSE(parsed.ok()) << text;
    if (!parsed.ok()) {
      EXPECT_NE(parsed.status().message().find("steering"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace ls::ingest
