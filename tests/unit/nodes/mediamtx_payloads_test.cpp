#include "nodes/mediamtx_payloads.hpp"

#include <gtest/gtest.h>

#include <string>

#include "unit/nodes/fixtures.hpp"

namespace ls::nodes {
namespace {

using testing::fixture;
using testing::names;

// One path of a page, with the fields a MediaMTX of v1.16 or later sends.
std::string pageWith(std::string_view pathJson) {
  return R"({"itemCount":1,"pageCount":1,"items":[)" + std::string(pathJson) + "]}";
}

TEST(MtxPathPage, PublishedPathsOfTheFirstPage) {
  auto page = parseMtxPathPage(fixture("mediamtx/api/paths_list_page0.json"));
  ASSERT_TRUE(page.ok()) << page.status().message();
  // cam/lobby is a camera MediaMTX pulls (rtspSource): not a publisher.
  EXPECT_EQ(names(page->live), (std::vector<std::string>{"live/ee04affe2a669854052102fe762bd715",
                                                         "live/5d0a7c1e9b2f4e36a8c4d2b1e0f9a7c3"}));
  EXPECT_EQ(page->pageCount, 2);
  EXPECT_EQ(page->itemCount, 5);
}

TEST(MtxPathPage, PathsWithoutASourceAreNotLive) {
  auto page = parseMtxPathPage(fixture("mediamtx/api/paths_list_page1.json"));
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(names(page->live), (std::vector<std::string>{"live/3c1b9f0e7d2a4c58a1e6b0f4d9c2e871"}));
}

TEST(MtxPathPage, NodeWithoutPaths) {
  auto page = parseMtxPathPage(fixture("mediamtx/api/paths_list_empty.json"));
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_TRUE(page->live.empty());
  EXPECT_EQ(page->pageCount, 0);
  auto nullItems = parseMtxPathPage(R"({"itemCount":0,"pageCount":0,"items":null})");
  ASSERT_TRUE(nullItems.ok());
  EXPECT_TRUE(nullItems->live.empty());
}

TEST(MtxPathPage, BeforeV116ReadyIsWhatSaysAPathHasMedia) {
  auto page = parseMtxPathPage(fixture("mediamtx/api/paths_list_v1.15.json"));
  ASSERT_TRUE(page.ok()) << page.status().message();
  // live/waiting has its RTSP publisher announced but not recording yet.
  EXPECT_EQ(names(page->live), (std::vector<std::string>{"live/ee04affe2a669854052102fe762bd715",
                                                         "live/3c1b9f0e7d2a4c58a1e6b0f4d9c2e871"}));
}

TEST(MtxPathPage, EveryPublisherConnectionTypeCounts) {
  for (std::string_view type :
       {"rtmpConn", "rtmpsConn", "srtConn", "rtspSession", "rtspsSession", "webRTCSession", "moqSession"}) {
    auto page = parseMtxPathPage(
        pageWith(R"({"name":"live/k","available":true,"source":{"type":")" + std::string(type) + R"(","id":"x"}})"));
    ASSERT_TRUE(page.ok()) << type;
    EXPECT_EQ(page->live.size(), 1u) << type;
  }
  for (std::string_view type :
       {"rtspSource", "rtmpSource", "hlsSource", "srtSource", "webRTCSource", "rtpSource", "mpegtsSource", "udpSource",
        "rpiCameraSource", "moqSource", "redirect", "hlsSession", "", "RTMPCONN"}) {
    auto page = parseMtxPathPage(
        pageWith(R"({"name":"live/k","available":true,"source":{"type":")" + std::string(type) + R"(","id":"x"}})"));
    ASSERT_TRUE(page.ok()) << type;
    EXPECT_TRUE(page->live.empty()) << type;
  }
}

TEST(MtxPathPage, AvailableReadyAndOnlineTogether) {
  const std::string source = R"("source":{"type":"rtmpConn","id":"x"})";
  const auto live = [&](std::string_view flags) {
    auto page = parseMtxPathPage(pageWith(R"({"name":"live/k",)" + std::string(flags) + "," + source + "}"));
    return page.ok() && page->live.size() == 1;
  };
  EXPECT_TRUE(live(R"("available":true,"online":true,"ready":true)"));
  EXPECT_TRUE(live(R"("available":true)"));
  EXPECT_TRUE(live(R"("ready":true)"));
  EXPECT_FALSE(live(R"("available":false,"ready":false,"online":true)"));
  EXPECT_FALSE(live(R"("available":true,"online":false)"));
  EXPECT_FALSE(live(R"("available":"true","ready":1)"));
  EXPECT_FALSE(live(R"("nothing":true)"));
}

TEST(MtxPathPage, ItemsOfTheWrongShapeAreSkipped) {
  auto page = parseMtxPathPage(R"({"itemCount":9,"pageCount":1,"items":[
    1, null, "live/k", [], {},
    {"name":7,"available":true,"source":{"type":"rtmpConn","id":"x"}},
    {"name":"","available":true,"source":{"type":"rtmpConn","id":"x"}},
    {"name":"live/","available":true,"source":{"type":"rtmpConn","id":"x"}},
    {"name":"live/a","available":true,"source":"rtmpConn"},
    {"name":"live/b","available":true,"source":{"type":["rtmpConn"]}},
    {"name":"live/ok","available":true,"source":{"type":"rtmpConn"}},
    {"name":"live/ok","available":true,"source":{"type":"rtmpConn","id":"x"}}]})");
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(names(page->live), (std::vector<std::string>{"live/ok"}));
}

TEST(MtxPathPage, AnswersThatAreNotAPathListAreUnreadable) {
  for (std::string_view body :
       {"", "404 page not found", "null", "[]", "{", R"({"items":[]})", R"({"pageCount":-1,"items":[]})",
        R"({"pageCount":"2","items":[]})", R"({"pageCount":1.5,"items":[]})", R"({"pageCount":1,"items":{}})",
        R"({"status":"error","error":"authentication error"})"}) {
    auto page = parseMtxPathPage(body);
    ASSERT_FALSE(page.ok()) << body;
    EXPECT_EQ(page.status().code(), Code::kUnavailable) << body;
  }
}

TEST(MtxPathPage, DeepDocumentsAreRefused) {
  const std::string deep =
      R"({"pageCount":1,"items":[{"name":"live/k","x":)" + std::string(64, '[') + std::string(64, ']') + "}]}";
  EXPECT_FALSE(parseMtxPathPage(deep).ok());
  EXPECT_FALSE(parseMtxPathSource(deep).ok());
}

TEST(MtxPathPage, LargePagesParse) {
  std::string big = R"({"itemCount":10000,"pageCount":1,"items":[)";
  for (int i = 0; i < 10000; ++i) {
    if (i > 0) big += ",";
    big += R"({"name":"live/k)" + std::to_string(i) + R"(","available":true,"source":{"type":"srtConn","id":"x"}})";
  }
  big += "]}";
  auto page = parseMtxPathPage(big);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->live.size(), 10000u);
}

TEST(MtxPathSource, ThePublisherOfOnePath) {
  auto rtmp = parseMtxPathSource(fixture("mediamtx/api/paths_get_rtmp.json"));
  ASSERT_TRUE(rtmp.ok()) << rtmp.status().message();
  ASSERT_TRUE(rtmp->has_value());
  EXPECT_EQ((*rtmp)->type, "rtmpConn");
  EXPECT_EQ((*rtmp)->id, "4a3e1f27-8f1b-4c9e-9d0a-6b2c8e5f7a13");

  auto srt = parseMtxPathSource(fixture("mediamtx/api/paths_get_srt.json"));
  ASSERT_TRUE(srt.ok() && srt->has_value());
  EXPECT_EQ((*srt)->type, "srtConn");

  auto pull = parseMtxPathSource(fixture("mediamtx/api/paths_get_pull.json"));
  ASSERT_TRUE(pull.ok() && pull->has_value());
  EXPECT_EQ((*pull)->type, "rtspSource");
  EXPECT_EQ((*pull)->id, "");

  auto none = parseMtxPathSource(fixture("mediamtx/api/paths_get_no_source.json"));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(MtxPathSource, UnreadableAnswers) {
  for (std::string_view body : {"", "<html>", "[]", "null"}) {
    auto source = parseMtxPathSource(body);
    ASSERT_FALSE(source.ok()) << body;
    EXPECT_EQ(source.status().code(), Code::kUnavailable);
  }
  auto wrongType = parseMtxPathSource(R"({"source":{"type":1,"id":"x"}})");
  ASSERT_TRUE(wrongType.ok());
  EXPECT_FALSE(wrongType->has_value());
}

TEST(MtxKickPath, EachPublisherKindHasItsRoute) {
  const std::string id = "4a3e1f27-8f1b-4c9e-9d0a-6b2c8e5f7a13";
  EXPECT_EQ(mtxKickPath({"rtmpConn", id}), "/v3/rtmpconns/kick/" + id);
  EXPECT_EQ(mtxKickPath({"rtmpsConn", id}), "/v3/rtmpsconns/kick/" + id);
  EXPECT_EQ(mtxKickPath({"srtConn", id}), "/v3/srtconns/kick/" + id);
  EXPECT_EQ(mtxKickPath({"rtspSession", id}), "/v3/rtspsessions/kick/" + id);
  EXPECT_EQ(mtxKickPath({"rtspsSession", id}), "/v3/rtspssessions/kick/" + id);
  EXPECT_EQ(mtxKickPath({"webRTCSession", id}), "/v3/webrtcsessions/kick/" + id);
  EXPECT_EQ(mtxKickPath({"moqSession", id}), "/v3/moqsessions/kick/" + id);
}

TEST(MtxKickPath, NoRouteForStaticSourcesOrMissingIds) {
  EXPECT_EQ(mtxKickPath({"rtspSource", ""}), std::nullopt);
  EXPECT_EQ(mtxKickPath({"rtspSource", "x"}), std::nullopt);
  EXPECT_EQ(mtxKickPath({"hlsSession", "x"}), std::nullopt);
  EXPECT_EQ(mtxKickPath({"rtmpConn", ""}), std::nullopt);
  // An id is one path segment, whatever the node sent.
  EXPECT_EQ(mtxKickPath({"rtmpConn", "../../paths/x?y"}), "/v3/rtmpconns/kick/..%2F..%2Fpaths%2Fx%3Fy");
}

TEST(MtxErrorText, TheNodesWordsInEitherShape) {
  EXPECT_EQ(mtxErrorText(fixture("mediamtx/api/paths_get_not_found.json")), "path not found");
  EXPECT_EQ(mtxErrorText(fixture("mediamtx/api/auth_error.json")), "authentication error");
  EXPECT_EQ(mtxErrorText(fixture("mediamtx/api/paths_list_bad_page.json")),
            "strconv.ParseUint: parsing \"x\": invalid syntax");
  EXPECT_FALSE(parseMtxPathPage(fixture("mediamtx/api/paths_list_bad_page.json")).ok());
  EXPECT_EQ(mtxErrorText(R"({"error":"connection not found"})"), "connection not found");
  EXPECT_EQ(mtxErrorText("line\nbreak"), "");
  EXPECT_EQ(mtxErrorText(R"({"error":"a\nb"})"), "a\\nb");
  EXPECT_EQ(mtxErrorText(""), "");
  EXPECT_EQ(mtxErrorText(R"({"error":5})"), "");
}

TEST(MtxPathName, SplitsAppAndKey) {
  EXPECT_EQ(splitMtxPathName("live/key").app, "live");
  EXPECT_EQ(splitMtxPathName("live/key").streamKey, "key");
  EXPECT_EQ(splitMtxPathName("live/a/b").streamKey, "a/b");
  EXPECT_EQ(splitMtxPathName("key").app, "");
  EXPECT_EQ(splitMtxPathName("key").streamKey, "key");
  // An empty app segment names nothing: it would come back as another path.
  EXPECT_EQ(splitMtxPathName("/kick/live").streamKey, "");
  EXPECT_EQ(splitMtxPathName("/kick/live").app, "");
  EXPECT_EQ(mtxPathName("live", "key"), "live/key");
  EXPECT_EQ(mtxPathName("", "key"), "key");
}

}  // namespace
}  // namespace ls::nodes
