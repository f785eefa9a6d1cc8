// ExternalNodeApi against a stand-in ZLMediaKit that answers with recorded
// fixtures: what the requests carry, and what the answers become.
#include <gtest/gtest.h>

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

constexpr std::string_view kSecret = "035c73f7-bb6b-4889-a715-d9eb2d1925cc";

class ZlmNodeApiTest : public testing::NodeApiTest {
 protected:
  ZlmNodeApiTest() : NodeApiTest(MediaServerType::kZlMediaKit, kSecret) {}

  // Serves `path` with `body` (HTTP 200 unless said otherwise), logging each request.
  void answer(std::string_view path, std::string body, int status = 200) {
    router.add(http::Method::kGet, path, [this, body = std::move(body), status](const http::Request& r) {
      log.add(r);
      return jsonAnswer(status, body);
    });
  }
};

TEST_F(ZlmNodeApiTest, ListsThePushedStreamsWithTheSecretInTheQuery) {
  answer("/index/api/getMediaList", fixture("zlmediakit/api/getMediaList_live.json"));
  start();
  auto streams = api.liveStreams(server);
  ASSERT_TRUE(streams.ok()) << streams.status().message();
  ASSERT_EQ(streams->size(), 3u);
  EXPECT_EQ((*streams)[0].app, "live");
  EXPECT_EQ((*streams)[0].streamKey, "ee04affe2a669854052102fe762bd715");
  EXPECT_EQ((*streams)[1].streamKey, "3c1b9f0e7d2a4c58a1e6b0f4d9c2e871");
  EXPECT_EQ((*streams)[2].streamKey, "b7e2c40d19f84a0f9c3d5e6a7b8c9d01");
  const auto seen = log.all();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].param("secret"), std::string(kSecret));
  EXPECT_FALSE(seen[0].authorization.has_value());
}

TEST_F(ZlmNodeApiTest, SecretIsPercentEncoded) {
  server.apiSecret = "a b&c=d+e/f?g#h%";
  answer("/index/api/getMediaList", fixture("zlmediakit/api/getMediaList_none.json"));
  start();
  auto streams = api.liveStreams(server);
  ASSERT_TRUE(streams.ok()) << streams.status().message();
  EXPECT_TRUE(streams->empty());
  const auto seen = log.all();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].param("secret"), server.apiSecret);
  EXPECT_EQ(seen[0].query.size(), 1u);
}

TEST_F(ZlmNodeApiTest, ApiUrlWithATrailingSlash) {
  answer("/index/api/getMediaList", fixture("zlmediakit/api/getMediaList_none.json"));
  start();
  server.apiUrl += "/";
  auto streams = api.liveStreams(server);
  ASSERT_TRUE(streams.ok()) << streams.status().message();
  EXPECT_EQ(log.all().at(0).target.rfind("/index/api/getMediaList?", 0), 0u);
}

TEST_F(ZlmNodeApiTest, CutClosesTheStreamWithForce) {
  answer("/index/api/close_streams", fixture("zlmediakit/api/close_streams_closed.json"));
  start();
  const Status cut = api.cutPublisher(server, "live", "ee04affe2a669854052102fe762bd715");
  ASSERT_TRUE(cut.isOk()) << cut.message();
  const auto seen = log.all();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].param("secret"), std::string(kSecret));
  EXPECT_EQ(seen[0].param("vhost"), "__defaultVhost__");
  EXPECT_EQ(seen[0].param("app"), "live");
  EXPECT_EQ(seen[0].param("stream"), "ee04affe2a669854052102fe762bd715");
  EXPECT_EQ(seen[0].param("force"), "1");
  // Every muxer of the stream closes, not just one protocol's.
  EXPECT_FALSE(seen[0].param("schema").has_value());
}

TEST_F(ZlmNodeApiTest, CutValuesArePercentEncoded) {
  answer("/index/api/close_streams", fixture("zlmediakit/api/close_streams_closed.json"));
  start();
  ASSERT_TRUE(api.cutPublisher(server, "li&ve", "k=1&force=0").isOk());
  const auto seen = log.all();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].param("app"), "li&ve");
  EXPECT_EQ(seen[0].param("stream"), "k=1&force=0");
  EXPECT_EQ(seen[0].param("force"), "1");
}

TEST_F(ZlmNodeApiTest, CutOfAStreamThatIsNotThereIsOk) {
  answer("/index/api/close_streams", fixture("zlmediakit/api/close_streams_none.json"));
  start();
  EXPECT_TRUE(api.cutPublisher(server, "live", "gone").isOk());
}

TEST_F(ZlmNodeApiTest, CutNeedsBothAppAndStreamBecauseEmptyMeansAny) {
  answer("/index/api/close_streams", fixture("zlmediakit/api/close_streams_closed.json"));
  start();
  EXPECT_EQ(api.cutPublisher(server, "", "key").code(), Code::kInvalidArgument);
  EXPECT_EQ(api.cutPublisher(server, "live", "").code(), Code::kInvalidArgument);
  EXPECT_TRUE(log.all().empty());
}

TEST_F(ZlmNodeApiTest, NodeErrorIsUnavailableWithTheNodesMessage) {
  answer("/index/api/close_streams", R"({"code":-1,"msg":"close failed","result":-1})");
  start();
  const Status cut = api.cutPublisher(server, "live", "k");
  EXPECT_EQ(cut.code(), Code::kUnavailable);
  EXPECT_EQ(cut.message(), "ZLMediaKit node 'edge-1': GET " + url("/index/api/close_streams") +
                               ": ZLMediaKit answered code -1: close failed");
}

TEST_F(ZlmNodeApiTest, WrongSecretIsUnavailableWithoutTheSecret) {
  answer("/index/api/getMediaList", fixture("zlmediakit/api/login_required.json"));
  start();
  auto streams = api.liveStreams(server);
  ASSERT_FALSE(streams.ok());
  EXPECT_EQ(streams.status().code(), Code::kUnavailable);
  EXPECT_EQ(streams.status().message(), "ZLMediaKit node 'edge-1': GET " + url("/index/api/getMediaList") +
                                            ": ZLMediaKit answered code -100: Please login first");
}

TEST_F(ZlmNodeApiTest, ANodeEchoingTheSecretHasItMasked) {
  answer("/index/api/getMediaList", R"({"code":-100,"msg":"Incorrect secret: )" + std::string(kSecret) + R"("})");
  start();
  auto streams = api.liveStreams(server);
  ASSERT_FALSE(streams.ok());
  EXPECT_EQ(streams.status().message().find(kSecret), std::string::npos) << streams.status().message();
  EXPECT_NE(streams.status().message().find("Incorrect secret: ***"), std::string::npos);
}

TEST_F(ZlmNodeApiTest, AnotherHttpStatusIsNotTheApiSpeaking) {
  answer("/index/api/getMediaList", R"({"code":0})", 502);
  start();
  auto streams = api.liveStreams(server);
  ASSERT_FALSE(streams.ok());
  EXPECT_EQ(streams.status().message(),
            "ZLMediaKit node 'edge-1': GET " + url("/index/api/getMediaList") + ": HTTP 502");
}

TEST_F(ZlmNodeApiTest, UnreadableAnswerIsUnavailable) {
  answer("/index/api/getMediaList", "<html>proxy error</html>");
  start();
  auto streams = api.liveStreams(server);
  ASSERT_FALSE(streams.ok());
  EXPECT_EQ(streams.status().code(), Code::kUnavailable);
  EXPECT_NE(streams.status().message().find("ZLMediaKit answer is not a JSON object"), std::string::npos);
}

TEST_F(ZlmNodeApiTest, SlowNodeFailsWithinTheBudget) {
  router.addDeferred(
      http::Method::kGet, "/index/api/getMediaList", [](const http::Request&, http::Responder) {},
      http::Deferral{10s, [](const http::Request&) { return jsonAnswer(200, R"({"code":0})"); }});
  start();
  const auto started = std::chrono::steady_clock::now();
  auto streams = api.liveStreams(server);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(streams.ok());
  EXPECT_EQ(streams.status().code(), Code::kUnavailable);
  EXPECT_NE(streams.status().message().find("timed out"), std::string::npos) << streams.status().message();
  EXPECT_EQ(streams.status().message().find(kSecret), std::string::npos);
  EXPECT_GE(took, 900ms);
  EXPECT_LT(took, 1500ms);
}

TEST(ZlmNodeApiDown, RefusedConnectionNamesTheNodeNotTheSecret) {
  const MediaServer server =
      testing::nodeServer(MediaServerType::kZlMediaKit, testing::closedUrl(), std::string(kSecret));
  http_client::HttpClient client;
  ExternalNodeApi api(client);
  auto streams = api.liveStreams(server);
  ASSERT_FALSE(streams.ok());
  EXPECT_EQ(streams.status().code(), Code::kUnavailable);
  EXPECT_EQ(streams.status().message(),
            "ZLMediaKit node 'edge-1': GET " + server.apiUrl + "/index/api/getMediaList: Couldn't connect to server");
  const Status cut = api.cutPublisher(server, "live", "k");
  EXPECT_EQ(cut.code(), Code::kUnavailable);
  EXPECT_EQ(cut.message(),
            "ZLMediaKit node 'edge-1': GET " + server.apiUrl + "/index/api/close_streams: Couldn't connect to server");
}

}  // namespace
}  // namespace ls::nodes
