// External media nodes in every Store engine (SQLite and PostgreSQL): their settings and project
// assignments, liveness (contacts, restarts, going OFFLINE) and the
// livestream queries the node service runs.
#include <gtest/gtest.h>

#include <algorithm>

#include "store_engines.hpp"

namespace ls::testing {
namespace {

using S = LivestreamStatus;

MediaServer externalServer(std::string id, UnixMillis createdAt = 4000) {
  MediaServer s = sampleMediaServer(std::move(id));
  s.name = "edge " + s.id;
  s.type = MediaServerType::kZlMediaKit;
  s.hookSecretHash = "hash-of-" + s.id;
  s.createdAt = createdAt;
  return s;
}

NodeContact contactAt(UnixMillis at, bool heartbeat = false) {
  NodeContact c;
  c.at = at;
  c.heartbeat = heartbeat;
  return c;
}

NodeContact hookAt(UnixMillis at, std::int64_t index) {
  NodeContact c = contactAt(at);
  c.hookIndex = index;
  return c;
}

class NodesTest : public StoreContractTest {
 protected:
  void SetUp() override {
    StoreContractTest::SetUp();
    ASSERT_TRUE(store_->insertProject(sampleProject("project-2", "team-1")).ok());
    ASSERT_TRUE(store_->insertMediaServer(externalServer("edge-1")).ok());
    ASSERT_TRUE(store_->insertMediaServer(externalServer("edge-2", 4001)).ok());
  }

  MediaServer server(const std::string& id) {
    Result<std::optional<MediaServer>> found = store_->findMediaServer(id);
    EXPECT_TRUE(found.ok()) << found.status().message();
    if (!found.ok() || !found->has_value()) {
      ADD_FAILURE() << "media server " << id << " not found";
      return {};
    }
    return **found;
  }

  Livestream livestream(const std::string& id) {
    Result<std::optional<Livestream>> found = store_->findLivestream(id);
    EXPECT_TRUE(found.ok()) << found.status().message();
    if (!found.ok() || !found->has_value()) {
      ADD_FAILURE() << "livestream " << id << " not found";
      return {};
    }
    return **found;
  }

  // A livestream on `mediaServerId` that went live at `startedAt`.
  void started(const std::string& id, const std::string& mediaServerId, UnixMillis startedAt) {
    ASSERT_TRUE(store_->insertLivestream(sampleLivestream(id, 5000, "project-1", mediaServerId)).ok());
    ASSERT_TRUE(store_->startLivestream(id, "jti-" + id, startedAt, {}).isOk());
  }

  std::vector<std::string> startedIds(const std::string& mediaServerId) {
    Result<std::vector<Livestream>> list = store_->listStartedLivestreams(mediaServerId);
    EXPECT_TRUE(list.ok()) << list.status().message();
    std::vector<std::string> ids;
    if (list.ok()) {
      for (const Livestream& l : *list) ids.push_back(l.id);
    }
    return ids;
  }
};

// --- settings and project assignments ------------------------------------

TEST_P(NodesTest, NodeSettingsAndProjectAssignmentsRoundTrip) {
  MediaServer s = externalServer("edge-3", 4002);
  s.type = MediaServerType::kMediaMtx;
  s.hlsPathTemplate = "{app}/{streamKey}/index.m3u8";
  s.hookAllow = {"10.0.0.0/8", "192.0.2.7", "fd00::/8"};
  s.remoteId = "mtx-3";
  s.apiUrl = "http://10.0.0.3:9997";
  s.apiSecret = "node password";
  s.projectIds = {"project-2", "project-1"};
  s.liveness.lastSeenAt = 99;  // liveness is never written by insert
  s.liveness.lastHookIndex = 7;
  Result<MediaServer> inserted = store_->insertMediaServer(s);
  ASSERT_TRUE(inserted.ok()) << inserted.status().message();
  EXPECT_FALSE(inserted->liveness.lastSeenAt.has_value());

  const MediaServer f = server("edge-3");
  EXPECT_EQ(f.type, MediaServerType::kMediaMtx);
  EXPECT_EQ(f.hlsPathTemplate, "{app}/{streamKey}/index.m3u8");
  EXPECT_EQ(f.hookAllow, (std::vector<std::string>{"10.0.0.0/8", "192.0.2.7", "fd00::/8"}));
  EXPECT_EQ(f.remoteId, "mtx-3");
  EXPECT_EQ(f.apiUrl, "http://10.0.0.3:9997");
  EXPECT_EQ(f.apiSecret, "node password");
  EXPECT_EQ(f.projectIds, (std::vector<std::string>{"project-1", "project-2"}));
  EXPECT_FALSE(f.liveness.lastSeenAt.has_value());
  EXPECT_FALSE(f.liveness.heartbeatAt.has_value());
  EXPECT_FALSE(f.liveness.offlineSince.has_value());
  EXPECT_EQ(f.liveness.keepaliveIntervalMs, 0);
  EXPECT_EQ(f.liveness.lastHookIndex, -1);

  Result<std::vector<MediaServer>> all = store_->listMediaServers();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ(all->back().id, "edge-3");
  EXPECT_EQ(all->back().projectIds, (std::vector<std::string>{"project-1", "project-2"}));
  EXPECT_EQ(all->back().hookAllow.size(), 3u);
  for (std::size_t i = 0; i + 1 < all->size(); ++i) {
    EXPECT_TRUE((*all)[i].projectIds.empty()) << (*all)[i].id << " is for every project";
    EXPECT_TRUE((*all)[i].hookAllow.empty()) << (*all)[i].id;
  }
}

TEST_P(NodesTest, UpdateReplacesTheAssignmentsAndKeepsLiveness) {
  MediaServer s = server("edge-1");
  s.projectIds = {"project-1", "project-2"};
  ASSERT_TRUE(store_->updateMediaServer(s).isOk());
  ASSERT_TRUE(store_->recordNodeContact("edge-1", contactAt(100, true)).ok());

  s = server("edge-1");
  s.projectIds = {"project-2"};
  s.hookAllow = {"10.1.0.0/16"};
  s.liveness = {};  // update writes configuration only
  ASSERT_TRUE(store_->updateMediaServer(s).isOk());
  MediaServer f = server("edge-1");
  EXPECT_EQ(f.projectIds, std::vector<std::string>{"project-2"});
  EXPECT_EQ(f.hookAllow, std::vector<std::string>{"10.1.0.0/16"});
  EXPECT_EQ(f.liveness.lastSeenAt, 100);
  EXPECT_EQ(f.liveness.heartbeatAt, 100);
  EXPECT_TRUE(server("edge-2").projectIds.empty()) << "other servers keep theirs";

  s.projectIds.clear();
  ASSERT_TRUE(store_->updateMediaServer(s).isOk());
  EXPECT_TRUE(server("edge-1").projectIds.empty());
}

TEST_P(NodesTest, AnUnknownProjectRefusesTheWholeInsertOrUpdate) {
  MediaServer s = externalServer("edge-3");
  s.projectIds = {"project-1", "project-404"};
  Result<MediaServer> inserted = store_->insertMediaServer(s);
  EXPECT_EQ(inserted.status().code(), Code::kNotFound);
  EXPECT_NE(inserted.status().message().find("project-404"), std::string::npos) << inserted.status().message();
  Result<std::optional<MediaServer>> none = store_->findMediaServer("edge-3");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  MediaServer u = server("edge-1");
  u.projectIds = {"project-1"};
  ASSERT_TRUE(store_->updateMediaServer(u).isOk());
  u.name = "renamed";
  u.projectIds = {"project-2", "project-404"};
  EXPECT_EQ(store_->updateMediaServer(u).code(), Code::kNotFound);
  const MediaServer f = server("edge-1");
  EXPECT_EQ(f.name, "edge edge-1");
  EXPECT_EQ(f.projectIds, std::vector<std::string>{"project-1"});

  EXPECT_EQ(queryInt("SELECT count(*) FROM media_server_projects"), 1);
}

TEST_P(NodesTest, DeletingAServerDeletesItsAssignments) {
  MediaServer s = server("edge-1");
  s.projectIds = {"project-1", "project-2"};
  ASSERT_TRUE(store_->updateMediaServer(s).isOk());
  MediaServer other = server("edge-2");
  other.projectIds = {"project-1"};
  ASSERT_TRUE(store_->updateMediaServer(other).isOk());

  ASSERT_TRUE(store_->deleteMediaServer("edge-1").isOk());
  EXPECT_EQ(queryInt("SELECT count(*) FROM media_server_projects WHERE media_server_id = 'edge-1'"), 0);
  EXPECT_EQ(queryInt("SELECT count(*) FROM media_server_projects"), 1);
  EXPECT_EQ(server("edge-2").projectIds, std::vector<std::string>{"project-1"});
}

// --- liveness ---------------------------------------------------------------

TEST_P(NodesTest, AContactMovesLastSeenForwardAndAHeartbeatAlsoMovesHeartbeat) {
  Result<NodeContactOutcome> first = store_->recordNodeContact("edge-1", contactAt(1000));
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_FALSE(first->cameOnline);
  EXPECT_FALSE(first->restartDetected);
  EXPECT_EQ(server("edge-1").liveness.lastSeenAt, 1000);
  EXPECT_FALSE(server("edge-1").liveness.heartbeatAt.has_value()) << "a publish hook is no heartbeat";

  NodeContact keepalive = contactAt(2000, true);
  keepalive.keepaliveIntervalMs = 10'000;
  ASSERT_TRUE(store_->recordNodeContact("edge-1", keepalive).ok());
  // Contacts handled out of order: an older one moves nothing back.
  ASSERT_TRUE(store_->recordNodeContact("edge-1", contactAt(1500, true)).ok());
  const NodeLiveness l = server("edge-1").liveness;
  EXPECT_EQ(l.lastSeenAt, 2000);
  EXPECT_EQ(l.heartbeatAt, 2000);
  EXPECT_EQ(l.keepaliveIntervalMs, 10'000) << "a contact that does not tell the interval leaves it";
  EXPECT_FALSE(server("edge-2").liveness.lastSeenAt.has_value());

  EXPECT_EQ(store_->recordNodeContact("edge-404", contactAt(1)).status().code(), Code::kNotFound);
}

TEST_P(NodesTest, MarkingOfflineEndsTheNodesStreamsUnlessItWasHeardSince) {
  ASSERT_TRUE(store_->recordNodeContact("edge-1", contactAt(1000, true)).ok());
  started("a", "edge-1", 1100);
  started("b", "edge-1", 1200);
  started("other", "edge-2", 1100);
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ready", 5000, "project-1", "edge-1")).ok());

  Result<std::optional<std::int64_t>> heardSince = store_->markNodeOffline("edge-1", 999, 40'000);
  ASSERT_TRUE(heardSince.ok()) << heardSince.status().message();
  EXPECT_FALSE(heardSince->has_value()) << "heard at 1000, after the silence that was judged began";
  EXPECT_FALSE(server("edge-1").liveness.offlineSince.has_value());
  EXPECT_EQ(livestream("a").phase, S::kStarted);

  Result<std::optional<std::int64_t>> marked = store_->markNodeOffline("edge-1", 1000, 40'000);
  ASSERT_TRUE(marked.ok());
  ASSERT_TRUE(marked->has_value());
  EXPECT_EQ(**marked, 2);
  EXPECT_EQ(server("edge-1").liveness.offlineSince, 40'000);
  EXPECT_EQ(livestream("a").phase, S::kEnded);
  EXPECT_EQ(livestream("a").endedAt, 40'000);
  EXPECT_EQ(livestream("b").phase, S::kEnded);
  EXPECT_EQ(livestream("ready").phase, S::kReadyForUse);
  EXPECT_EQ(livestream("other").phase, S::kStarted);

  Result<std::optional<std::int64_t>> again = store_->markNodeOffline("edge-1", 50'000, 50'000);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value()) << "OFFLINE already";
  EXPECT_EQ(server("edge-1").liveness.offlineSince, 40'000);

  // Heard again: ONLINE, and it says so once.
  Result<NodeContactOutcome> back = store_->recordNodeContact("edge-1", contactAt(60'000));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->cameOnline);
  EXPECT_FALSE(server("edge-1").liveness.offlineSince.has_value());
  EXPECT_FALSE(store_->recordNodeContact("edge-1", contactAt(61'000))->cameOnline);
}

TEST_P(NodesTest, ANodeNeverHeardFromCanBeMarkedOffline) {
  started("a", "edge-2", 100);
  Result<std::optional<std::int64_t>> marked = store_->markNodeOffline("edge-2", 0, 500);
  ASSERT_TRUE(marked.ok());
  ASSERT_TRUE(marked->has_value()) << "the node said it exits before any other contact";
  EXPECT_EQ(**marked, 1);
}

TEST_P(NodesTest, AStartedNodeHasRestartedAndItsStreamsEnd) {
  ASSERT_TRUE(store_->recordNodeContact("edge-1", hookAt(1000, 42)).ok());
  started("a", "edge-1", 1100);
  started("other", "edge-2", 1100);
  NodeContact fresh = contactAt(2000, true);
  fresh.started = true;
  Result<NodeContactOutcome> outcome = store_->recordNodeContact("edge-1", fresh);
  ASSERT_TRUE(outcome.ok());
  EXPECT_TRUE(outcome->restartDetected);
  EXPECT_EQ(outcome->endedLivestreams, 1);
  EXPECT_EQ(livestream("a").phase, S::kEnded);
  EXPECT_EQ(livestream("a").endedAt, 2000);
  EXPECT_EQ(livestream("other").phase, S::kStarted);
  EXPECT_EQ(server("edge-1").liveness.lastHookIndex, -1) << "the new process has sent no hook yet";
}

TEST_P(NodesTest, OnlyAHookIndexFarBelowTheHighestIsARestart) {
  ASSERT_TRUE(store_->recordNodeContact("edge-1", hookAt(1000, 100)).ok());
  started("a", "edge-1", 1100);
  // Within the reordering slack (32), or not under half of the highest: concurrent hooks.
  for (std::int64_t index : {99, 68, 50}) {
    Result<NodeContactOutcome> o = store_->recordNodeContact("edge-1", hookAt(1200, index));
    ASSERT_TRUE(o.ok());
    EXPECT_FALSE(o->restartDetected) << index;
  }
  EXPECT_EQ(server("edge-1").liveness.lastHookIndex, 100);
  EXPECT_EQ(livestream("a").phase, S::kStarted);
  ASSERT_TRUE(store_->recordNodeContact("edge-1", hookAt(1300, 120)).ok());
  EXPECT_EQ(server("edge-1").liveness.lastHookIndex, 120);

  Result<NodeContactOutcome> restarted = store_->recordNodeContact("edge-1", hookAt(1400, 2));
  ASSERT_TRUE(restarted.ok());
  EXPECT_TRUE(restarted->restartDetected);
  EXPECT_EQ(restarted->endedLivestreams, 1);
  EXPECT_EQ(server("edge-1").liveness.lastHookIndex, 2);
  EXPECT_EQ(livestream("a").phase, S::kEnded);

  // A small index from a node that never sent a large one is just its first hook.
  Result<NodeContactOutcome> fresh = store_->recordNodeContact("edge-2", hookAt(1500, 0));
  ASSERT_TRUE(fresh.ok());
  EXPECT_FALSE(fresh->restartDetected);
  EXPECT_EQ(server("edge-2").liveness.lastHookIndex, 0);
}

// --- livestream queries of the node service --------------------------------

TEST_P(NodesTest, StartedLivestreamsOfOneServerOldestStartFirst) {
  started("late", "edge-1", 3000);
  started("early", "edge-1", 1000);
  started("b-tie", "edge-1", 2000);
  started("a-tie", "edge-1", 2000);
  started("elsewhere", "edge-2", 500);
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ready", 5000, "project-1", "edge-1")).ok());
  started("ended", "edge-1", 100);
  ASSERT_TRUE(store_->endLivestream("ended", 200).isOk());

  EXPECT_EQ(startedIds("edge-1"), (std::vector<std::string>{"early", "a-tie", "b-tie", "late"}));
  EXPECT_EQ(startedIds("edge-2"), std::vector<std::string>{"elsewhere"});
  EXPECT_EQ(startedIds("ms-1"), std::vector<std::string>{});
  EXPECT_EQ(startedIds("ms-404"), std::vector<std::string>{});
}

TEST_P(NodesTest, StartedCountsPerServer) {
  started("a", "edge-1", 1000);
  started("b", "edge-1", 1000);
  started("c", "edge-2", 1000);
  started("d", "edge-2", 1000);
  ASSERT_TRUE(store_->endLivestream("d", 2000).isOk());
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ready")).ok());

  Result<std::vector<std::pair<std::string, std::int64_t>>> counts = store_->countStartedLivestreams();
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  std::vector<std::pair<std::string, std::int64_t>> sorted = *counts;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::pair<std::string, std::int64_t>>{{"edge-1", 2}, {"edge-2", 1}}))
      << "a server with nothing live is absent";
}

TEST_P(NodesTest, ResumeMakesALivestreamStartedAgainWithoutAToken) {
  started("ended", "edge-1", 1000);
  ASSERT_TRUE(store_->endLivestream("ended", 2000).isOk());
  ASSERT_TRUE(store_->resumeLivestream("ended", 3000).isOk());
  Livestream l = livestream("ended");
  EXPECT_EQ(l.phase, S::kStarted);
  EXPECT_EQ(l.startedAt, 1000) << "the publish it belongs to started then";
  EXPECT_FALSE(l.endedAt.has_value());

  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ready", 5000, "project-1", "edge-1")).ok());
  ASSERT_TRUE(store_->resumeLivestream("ready", 4000).isOk());
  EXPECT_EQ(livestream("ready").phase, S::kStarted);
  EXPECT_EQ(livestream("ready").startedAt, 4000) << "never started here: starts now";

  ASSERT_TRUE(store_->resumeLivestream("ended", 9000).isOk()) << "already STARTED: no change";
  EXPECT_EQ(livestream("ended").startedAt, 1000);
  EXPECT_EQ(store_->resumeLivestream("ls-404", 1).code(), Code::kNotFound);
}

TEST_P(NodesTest, ThePublishOriginIsStoredWithEachStart) {
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1", 5000, "project-1", "edge-1")).ok());
  Livestream fresh = livestream("ls-1");
  EXPECT_EQ(fresh.publishProtocol, "");
  EXPECT_FALSE(fresh.publishSequence.has_value());

  ASSERT_TRUE(store_->startLivestream("ls-1", "jti-ls-1", 100, PublishOrigin{"rtmp", 4711}).isOk());
  Livestream first = livestream("ls-1");
  EXPECT_EQ(first.publishProtocol, "rtmp");
  EXPECT_EQ(first.publishSequence, 4711);

  ASSERT_TRUE(store_->endLivestream("ls-1", 200).isOk());
  EXPECT_EQ(livestream("ls-1").publishProtocol, "rtmp") << "kept after the end: the last publish";

  ASSERT_TRUE(store_->startLivestream("ls-1", "jti-ls-1", 300, PublishOrigin{}).isOk());
  Livestream second = livestream("ls-1");
  EXPECT_EQ(second.publishProtocol, "") << "the new publish did not say";
  EXPECT_FALSE(second.publishSequence.has_value());

  // A refused start records nothing.
  EXPECT_EQ(store_->startLivestream("ls-1", "jti-ls-1", 400, PublishOrigin{"srt", 1}).code(), Code::kConflict);
  EXPECT_EQ(livestream("ls-1").publishProtocol, "");
}

LS_STORE_SUITE(NodesTest);

}  // namespace
}  // namespace ls::testing
