// ExternalNodeApi against a stand-in MediaMTX that answers with recorded
// fixtures: paging, Basic auth, the find-then-kick cut, and the time budget.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

#include "nodes/external_node_api.hpp"
#include "unit/nodes/fake_node.hpp"
#include "unit/nodes/fixtures.hpp"

namespace ls::nodes {
namespace {

using namespace std::chrono_literals;
using testing::fixture;
using testing::jsonAnswer;
using testing::RequestLog;

constexpr std::string_view kPassword = "mtx-pass-7f3e9a";
// base64("lunarstream:mtx-pass-7f3e9a")
constexpr std::string_view kAuthorization = "Basic bHVuYXJzdHJlYW06bXR4LXBhc3MtN2YzZTlh";
constexpr std::string_view kKeyA = "ee04affe2a669854052102fe762bd715";
constexpr std::string_view kRtmpConnId = "4a3e1f27-8f1b-4c9e-9d0a-6b2c8e5f7a13";

http::Response logged(RequestLog& log, const http::Request& r, int status, const std::string& body) {
  log.add(r);
  return jsonAnswer(status, body);
}

class MediaMtxNodeApiTest : public testing::NodeApiTest {
 protected:
  MediaMtxNodeApiTest() : NodeApiTest(MediaServerType::kMediaMtx, kPassword) {}

  // /v3/paths/list answering page N with pages[N].
  void servePages(std::vector<std::string> pages) {
    router.add(http::Method::kGet, "/v3/paths/list", [this, pages = std::move(pages)](const http::Request& r) {
      const std::size_t page = std::stoul(r.query("page").value_or("0"));
      return logged(log, r, 200, page < pages.size() ? pages[page] : fixture("mediamtx/api/paths_list_empty.json"));
    });
  }
  // /v3/paths/get/<name> answering with `body`.
  void servePath(int status, std::string body) {
    router.addPrefix(
        http::Method::kGet, "/v3/paths/get/",
        [this, status, body = std::move(body)](const http::Request& r) { return logged(log, r, status, body); });
  }
  // POST /v3/<kind>/kick/<id>.
  void serveKick(int status, std::string body) {
    router.add(http::Method::kPost, "/v3/:kind/kick/:id",
               [this, status, body = std::move(body)](const http::Request& r) { return logged(log, r, status, body); });
  }
};

TEST_F(MediaMtxNodeApiTest, ListsEveryPageWithBasicAuth) {
  servePages({fixture("mediamtx/api/paths_list_page0.json"), fixture("mediamtx/api/paths_list_page1.json")});
  start();
  auto streams = api.liveStreams(server);
  ASSERT_TRUE(streams.ok()) << streams.status().message();
  std::vector<std::string> keys;
  for (const auto& s : *streams) {
    EXPECT_EQ(s.app, "live");
    keys.push_back(s.streamKey);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{std::string(kKeyA), "5d0a7c1e9b2f4e36a8c4d2b1e0f9a7c3",
                                            "3c1b9f0e7d2a4c58a1e6b0f4d9c2e871"}));
  const auto seen = log.all();
  ASSERT_EQ(seen.size(), 2u);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].path, "/v3/paths/list");
    EXPECT_EQ(seen[i].param("page"), std::to_string(i));
    EXPECT_EQ(seen[i].param("itemsPerPage"), "100");
    EXPECT_EQ(seen[i].authorization, std::string(kAuthorization));
  }
}

TEST_F(MediaMtxNodeApiTest, OlderNodesThatOnlySayReady) {
  servePages({fixture("mediamtx/api/paths_list_v1.15.json")});
  start();
  auto streams = api.liveStreams(server);
  ASSERT_TRUE(streams.ok()) << streams.status().message();
  EXPECT_EQ(streams->size(), 2u);
  EXPECT_EQ(log.all().size(), 1u);
}

TEST_F(MediaMtxNodeApiTest, NoSecretNoCredentials) {
  server.apiSecret.clear();
  servePages({fixture("mediamtx/api/paths_list_empty.json")});
  start();
  auto streams = api.liveStreams(server);
  ASSERT_TRUE(streams.ok()) << streams.status().message();
  EXPECT_TRUE(streams->empty());
  const auto seen = log.all();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_FALSE(seen[0].authorization.has_value());
}

TEST_F(MediaMtxNodeApiTest, RefusedCredentialsAreUnavailableWithoutThem) {
  router.add(http::Method::kGet, "/v3/paths/list", [](const http::Request&) {
    return jsonAnswer(401, fixture("mediamtx/api/auth_error.json"))
        .header("WWW-Authenticate", "Basic realm=\"mediamtx\"");
  });
  start();
  auto streams = api.liveStreams(server);
  ASSERT_FALSE(streams.ok());
  EXPECT_EQ(streams.status().code(), Code::kUnavailable);
  EXPECT_EQ(streams.status().message(),
            "MediaMTX node 'edge-1': GET " + url("/v3/paths/list") + ": HTTP 401: authentication error");
}

TEST_F(MediaMtxNodeApiTest, ListingStopsAtAHundredPages) {
  router.add(http::Method::kGet, "/v3/paths/list", [this](const http::Request& r) {
    return logged(log, r, 200, R"({"itemCount":100000,"pageCount":1000,"items":[]})");
  });
  start();
  ExternalNodeApi patient(client, NodeApiBudgets{20s, 2s});
  auto streams = patient.liveStreams(server);
  ASSERT_FALSE(streams.ok());
  EXPECT_EQ(streams.status().code(), Code::kUnavailable);
  EXPECT_NE(streams.status().message().find("more than 10000 paths"), std::string::npos) << streams.status().message();
  EXPECT_EQ(log.all().size(), 100u);
}

TEST_F(MediaMtxNodeApiTest, CutFindsThePublishersConnectionThenKicksIt) {
  servePath(200, fixture("mediamtx/api/paths_get_rtmp.json"));
  serveKick(200, fixture("mediamtx/api/kick_ok.json"));
  start();
  const Status cut = api.cutPublisher(server, "live", kKeyA);
  ASSERT_TRUE(cut.isOk()) << cut.message();
  const auto seen = log.all();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].target, "/v3/paths/get/live/" + std::string(kKeyA));
  EXPECT_EQ(seen[1].method, "POST");
  EXPECT_EQ(seen[1].path, "/v3/rtmpconns/kick/" + std::string(kRtmpConnId));
  EXPECT_EQ(seen[0].authorization, std::string(kAuthorization));
  EXPECT_EQ(seen[1].authorization, std::string(kAuthorization));
}

TEST_F(MediaMtxNodeApiTest, SrtPublisherIsKickedOnItsOwnRoute) {
  servePath(200, fixture("mediamtx/api/paths_get_srt.json"));
  serveKick(200, "");  // before v1.16 a kick answered 200 with no body
  start();
  ASSERT_TRUE(api.cutPublisher(server, "live", "3c1b9f0e7d2a4c58a1e6b0f4d9c2e871").isOk());
  const auto seen = log.all();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].path, "/v3/srtconns/kick/7e9d2b41-5c6a-4f8e-b1d3-2a4c6e8f0b17");
}

TEST_F(MediaMtxNodeApiTest, PathNameIsPercentEncodedButKeepsItsSlash) {
  servePath(404, fixture("mediamtx/api/paths_get_not_found.json"));
  start();
  ASSERT_TRUE(api.cutPublisher(server, "live", "a b?c#d").isOk());
  const auto seen = log.all();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].target, "/v3/paths/get/live/a%20b%3Fc%23d");
  EXPECT_EQ(seen[0].path, "/v3/paths/get/live/a b?c#d");
}

TEST_F(MediaMtxNodeApiTest, PathNotThereIsOkWithoutAKick) {
  servePath(404, fixture("mediamtx/api/paths_get_not_found.json"));
  serveKick(200, fixture("mediamtx/api/kick_ok.json"));
  start();
  EXPECT_TRUE(api.cutPublisher(server, "live", "gone").isOk());
  EXPECT_EQ(log.all().size(), 1u);
}

TEST_F(MediaMtxNodeApiTest, PathWithoutPublisherIsOkWithoutAKick) {
  servePath(200, fixture("mediamtx/api/paths_get_no_source.json"));
  serveKick(200, fixture("mediamtx/api/kick_ok.json"));
  start();
  EXPECT_TRUE(api.cutPublisher(server, "live", "idle").isOk());
  EXPECT_EQ(log.all().size(), 1u);
}

TEST_F(MediaMtxNodeApiTest, PulledSourceIsNotAPublisherToCut) {
  servePath(200, fixture("mediamtx/api/paths_get_pull.json"));
  serveKick(200, fixture("mediamtx/api/kick_ok.json"));
  start();
  EXPECT_TRUE(api.cutPublisher(server, "cam", "lobby").isOk());
  EXPECT_EQ(log.all().size(), 1u);
}

TEST_F(MediaMtxNodeApiTest, ConnectionAlreadyGoneIsOk) {
  servePath(200, fixture("mediamtx/api/paths_get_rtmp.json"));
  serveKick(404, fixture("mediamtx/api/kick_not_found.json"));
  start();
  EXPECT_TRUE(api.cutPublisher(server, "live", kKeyA).isOk());
  EXPECT_EQ(log.all().size(), 2u);
}

TEST_F(MediaMtxNodeApiTest, RefusedKickIsUnavailableWithTheNodesWords) {
  servePath(200, fixture("mediamtx/api/paths_get_rtmp.json"));
  serveKick(500, R"({"status":"error","error":"terminated"})");
  start();
  const Status cut = api.cutPublisher(server, "live", kKeyA);
  EXPECT_EQ(cut.code(), Code::kUnavailable);
  EXPECT_EQ(cut.message(), "MediaMTX node 'edge-1': POST " + url("/v3/rtmpconns/kick/") + std::string(kRtmpConnId) +
                               ": HTTP 500: terminated");
}

TEST_F(MediaMtxNodeApiTest, UnknownPublisherTypeIsNotSilentlyOk) {
  servePath(200, R"({"name":"live/k","available":true,"source":{"type":"quicConn","id":"x"}})");
  start();
  const Status cut = api.cutPublisher(server, "live", "k");
  EXPECT_EQ(cut.code(), Code::kUnavailable);
  EXPECT_NE(cut.message().find("'quicConn'"), std::string::npos) << cut.message();
}

// The default budgets: a cut has 2 s for both of its calls. The path lookup
// answers after 1.5 s; the kick gets what is left and the node never answers it.
TEST_F(MediaMtxNodeApiTest, CutGetsTwoSecondsForBothCalls) {
  router.addDeferred(
      http::Method::kGet, "/v3/paths/get/live/slow", [](const http::Request&, http::Responder) {},
      http::Deferral{
          1500ms, [](const http::Request&) { return jsonAnswer(200, fixture("mediamtx/api/paths_get_rtmp.json")); }});
  router.addDeferred(
      http::Method::kPost, "/v3/rtmpconns/kick/:id", [](const http::Request&, http::Responder) {},
      http::Deferral{10s, [](const http::Request&) { return jsonAnswer(200, R"({"status":"ok"})"); }});
  start();
  ExternalNodeApi defaults(client);
  const auto started = std::chrono::steady_clock::now();
  const Status cut = defaults.cutPublisher(server, "live", "slow");
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(cut.code(), Code::kUnavailable);
  EXPECT_NE(cut.message().find("POST " + url("/v3/rtmpconns/kick/")), std::string::npos) << cut.message();
  EXPECT_NE(cut.message().find("timed out"), std::string::npos) << cut.message();
  EXPECT_GE(took, 1900ms);
  EXPECT_LT(took, 2500ms);
}

// The default budgets: a list has 3 s for all its pages.
TEST_F(MediaMtxNodeApiTest, ListGetsThreeSecondsForAllPages) {
  std::atomic<int> calls{0};
  router.addDeferred(
      http::Method::kGet, "/v3/paths/list",
      [&calls](const http::Request&, http::Responder respond) {
        // Page 0 comes at once; every later page never does.
        if (calls++ == 0) {
          respond.send(jsonAnswer(200, R"({"itemCount":300,"pageCount":3,"items":[]})"));
        }
      },
      http::Deferral{10s, [](const http::Request&) { return jsonAnswer(500, "{}"); }});
  start();
  ExternalNodeApi defaults(client);
  const auto started = std::chrono::steady_clock::now();
  auto streams = defaults.liveStreams(server);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(streams.ok());
  EXPECT_NE(streams.status().message().find("timed out"), std::string::npos) << streams.status().message();
  EXPECT_EQ(streams.status().message().find(kPassword), std::string::npos);
  EXPECT_GE(took, 2900ms);
  EXPECT_LT(took, 3500ms);
  EXPECT_EQ(calls.load(), 2);
}

TEST(MediaMtxNodeApiDown, RefusedConnectionNamesTheNode) {
  const MediaServer server = testing::nodeServer(MediaServerType::kMediaMtx, testing::closedUrl(), "pw");
  http_client::HttpClient client;
  ExternalNodeApi api(client);
  const Status cut = api.cutPublisher(server, "live", "k");
  EXPECT_EQ(cut.code(), Code::kUnavailable);
  EXPECT_EQ(cut.message(),
            "MediaMTX node 'edge-1': GET " + server.apiUrl + "/v3/paths/get/live/k: Couldn't connect to server");
}

}  // namespace
}  // namespace ls::nodes
