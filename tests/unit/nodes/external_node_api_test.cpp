// Which servers have a node API, and what the calls say when one has none.
#include "nodes/external_node_api.hpp"

#include <gtest/gtest.h>

#include "unit/nodes/fake_node.hpp"

namespace ls::nodes {
namespace {

using testing::nodeServer;

TEST(ExternalNodeApi, ConfiguredMeansAnExternalTypeWithAnApiUrl) {
  http_client::HttpClient client;
  ExternalNodeApi api(client);
  EXPECT_TRUE(api.configured(nodeServer(MediaServerType::kZlMediaKit, "http://10.0.0.5:8080", "s")));
  EXPECT_TRUE(api.configured(nodeServer(MediaServerType::kMediaMtx, "http://10.0.0.6:9997", "")));
  EXPECT_FALSE(api.configured(nodeServer(MediaServerType::kZlMediaKit, "", "s")));
  EXPECT_FALSE(api.configured(nodeServer(MediaServerType::kMediaMtx, "", "s")));
  EXPECT_FALSE(api.configured(nodeServer(MediaServerType::kEmbedded, "http://127.0.0.1:8080", "s")));
}

TEST(ExternalNodeApi, CallsWithoutANodeApiAskNothing) {
  http_client::HttpClient client;
  ExternalNodeApi api(client);
  for (const MediaServer& server : {nodeServer(MediaServerType::kEmbedded, "http://127.0.0.1:1", "s"),
                                    nodeServer(MediaServerType::kMediaMtx, "", "s")}) {
    auto streams = api.liveStreams(server);
    ASSERT_FALSE(streams.ok());
    EXPECT_EQ(streams.status().code(), Code::kConflict);
    EXPECT_EQ(streams.status().message(), "media server 'edge-1' has no node API configured");
    EXPECT_EQ(api.cutPublisher(server, "live", "k").code(), Code::kConflict);
  }
}

TEST(ExternalNodeApi, CutNeedsAStreamKey) {
  http_client::HttpClient client;
  ExternalNodeApi api(client);
  const MediaServer server = nodeServer(MediaServerType::kMediaMtx, "http://127.0.0.1:1", "s");
  EXPECT_EQ(api.cutPublisher(server, "live", "").code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace ls::nodes
