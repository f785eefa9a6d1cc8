#include "nodes/zlm_payloads.hpp"

#include <gtest/gtest.h>

#include <string>

#include "unit/nodes/fixtures.hpp"

namespace ls::nodes {
namespace {

using testing::fixture;
using testing::names;

void expectUnreadable(std::string_view body) {
  auto list = parseZlmMediaList(body);
  ASSERT_FALSE(list.ok()) << body;
  EXPECT_EQ(list.status().code(), Code::kUnavailable);
  auto closed = parseZlmCloseStreams(body);
  ASSERT_FALSE(closed.ok()) << body;
  EXPECT_EQ(closed.status().code(), Code::kUnavailable);
}

TEST(ZlmMediaList, ListsEachPushedStreamOnceWhateverItsMuxers) {
  auto list = parseZlmMediaList(fixture("zlmediakit/api/getMediaList_live.json"));
  ASSERT_TRUE(list.ok()) << list.status().message();
  // rtmp_push (5 muxers), srt_push (3), rtc_push (3); the RTSP pull and the
  // MP4 on demand are not publishers.
  EXPECT_EQ(names(*list),
            (std::vector<std::string>{"live/ee04affe2a669854052102fe762bd715", "live/3c1b9f0e7d2a4c58a1e6b0f4d9c2e871",
                                      "live/b7e2c40d19f84a0f9c3d5e6a7b8c9d01"}));
}

TEST(ZlmMediaList, AnswerWithoutDataIsANodeWithoutStreams) {
  auto list = parseZlmMediaList(fixture("zlmediakit/api/getMediaList_none.json"));
  ASSERT_TRUE(list.ok()) << list.status().message();
  EXPECT_TRUE(list->empty());
  auto nullData = parseZlmMediaList(R"({"code":0,"data":null})");
  ASSERT_TRUE(nullData.ok());
  EXPECT_TRUE(nullData->empty());
}

TEST(ZlmMediaList, NodeErrorsQuoteTheNodesMessage) {
  auto login = parseZlmMediaList(fixture("zlmediakit/api/login_required.json"));
  ASSERT_FALSE(login.ok());
  EXPECT_EQ(login.status().code(), Code::kUnavailable);
  EXPECT_EQ(login.status().message(), "ZLMediaKit answered code -100: Please login first");
  auto ip = parseZlmMediaList(fixture("zlmediakit/api/ip_not_allowed.json"));
  ASSERT_FALSE(ip.ok());
  EXPECT_EQ(ip.status().message(), "ZLMediaKit answered code -100: Your ip is not allowed to access the service.");
  auto bare = parseZlmMediaList(R"({"code":-1})");
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.status().message(), "ZLMediaKit answered code -1");
}

TEST(ZlmMediaList, NodeMessagesCannotForgeLogLinesOrRunOn) {
  auto forged = parseZlmMediaList("{\"code\":-1,\"msg\":\"oops\\n[error] forged\\u001b[31m\"}");
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.status().message().find('\n'), std::string::npos);
  EXPECT_EQ(forged.status().message().find('\x1b'), std::string::npos);
  auto longMsg = parseZlmMediaList(R"({"code":-1,"msg":")" + std::string(5000, 'm') + R"("})");
  ASSERT_FALSE(longMsg.ok());
  EXPECT_LT(longMsg.status().message().size(), 300u);
}

TEST(ZlmMediaList, NumericOriginTypeCountsWhenTheNameIsMissing) {
  auto list = parseZlmMediaList(R"({"code":0,"data":[
    {"app":"live","stream":"rtmp","originType":1},
    {"app":"live","stream":"rtsp","originType":2},
    {"app":"live","stream":"rtp","originType":3},
    {"app":"live","stream":"pull","originType":4},
    {"app":"live","stream":"ffmpeg","originType":5},
    {"app":"live","stream":"vod","originType":6},
    {"app":"live","stream":"device","originType":7},
    {"app":"live","stream":"rtc","originType":8},
    {"app":"live","stream":"srt","originType":9},
    {"app":"live","stream":"unknown","originType":0},
    {"app":"live","stream":"future","originType":10},
    {"app":"live","stream":"none"}]})");
  ASSERT_TRUE(list.ok()) << list.status().message();
  EXPECT_EQ(names(*list), (std::vector<std::string>{"live/rtmp", "live/rtsp", "live/rtp", "live/rtc", "live/srt"}));
}

TEST(ZlmMediaList, TheOriginNameWinsOverTheNumber) {
  auto list = parseZlmMediaList(R"({"code":0,"data":[
    {"app":"live","stream":"a","originType":4,"originTypeStr":"rtmp_push"},
    {"app":"live","stream":"b","originType":1,"originTypeStr":"pull"},
    {"app":"live","stream":"c","originTypeStr":"whip_push"}]})");
  ASSERT_TRUE(list.ok()) << list.status().message();
  EXPECT_EQ(names(*list), (std::vector<std::string>{"live/a", "live/c"}));
}

TEST(ZlmMediaList, SameStreamInTwoAppsIsTwoStreams) {
  auto list = parseZlmMediaList(R"({"code":0,"data":[
    {"app":"live","stream":"k","originTypeStr":"rtmp_push","schema":"rtmp"},
    {"app":"backup","stream":"k","originTypeStr":"rtmp_push","schema":"rtmp"},
    {"app":"live","stream":"k","originTypeStr":"rtmp_push","schema":"hls"}]})");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(names(*list), (std::vector<std::string>{"live/k", "backup/k"}));
}

TEST(ZlmMediaList, EntriesOfTheWrongShapeAreSkipped) {
  auto list = parseZlmMediaList(R"({"code":0,"data":[
    1, "x", null, [], {},
    {"app":7,"stream":"k","originTypeStr":"rtmp_push"},
    {"app":"live","stream":["k"],"originTypeStr":"rtmp_push"},
    {"app":"live","originTypeStr":"rtmp_push"},
    {"app":"","stream":"k","originTypeStr":"rtmp_push"},
    {"app":"live","stream":"","originTypeStr":"rtmp_push"},
    {"app":"live","stream":"k","originTypeStr":5,"originType":"1"},
    {"app":"live","stream":"ok","originTypeStr":"rtmp_push"}]})");
  ASSERT_TRUE(list.ok()) << list.status().message();
  EXPECT_EQ(names(*list), (std::vector<std::string>{"live/ok"}));
}

TEST(ZlmMediaList, DataThatIsNotAListIsUnreadable) {
  auto list = parseZlmMediaList(R"({"code":0,"data":{"app":"live"}})");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().code(), Code::kUnavailable);
}

TEST(ZlmAnswers, BodiesThatAreNotAnApiAnswerAreUnreadable) {
  for (std::string_view body : {"", "<html><body>502 Bad Gateway</body></html>", "null", "[]", "0", "\"code\"", "{",
                                R"({"code":0,)", R"({"msg":"no code"})", R"({"code":"0"})", R"({"code":0.0})",
                                R"({"code":true})", R"({"code":null})", R"({"code":18446744073709551615})"}) {
    expectUnreadable(body);
  }
}

TEST(ZlmAnswers, DeepDocumentsAreRefusedNotRecursedInto) {
  std::string deep = R"({"code":0,"data":[)";
  for (int i = 0; i < 10000; ++i) deep += "[";
  expectUnreadable(deep);
  std::string closedDeep = R"({"code":0,"data":)" + std::string(100, '[') + std::string(100, ']') + "}";
  expectUnreadable(closedDeep);
}

TEST(ZlmAnswers, LargeListsParse) {
  std::string big = R"({"code":0,"data":[)";
  for (int i = 0; i < 20000; ++i) {
    if (i > 0) big += ",";
    big += R"({"app":"live","stream":"s)" + std::to_string(i % 5000) +
           R"(","originTypeStr":"rtmp_push","tracks":[{"codec_id":0}]})";
  }
  big += "]}";
  auto list = parseZlmMediaList(big);
  ASSERT_TRUE(list.ok()) << list.status().message();
  EXPECT_EQ(list->size(), 5000u);
}

TEST(ZlmCloseStreams, CountsOfClosedAndUnmatchedStreams) {
  auto closed = parseZlmCloseStreams(fixture("zlmediakit/api/close_streams_closed.json"));
  ASSERT_TRUE(closed.ok()) << closed.status().message();
  EXPECT_EQ(closed->matched, 5);
  EXPECT_EQ(closed->closed, 5);
  auto none = parseZlmCloseStreams(fixture("zlmediakit/api/close_streams_none.json"));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->matched, 0);
  EXPECT_EQ(none->closed, 0);
  auto noCounts = parseZlmCloseStreams(R"({"code":0,"count_hit":"3"})");
  ASSERT_TRUE(noCounts.ok());
  EXPECT_EQ(noCounts->matched, 0);
}

TEST(ZlmCloseStreams, NodeErrorsAreUnavailable) {
  auto login = parseZlmCloseStreams(fixture("zlmediakit/api/login_required.json"));
  ASSERT_FALSE(login.ok());
  EXPECT_EQ(login.status().message(), "ZLMediaKit answered code -100: Please login first");
}

}  // namespace
}  // namespace ls::nodes
