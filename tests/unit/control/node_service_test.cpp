// NodeService: leases of external nodes, restart detection, and polls
// reconciled with what the control plane has live. A real SQLite store, a
// hand-moved clock and a scripted NodeApi.
#include "control/node_service.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/control_fixture.hpp"
#include "support/log_capture.hpp"
#include "support/scripted_node_api.hpp"

namespace ls::control {
namespace {

using S = LivestreamStatus;
using testing::ScriptedNodeApi;

constexpr std::int64_t kLeaseMs = 30'000;
constexpr std::int64_t kPollIntervalMs = 5'000;
constexpr std::int64_t kGraceMs = 10'000;

NodeLeaseOptions leaseOptions() {
  NodeLeaseOptions o;
  o.leaseMs = kLeaseMs;
  o.pollIntervalMs = kPollIntervalMs;
  o.registrationGraceMs = kGraceMs;
  return o;
}

NodeContact keepalive() {
  NodeContact c;
  c.heartbeat = true;
  return c;
}

NodeContact hook(std::optional<std::int64_t> index = std::nullopt) {
  NodeContact c;
  c.hookIndex = index;
  return c;
}

class NodeServiceTest : public testing::ControlFixture {
 protected:
  void SetUp() override {
    ControlFixture::SetUp();
    nodes_ = std::make_unique<NodeService>(*store_, clock_, &api_, leaseOptions());
  }

  // Created 1 ms after the previous one so listings have one order.
  MediaServer addNode(const std::string& name, std::string apiUrl = {}, std::vector<std::string> projectIds = {}) {
    clock_.advance(1);
    return addExternalServer(name, std::move(apiUrl), std::move(projectIds));
  }

  MediaServer reread(const MediaServer& server) {
    auto found = store_->findMediaServer(server.id);
    EXPECT_TRUE(found.ok() && found->has_value());
    return found.ok() && found->has_value() ? **found : MediaServer{};
  }

  std::string statusOf(const MediaServer& server) {
    return std::string(toString(nodeStatus(reread(server), clock_.now(), nodes_->options())));
  }

  // A livestream on `server` that a publisher started now.
  Livestream startOn(const MediaServer& server, const std::string& name = "stream") {
    auto made = livestreams_->create(project_, {name, server.id, std::nullopt});
    EXPECT_TRUE(made.ok()) << made.status().message();
    if (!made.ok()) return {};
    const Livestream& l = made->livestream;
    EXPECT_TRUE(store_->startLivestream(l.id, l.currentTokenId, clock_.now(), {}).isOk());
    return *store_->findLivestream(l.id).value();
  }

  Livestream readyOn(const MediaServer& server, const std::string& name = "ready") {
    auto made = livestreams_->create(project_, {name, server.id, std::nullopt});
    EXPECT_TRUE(made.ok()) << made.status().message();
    return made.ok() ? made->livestream : Livestream{};
  }

  Livestream reread(const Livestream& l) {
    auto found = store_->findLivestream(l.id);
    EXPECT_TRUE(found.ok() && found->has_value());
    return found.ok() && found->has_value() ? **found : Livestream{};
  }

  S phaseOf(const Livestream& l) { return reread(l).phase; }

  void hear(const MediaServer& server, NodeContact contact) { ASSERT_TRUE(nodes_->heard(server, contact).isOk()); }

  ScriptedNodeApi api_;
  std::unique_ptr<NodeService> nodes_;
  testing::LogCapture log_;
};

// --- leases -----------------------------------------------------------------

TEST(NodeLeaseTest, LeaseIsTheConfiguredOneButNeverUnderThreeSignalIntervals) {
  NodeLeaseOptions o;
  o.leaseMs = 30'000;
  o.pollIntervalMs = 5'000;
  MediaServer node;
  node.type = MediaServerType::kZlMediaKit;
  EXPECT_EQ(leaseMsFor(node, o), 30'000);
  node.liveness.keepaliveIntervalMs = 5'000;
  EXPECT_EQ(leaseMsFor(node, o), 30'000) << "three 5 s keepalives fit in the configured lease";
  node.liveness.keepaliveIntervalMs = 20'000;
  EXPECT_EQ(leaseMsFor(node, o), 60'000);

  MediaServer polled;
  polled.type = MediaServerType::kMediaMtx;
  polled.apiUrl = "http://10.0.0.5:9997";
  EXPECT_EQ(leaseMsFor(polled, o), 30'000);
  o.pollIntervalMs = 15'000;
  EXPECT_EQ(leaseMsFor(polled, o), 45'000);
  polled.liveness.keepaliveIntervalMs = 20'000;
  EXPECT_EQ(leaseMsFor(polled, o), 60'000) << "the longest of the three";
}

TEST_F(NodeServiceTest, KeepaliveNodeStaysOnlineForItsLeaseThenTheSweepEndsOnlyItsStreams) {
  const MediaServer node = addNode("edge-a");
  const MediaServer other = addNode("edge-b");
  hear(node, keepalive());
  const Livestream live1 = startOn(node, "one");
  const Livestream live2 = startOn(node, "two");
  const Livestream ready = readyOn(node);
  const Livestream elsewhere = startOn(other, "elsewhere");
  const UnixMillis heardAt = *reread(node).liveness.lastSeenAt;
  clock_.advance(10'000);
  hear(other, keepalive());

  clock_.set(heardAt + kLeaseMs);
  EXPECT_EQ(statusOf(node), "ONLINE") << "the lease holds up to its last millisecond";
  ASSERT_TRUE(nodes_->sweepLeases().isOk());
  EXPECT_EQ(phaseOf(live1), S::kStarted);
  EXPECT_FALSE(reread(node).liveness.offlineSince.has_value());

  clock_.advance(1);
  EXPECT_EQ(statusOf(node), "OFFLINE") << "a lapsed lease reads OFFLINE even before the sweep";
  ASSERT_TRUE(nodes_->sweepLeases().isOk());
  EXPECT_TRUE(reread(node).liveness.offlineSince.has_value());
  EXPECT_EQ(phaseOf(live1), S::kEnded);
  EXPECT_EQ(reread(live1).endedAt, clock_.now());
  EXPECT_EQ(phaseOf(live2), S::kEnded);
  EXPECT_EQ(phaseOf(ready), S::kReadyForUse);
  EXPECT_EQ(phaseOf(elsewhere), S::kStarted) << "another node's stream is not touched";
  EXPECT_EQ(statusOf(other), "ONLINE");
  EXPECT_EQ(log_.count("edge-a"), 1u);
  EXPECT_EQ(log_.count("is OFFLINE"), 1u);
  EXPECT_EQ(log_.count("2 live stream(s) ENDED"), 1u);

  // A second sweep finds it OFFLINE already: nothing more is logged.
  clock_.advance(60'000);
  ASSERT_TRUE(nodes_->sweepLeases().isOk());
  EXPECT_EQ(log_.count("is OFFLINE"), 2u) << "edge-b has lapsed meanwhile";
  EXPECT_EQ(log_.count("edge-a"), 1u) << "edge-a is not logged again";
}

TEST_F(NodeServiceTest, NodeHeardAgainIsOnlineAndTheComebackIsLogged) {
  const MediaServer node = addNode("edge");
  hear(node, keepalive());
  const Livestream live = startOn(node);
  clock_.advance(kLeaseMs + 1);
  ASSERT_TRUE(nodes_->sweepLeases().isOk());
  ASSERT_EQ(statusOf(node), "OFFLINE");

  clock_.advance(1000);
  log_.clear();
  hear(node, hook());
  EXPECT_FALSE(reread(node).liveness.offlineSince.has_value());
  EXPECT_EQ(statusOf(node), "ONLINE") << "it held a lease before; any call renews it";
  EXPECT_EQ(log_.count("is ONLINE again"), 1u);
  EXPECT_EQ(phaseOf(live), S::kEnded) << "coming back does not bring its streams back by itself";

  hear(node, keepalive());
  EXPECT_EQ(log_.count("is ONLINE again"), 1u) << "logged once, when it came back";
}

TEST_F(NodeServiceTest, AKeepaliveIntervalLongerThanALeaseThirdStretchesTheLease) {
  const MediaServer node = addNode("slow-keepalive");
  NodeContact c = keepalive();
  c.keepaliveIntervalMs = 20'000;
  hear(node, c);
  const Livestream live = startOn(node);
  EXPECT_EQ(leaseMsFor(reread(node), nodes_->options()), 60'000);

  clock_.advance(59'000);
  ASSERT_TRUE(nodes_->sweepLeases().isOk());
  EXPECT_EQ(statusOf(node), "ONLINE") << "two missed keepalives are not a lapse";
  EXPECT_EQ(phaseOf(live), S::kStarted);

  clock_.advance(2'000);
  ASSERT_TRUE(nodes_->sweepLeases().isOk());
  EXPECT_EQ(statusOf(node), "OFFLINE");
  EXPECT_EQ(phaseOf(live), S::kEnded);
}

TEST_F(NodeServiceTest, APolledNodeHoldsALeaseOfAtLeastThreePollIntervals) {
  NodeLeaseOptions o = leaseOptions();
  o.pollIntervalMs = 15'000;
  nodes_ = std::make_unique<NodeService>(*store_, clock_, &api_, o);
  const MediaServer node = addNode("polled", "http://10.0.0.5:80");
  hear(node, hook());  // no heartbeat: the API alone makes it hold a lease
  const Livestream live = startOn(node);

  clock_.advance(44'000);
  ASSERT_TRUE(nodes_->sweepLeases().isOk());
  EXPECT_EQ(statusOf(node), "ONLINE");
  clock_.advance(2'000);
  ASSERT_TRUE(nodes_->sweepLeases().isOk());
  EXPECT_EQ(statusOf(node), "OFFLINE");
  EXPECT_EQ(phaseOf(live), S::kEnded);
}

TEST_F(NodeServiceTest, ANodeThatOnlyAsksAboutPublishesIsNeverDeclaredOffline) {
  const MediaServer node = addNode("hooks-only");
  EXPECT_EQ(statusOf(node), "UNKNOWN") << "never heard from";
  hear(node, hook(7));
  const Livestream live = startOn(node);
  EXPECT_EQ(statusOf(node), "UNKNOWN");

  clock_.advance(24 * 3600 * 1000);
  ASSERT_TRUE(nodes_->sweepLeases().isOk());
  EXPECT_EQ(statusOf(node), "UNKNOWN");
  EXPECT_FALSE(reread(node).liveness.offlineSince.has_value());
  EXPECT_EQ(phaseOf(live), S::kStarted) << "silence proves nothing about a node that sends no keepalive";
  EXPECT_EQ(log_.count("OFFLINE"), 0u);
}

TEST_F(NodeServiceTest, TheEmbeddedServerIsAlwaysOnline) {
  EXPECT_EQ(statusOf(server_), "ONLINE");
  const Livestream live = startOn(server_);
  clock_.advance(24 * 3600 * 1000);
  ASSERT_TRUE(nodes_->sweepLeases().isOk());
  EXPECT_EQ(statusOf(server_), "ONLINE");
  EXPECT_EQ(phaseOf(live), S::kStarted);

  MediaServer declared = server_;
  declared.liveness.offlineSince = clock_.now();
  declared.liveness.heartbeatAt = 0;
  declared.liveness.lastSeenAt = 0;
  EXPECT_EQ(nodeStatus(declared, clock_.now(), nodes_->options()), NodeStatus::kOnline) << "it is this process";
  EXPECT_FALSE(holdsLease(declared));
}

TEST_F(NodeServiceTest, MarkingOfflineYieldsToAContactAfterTheSilenceBegan) {
  const MediaServer node = addNode("racing");
  hear(node, keepalive());
  const Livestream live = startOn(node);
  const UnixMillis heardAt = *reread(node).liveness.lastSeenAt;

  // A sweep that decided on an older reading: the node was heard after the silence it saw began.
  auto marked = store_->markNodeOffline(node.id, heardAt - 1, heardAt + kLeaseMs + 1);
  ASSERT_TRUE(marked.ok()) << marked.status().message();
  EXPECT_FALSE(marked->has_value());
  EXPECT_EQ(statusOf(node), "ONLINE");
  EXPECT_EQ(phaseOf(live), S::kStarted);

  auto due = store_->markNodeOffline(node.id, heardAt, heardAt + kLeaseMs + 1);
  ASSERT_TRUE(due.ok());
  ASSERT_TRUE(due->has_value());
  EXPECT_EQ(**due, 1);
  EXPECT_EQ(phaseOf(live), S::kEnded);
}

TEST_F(NodeServiceTest, ANodeThatSaysItExitsIsOfflineAtOnce) {
  const MediaServer node = addNode("exiting");
  hear(node, keepalive());
  const Livestream live = startOn(node);
  clock_.advance(1000);
  ASSERT_TRUE(nodes_->exited(node).isOk());
  EXPECT_EQ(statusOf(node), "OFFLINE");
  EXPECT_EQ(phaseOf(live), S::kEnded);
  EXPECT_EQ(reread(live).endedAt, clock_.now());
  EXPECT_EQ(log_.count("reported that it is exiting"), 1u);
}

TEST_F(NodeServiceTest, AnExitWinsOverAContactAnotherThreadRecordedAMomentLater) {
  // Another hook of the exiting node, handled at the same time, stamped a
  // moment after the exit hook's clock reading: the exit still counts.
  const MediaServer node = addNode("racing-exit");
  const Livestream live = startOn(node);
  NodeContact late = keepalive();
  late.at = clock_.now() + 5;
  ASSERT_TRUE(nodes_->heard(node, late).isOk());
  ASSERT_TRUE(nodes_->exited(reread(node)).isOk());
  EXPECT_EQ(statusOf(node), "OFFLINE");
  EXPECT_EQ(phaseOf(live), S::kEnded);
}

// --- restarts ---------------------------------------------------------------

TEST_F(NodeServiceTest, ServerStartedEndsTheStreamsOfThatNodeOnly) {
  const MediaServer node = addNode("restarting");
  const MediaServer other = addNode("steady");
  const Livestream live = startOn(node, "mine");
  const Livestream elsewhere = startOn(other, "theirs");
  clock_.advance(1000);
  NodeContact started = keepalive();
  started.started = true;
  hear(node, started);
  EXPECT_EQ(phaseOf(live), S::kEnded);
  EXPECT_EQ(reread(live).endedAt, clock_.now());
  EXPECT_EQ(phaseOf(elsewhere), S::kStarted);
  EXPECT_EQ(statusOf(node), "ONLINE");
  EXPECT_EQ(log_.count("restarted"), 1u);
}

TEST_F(NodeServiceTest, AHookIndexThatFallsFarBehindIsARestartAReorderingIsNot) {
  const MediaServer node = addNode("zlm");
  hear(node, hook(500));
  const Livestream live = startOn(node);

  hear(node, hook(480));  // concurrent hooks overtaking each other
  EXPECT_EQ(phaseOf(live), S::kStarted);
  EXPECT_EQ(reread(node).liveness.lastHookIndex, 500) << "the highest index is kept";

  hear(node, hook(3));
  EXPECT_EQ(phaseOf(live), S::kEnded);
  EXPECT_EQ(reread(node).liveness.lastHookIndex, 3) << "counting starts again with the new process";
  EXPECT_EQ(log_.count("hook sequence started again"), 1u);
}

TEST_F(NodeServiceTest, TheRestartIsJudgedAgainstTheHighestIndexSeen) {
  const MediaServer node = addNode("zlm");
  hear(node, hook(500));
  hear(node, hook(480));
  const Livestream live = startOn(node);
  // Under half of 500, though not of 480: a restart only if 500 was kept.
  hear(node, hook(245));
  EXPECT_EQ(phaseOf(live), S::kEnded);
}

// --- a node that reports no stream --------------------------------------------

TEST_F(NodeServiceTest, NoStreamsReportEndsStreamsOlderThanTheRegistrationGrace) {
  const MediaServer node = addNode("empty");
  const Livestream old = startOn(node, "old");
  clock_.advance(kGraceMs);
  const Livestream young = startOn(node, "young");
  clock_.advance(kGraceMs - 1);
  ASSERT_TRUE(nodes_->reportsNoStreams(node).isOk());
  EXPECT_EQ(phaseOf(old), S::kEnded);
  EXPECT_EQ(phaseOf(young), S::kStarted) << "authorized a moment ago, not registered on the node yet";
  clock_.advance(1);
  ASSERT_TRUE(nodes_->reportsNoStreams(node).isOk());
  EXPECT_EQ(phaseOf(young), S::kEnded);
}

// --- polls ------------------------------------------------------------------

TEST_F(NodeServiceTest, APollEndsAStreamTheNodeNoLongerHasButNotAYoungOne) {
  const MediaServer node = addNode("polled", "http://10.0.0.5:80");
  const Livestream old = startOn(node, "old");
  clock_.advance(kGraceMs);
  const Livestream young = startOn(node, "young");
  const Livestream listed = startOn(node, "listed");
  clock_.advance(1);
  api_.answer(node.id, std::vector<NodeStream>{{"live", listed.streamKey}});
  ASSERT_TRUE(nodes_->poll(node).isOk());
  EXPECT_EQ(phaseOf(old), S::kEnded);
  EXPECT_EQ(reread(old).endedAt, clock_.now());
  EXPECT_EQ(phaseOf(young), S::kStarted);
  EXPECT_EQ(phaseOf(listed), S::kStarted);
  EXPECT_TRUE(api_.cuts().empty());
  EXPECT_EQ(statusOf(node), "ONLINE") << "an answered poll renews the lease";
  EXPECT_EQ(reread(node).liveness.heartbeatAt, clock_.now());
}

TEST_F(NodeServiceTest, APollRestartsAStreamTheNodeHasAndThatHadEndedHere) {
  const MediaServer node = addNode("polled", "http://10.0.0.5:80");
  const Livestream live = startOn(node);
  const UnixMillis startedAt = clock_.now();
  clock_.advance(1000);
  ASSERT_TRUE(store_->endLivestream(live.id, clock_.now()).isOk());  // a lost or stale end report
  clock_.advance(1000);
  api_.answer(node.id, std::vector<NodeStream>{{"live", live.streamKey}});
  ASSERT_TRUE(nodes_->poll(node).isOk());
  const Livestream again = reread(live);
  EXPECT_EQ(again.phase, S::kStarted);
  EXPECT_EQ(again.startedAt, startedAt);
  EXPECT_FALSE(again.endedAt.has_value());
  EXPECT_EQ(log_.count("STARTED again"), 1u);
  EXPECT_TRUE(api_.cuts().empty());
}

TEST_F(NodeServiceTest, AnEndRecordedWhileThePollWasUnderWayWins) {
  const MediaServer node = addNode("polled", "http://10.0.0.5:80");
  const Livestream live = startOn(node);
  clock_.advance(kGraceMs + 1);
  api_.answer(node.id, std::vector<NodeStream>{{"live", live.streamKey}});
  // The publisher leaves and its end report lands after the node had answered.
  api_.duringPoll([&](const MediaServer&) {
    clock_.advance(5);
    EXPECT_TRUE(store_->endLivestream(live.id, clock_.now()).isOk());
  });
  ASSERT_TRUE(nodes_->poll(node).isOk());
  EXPECT_EQ(phaseOf(live), S::kEnded);
}

TEST_F(NodeServiceTest, APublisherOfAnUnknownOrForeignKeyIsCut) {
  const MediaServer node = addNode("polled", "http://10.0.0.5:80");
  const MediaServer other = addNode("other");
  const Livestream mine = startOn(node, "mine");
  const Livestream theirs = readyOn(other, "theirs");
  const std::string unknown = "0123456789abcdef0123456789abcdef";
  api_.answer(node.id,
              std::vector<NodeStream>{{"live", mine.streamKey}, {"live", unknown}, {"live", theirs.streamKey}});
  ASSERT_TRUE(nodes_->poll(node).isOk());
  const std::vector<ScriptedNodeApi::Cut> expected{{node.id, "live", theirs.streamKey}, {node.id, "live", unknown}};
  std::vector<ScriptedNodeApi::Cut> cuts = api_.cuts();
  std::sort(cuts.begin(), cuts.end(), [](const auto& a, const auto& b) { return a.streamKey < b.streamKey; });
  std::vector<ScriptedNodeApi::Cut> sortedExpected = expected;
  std::sort(sortedExpected.begin(), sortedExpected.end(),
            [](const auto& a, const auto& b) { return a.streamKey < b.streamKey; });
  EXPECT_EQ(cuts, sortedExpected);
  EXPECT_EQ(phaseOf(mine), S::kStarted);
  EXPECT_EQ(phaseOf(theirs), S::kReadyForUse) << "a stream of another node is not started by this one";
  EXPECT_EQ(log_.count("not one of its livestreams"), 2u);

  // A cut that fails is logged with its reason; the poll itself still succeeds.
  api_.cutsAnswer(Status(Code::kUnavailable, "node refused"));
  log_.clear();
  ASSERT_TRUE(nodes_->poll(node).isOk());
  EXPECT_EQ(log_.count("could not cut it: node refused"), 2u);
}

TEST_F(NodeServiceTest, StreamsOfAnotherAppAreNotLivestreams) {
  const MediaServer node = addNode("polled", "http://10.0.0.5:80");
  const Livestream live = startOn(node, "live");
  const Livestream ended = startOn(node, "ended");
  ASSERT_TRUE(store_->endLivestream(ended.id, clock_.now()).isOk());
  clock_.advance(kGraceMs + 1);
  api_.answer(node.id,
              std::vector<NodeStream>{
                  {"vod", live.streamKey}, {"vod", ended.streamKey}, {"vod", "0123456789abcdef0123456789abcdef"}});
  ASSERT_TRUE(nodes_->poll(node).isOk());
  EXPECT_TRUE(api_.cuts().empty()) << "another application's publishers are none of LunarStream's business";
  EXPECT_EQ(phaseOf(ended), S::kEnded);
  EXPECT_EQ(phaseOf(live), S::kEnded) << "its key under /vod is not its publish under /live";
}

TEST_F(NodeServiceTest, AFailedPollRenewsNothingAndIsLoggedWhenTheOutcomeChanges) {
  const MediaServer node = addNode("flaky", "http://10.0.0.5:80");
  hear(node, keepalive());
  const UnixMillis heardAt = clock_.now();
  const Livestream live = startOn(node);
  clock_.advance(kGraceMs + 1);
  api_.answer(node.id, Status(Code::kUnavailable, "connection refused"));

  const Status failed = nodes_->poll(node);
  EXPECT_EQ(failed.code(), Code::kUnavailable);
  EXPECT_EQ(reread(node).liveness.lastSeenAt, heardAt);
  EXPECT_EQ(reread(node).liveness.heartbeatAt, heardAt);
  EXPECT_EQ(phaseOf(live), S::kStarted) << "a node that does not answer says nothing about its streams";
  EXPECT_TRUE(api_.cuts().empty());
  EXPECT_EQ(log_.count("cannot be polled: connection refused"), 1u);

  clock_.set(heardAt + kLeaseMs + 1);
  EXPECT_EQ(nodes_->poll(node).code(), Code::kUnavailable);
  EXPECT_EQ(log_.count("cannot be polled"), 1u) << "the same trouble is logged once";
  ASSERT_TRUE(nodes_->sweepLeases().isOk());
  EXPECT_EQ(statusOf(node), "OFFLINE");
  EXPECT_EQ(phaseOf(live), S::kEnded);

  api_.answer(node.id, std::vector<NodeStream>{{"live", live.streamKey}});
  clock_.advance(1000);
  ASSERT_TRUE(nodes_->poll(node).isOk());
  EXPECT_EQ(log_.count("answers again"), 1u);
  EXPECT_EQ(statusOf(node), "ONLINE");
  EXPECT_EQ(phaseOf(live), S::kStarted) << "ended while the node was unreachable, and it still has it";
}

TEST_F(NodeServiceTest, PollingNeedsAnApi) {
  const MediaServer hooksOnly = addNode("hooks-only");
  EXPECT_EQ(nodes_->poll(hooksOnly).code(), Code::kConflict);
  EXPECT_EQ(api_.polls(hooksOnly.id), 0);
  NodeService withoutApi(*store_, clock_, nullptr, leaseOptions());
  const MediaServer polled = addNode("polled", "http://10.0.0.5:80");
  EXPECT_EQ(withoutApi.poll(polled).code(), Code::kConflict);
}

TEST_F(NodeServiceTest, ConfirmLiveAndIsLiveOnConcernOnlyTheNodesOwnStreams) {
  const MediaServer node = addNode("mediamtx");
  const MediaServer other = addNode("other");
  const Livestream mine = startOn(node, "mine");
  const Livestream theirs = readyOn(other, "theirs");
  EXPECT_TRUE(*nodes_->isLiveOn(node, mine.streamKey));
  EXPECT_FALSE(*nodes_->isLiveOn(other, mine.streamKey));
  EXPECT_FALSE(*nodes_->isLiveOn(node, "0123456789abcdef0123456789abcdef"));

  ASSERT_TRUE(store_->endLivestream(mine.id, clock_.now()).isOk());
  EXPECT_FALSE(*nodes_->isLiveOn(node, mine.streamKey));
  ASSERT_TRUE(nodes_->confirmLive(node, mine.streamKey).isOk());
  EXPECT_EQ(phaseOf(mine), S::kStarted);
  ASSERT_TRUE(nodes_->confirmLive(node, theirs.streamKey).isOk());
  EXPECT_EQ(phaseOf(theirs), S::kReadyForUse);
  EXPECT_TRUE(nodes_->confirmLive(node, "0123456789abcdef0123456789abcdef").isOk());
}

// --- listings ---------------------------------------------------------------

TEST_F(NodeServiceTest, AvailableServersAreTheProjectsOnesOnlineFirst) {
  // Created in this order; the embedded server (ONLINE) is the oldest.
  const MediaServer theirs = addNode("theirs", {}, {otherProject_.id});
  const MediaServer assigned = addNode("assigned", {}, {project_.id});
  const MediaServer gone = addNode("gone");
  const MediaServer up = addNode("up");
  const MediaServer shared = addNode("shared", {}, {otherProject_.id, project_.id});
  hear(gone, keepalive());
  ASSERT_TRUE(nodes_->exited(gone).isOk());
  hear(up, keepalive());

  auto names = [](const std::vector<NodeView>& views) {
    std::vector<std::string> out;
    for (const NodeView& v : views) out.push_back(v.server.name + ":" + std::string(toString(v.status)));
    return out;
  };
  auto mine = nodes_->availableTo(project_.id);
  ASSERT_TRUE(mine.ok()) << mine.status().message();
  EXPECT_EQ(names(*mine), (std::vector<std::string>{"embedded:ONLINE", "up:ONLINE", "assigned:UNKNOWN",
                                                    "shared:UNKNOWN", "gone:OFFLINE"}));
  auto others = nodes_->availableTo(otherProject_.id);
  ASSERT_TRUE(others.ok());
  EXPECT_EQ(names(*others), (std::vector<std::string>{"embedded:ONLINE", "up:ONLINE", "theirs:UNKNOWN",
                                                      "shared:UNKNOWN", "gone:OFFLINE"}));
  auto nobody = nodes_->availableTo("00000000-0000-4000-8000-000000000000");
  ASSERT_TRUE(nobody.ok());
  EXPECT_EQ(names(*nobody), (std::vector<std::string>{"embedded:ONLINE", "up:ONLINE", "gone:OFFLINE"}));
}

TEST_F(NodeServiceTest, TheListHasEveryServerOldestFirstWithItsLiveCount) {
  const MediaServer node = addNode("edge");
  const MediaServer idle = addNode("idle");
  startOn(server_, "a");
  startOn(server_, "b");
  const Livestream ended = startOn(node, "c");
  ASSERT_TRUE(store_->endLivestream(ended.id, clock_.now()).isOk());
  startOn(node, "d");
  readyOn(idle);

  auto views = nodes_->list();
  ASSERT_TRUE(views.ok()) << views.status().message();
  ASSERT_EQ(views->size(), 3u);
  EXPECT_EQ((*views)[0].server.id, server_.id);
  EXPECT_EQ((*views)[0].liveStreams, 2);
  EXPECT_EQ((*views)[0].status, NodeStatus::kOnline);
  EXPECT_EQ((*views)[1].server.id, node.id);
  EXPECT_EQ((*views)[1].liveStreams, 1);
  EXPECT_EQ((*views)[1].status, NodeStatus::kUnknown);
  EXPECT_EQ((*views)[2].server.id, idle.id);
  EXPECT_EQ((*views)[2].liveStreams, 0);
}

}  // namespace
}  // namespace ls::control
