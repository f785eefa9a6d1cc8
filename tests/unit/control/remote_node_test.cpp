// Remote LunarStream media nodes (`node add`, `serve --role media`): their
// registration and secret, heartbeats (lease, restart by boot id, the
// reconcile and its cut list), and moving a livestream between servers with
// generate-push-token. A real SQLite store and a hand-moved clock.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "control/media_server_service.hpp"
#include "control/node_service.hpp"
#include "support/control_fixture.hpp"

namespace ls::control {
namespace {

using S = LivestreamStatus;

class RemoteNodeTest : public testing::ControlFixture {
 protected:
  void SetUp() override {
    ControlFixture::SetUp();
    NodeLeaseOptions o;
    o.leaseMs = 3'000;
    o.pollIntervalMs = 5'000;
    o.registrationGraceMs = 2'000;
    nodes_ = std::make_unique<NodeService>(*store_, clock_, nullptr, o);
  }

  AddedMediaServer addRemote(const std::string& name) {
    MediaServerInput in;
    in.name = name;
    in.rtmpBaseUrl = "rtmp://10.0.0.7:1935/live";
    in.hlsBaseUrl = "http://10.0.0.7:8080";
    auto added = servers_->addNode(in);
    EXPECT_TRUE(added.ok()) << added.status().message();
    return added.ok() ? *added : AddedMediaServer{};
  }

  MediaServer reread(const std::string& id) { return *store_->findMediaServer(id).value(); }
  Livestream reread(const Livestream& l) { return *store_->findLivestream(l.id).value(); }

  Livestream startOn(const MediaServer& server, const std::string& name) {
    auto made = livestreams_->create(project_, {name, server.id, std::nullopt});
    EXPECT_TRUE(made.ok()) << made.status().message();
    const Livestream& l = made->livestream;
    EXPECT_TRUE(store_->startLivestream(l.id, l.currentTokenId, clock_.now(), {}).isOk());
    return reread(l);
  }

  NodeHeartbeatAnswer beat(const std::string& id, const std::string& bootId, std::vector<std::string> keys) {
    NodeHeartbeat hb;
    hb.bootId = bootId;
    hb.liveStreamKeys = std::move(keys);
    hb.intervalMs = 500;
    auto answer = nodes_->heartbeat(reread(id), hb);
    EXPECT_TRUE(answer.ok()) << answer.status().message();
    return answer.ok() ? *answer : NodeHeartbeatAnswer{};
  }

  std::unique_ptr<NodeService> nodes_;
};

TEST_F(RemoteNodeTest, NodeAddMakesAnEmbeddedServerWithAHashedSecretAndTheHlsUrlAsApiUrl) {
  const AddedMediaServer added = addRemote("node-1");
  EXPECT_EQ(added.server.type, MediaServerType::kEmbedded);
  EXPECT_TRUE(isRemoteNode(added.server));
  EXPECT_EQ(added.server.apiUrl, "http://10.0.0.7:8080");
  EXPECT_TRUE(added.hookSecret.starts_with("ls_node_"));
  EXPECT_EQ(reread(added.server.id).hookSecretHash.find(added.hookSecret), std::string::npos);
  EXPECT_TRUE(servers_->authenticateNode(added.server.id, added.hookSecret).ok());
  EXPECT_EQ(servers_->authenticateNode(added.server.id, "wrong").status().code(), Code::kUnauthenticated);
  EXPECT_EQ(servers_->authenticateNode(server_.id, "").status().code(), Code::kUnauthenticated);
  EXPECT_EQ(servers_->authenticateHook({added.hookSecret, "10.0.0.7", ""}).status().code(), Code::kUnauthenticated)
      << "a node secret is no hook secret";
  // The role-all process's own embedded server is never confused with it.
  control::MediaServerInput embedded;
  embedded.name = "embedded";
  embedded.rtmpBaseUrl = "rtmp://127.0.0.1:1935/live";
  embedded.hlsBaseUrl = "http://127.0.0.1:8080";
  auto again = servers_->ensureEmbedded(embedded);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, server_.id);

  auto rotated = servers_->rotateNodeSecret(added.server.id);
  ASSERT_TRUE(rotated.ok());
  EXPECT_FALSE(servers_->authenticateNode(added.server.id, added.hookSecret).ok());
  EXPECT_TRUE(servers_->authenticateNode(added.server.id, rotated->hookSecret).ok());
}

TEST_F(RemoteNodeTest, HeartbeatsHoldTheLeaseAndASilentNodeIsOfflineWithItsStreamsEnded) {
  const MediaServer node = addRemote("node-1").server;
  EXPECT_EQ(nodeStatus(reread(node.id), clock_.now(), nodes_->options()), NodeStatus::kUnknown);
  beat(node.id, "boot-1", {});
  const Livestream live = startOn(node, "live");
  EXPECT_EQ(nodeStatus(reread(node.id), clock_.now(), nodes_->options()), NodeStatus::kOnline);
  clock_.advance(3'000);
  ASSERT_TRUE(nodes_->sweepLeases().isOk());
  EXPECT_EQ(reread(live).phase, S::kStarted) << "the lease holds to its last millisecond";
  clock_.advance(1);
  ASSERT_TRUE(nodes_->sweepLeases().isOk());
  EXPECT_EQ(reread(live).phase, S::kEnded);
  EXPECT_EQ(nodeStatus(reread(node.id), clock_.now(), nodes_->options()), NodeStatus::kOffline);
  // The role-all process's own embedded server never goes OFFLINE.
  EXPECT_EQ(nodeStatus(reread(server_.id), clock_.now(), nodes_->options()), NodeStatus::kOnline);

  // It comes back still publishing the stream: STARTED again.
  clock_.advance(500);
  beat(node.id, "boot-1", {live.streamKey});
  EXPECT_EQ(reread(live).phase, S::kStarted);
  EXPECT_EQ(nodeStatus(reread(node.id), clock_.now(), nodes_->options()), NodeStatus::kOnline);
}

TEST_F(RemoteNodeTest, HeartbeatEndsWhatTheNodeNoLongerHasAndListsKeysToCut) {
  const MediaServer node = addRemote("node-1").server;
  const MediaServer other = addRemote("node-2").server;
  beat(node.id, "boot-1", {});
  const Livestream kept = startOn(node, "kept");
  const Livestream gone = startOn(node, "gone");
  const Livestream elsewhere = startOn(other, "elsewhere");
  clock_.advance(2'001);  // past the registration grace
  const NodeHeartbeatAnswer answer =
      beat(node.id, "boot-1", {kept.streamKey, elsewhere.streamKey, "0123456789abcdef0123456789abcdef"});
  EXPECT_EQ(reread(kept).phase, S::kStarted);
  EXPECT_EQ(reread(gone).phase, S::kEnded);
  EXPECT_EQ(reread(elsewhere).phase, S::kStarted) << "another node's stream is left alone";
  std::vector<std::string> cut = answer.cutStreamKeys;
  std::sort(cut.begin(), cut.end());
  std::vector<std::string> expected{elsewhere.streamKey, "0123456789abcdef0123456789abcdef"};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(cut, expected);
  EXPECT_EQ(answer.heartbeatIntervalMs, 500);
  EXPECT_EQ(answer.leaseSeconds, 3);
}

TEST_F(RemoteNodeTest, AStreamJustAuthorizedIsNotEndedBeforeTheNodeListsIt) {
  const MediaServer node = addRemote("node-1").server;
  beat(node.id, "boot-1", {});
  const Livestream fresh = startOn(node, "fresh");
  clock_.advance(500);
  beat(node.id, "boot-1", {});
  EXPECT_EQ(reread(fresh).phase, S::kStarted);
}

TEST_F(RemoteNodeTest, ANewBootIdIsARestartThatEndsTheNodesStreams) {
  const MediaServer node = addRemote("node-1").server;
  beat(node.id, "boot-1", {});
  const Livestream live = startOn(node, "live");
  clock_.advance(100);
  beat(node.id, "boot-2", {});
  EXPECT_EQ(reread(live).phase, S::kEnded);
}

TEST_F(RemoteNodeTest, GeneratePushTokenMovesAStreamThatIsNotLive) {
  const MediaServer a = addRemote("node-a").server;
  const MediaServer b = addRemote("node-b").server;
  beat(a.id, "boot-a", {});
  beat(b.id, "boot-b", {});
  auto made = livestreams_->create(project_, {"s", a.id, std::nullopt});
  ASSERT_TRUE(made.ok());
  const Livestream l = made->livestream;

  auto moved = livestreams_->issueToken(project_, {l.id, {}, b.id}, std::nullopt);
  ASSERT_TRUE(moved.ok()) << moved.status().message();
  EXPECT_EQ(moved->livestream.mediaServerId, b.id);
  EXPECT_EQ(moved->mediaServer.id, b.id);
  EXPECT_EQ(reread(l).mediaServerId, b.id);
  EXPECT_NE(reread(l).currentTokenId, l.currentTokenId);

  // Live: 409, nothing changes.
  ASSERT_TRUE(store_->startLivestream(l.id, reread(l).currentTokenId, clock_.now(), {}).isOk());
  const std::string token = reread(l).currentTokenId;
  auto refused = livestreams_->issueToken(project_, {l.id, {}, a.id}, std::nullopt);
  EXPECT_EQ(refused.status().code(), Code::kConflict);
  EXPECT_NE(refused.status().message().find("STARTED"), std::string::npos) << refused.status().message();
  EXPECT_EQ(reread(l).mediaServerId, b.id);
  EXPECT_EQ(reread(l).currentTokenId, token);
  ASSERT_TRUE(store_->endLivestream(l.id, clock_.now()).isOk());

  // Unknown server: 404; OFFLINE server: 409.
  EXPECT_EQ(livestreams_->issueToken(project_, {l.id, {}, "00000000-0000-4000-8000-000000000000"}, std::nullopt)
                .status()
                .code(),
            Code::kNotFound);
  clock_.advance(10'000);
  ASSERT_TRUE(nodes_->sweepLeases().isOk());
  auto offline = livestreams_->issueToken(project_, {l.id, {}, a.id}, std::nullopt);
  EXPECT_EQ(offline.status().code(), Code::kConflict);
  // The embedded server of this process is fine.
  auto home = livestreams_->issueToken(project_, {l.id, {}, server_.id}, std::nullopt);
  ASSERT_TRUE(home.ok()) << home.status().message();
  EXPECT_EQ(reread(l).mediaServerId, server_.id);
  EXPECT_EQ(reread(l).phase, S::kReadyForUse);
}

}  // namespace
}  // namespace ls::control
