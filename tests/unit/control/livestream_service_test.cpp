#include "control/livestream_service.hpp"

#include <gtest/gtest.h>

#include "support/control_fixture.hpp"
#include "support/scripted_node_api.hpp"

namespace ls::control {
namespace {

using S = LivestreamStatus;

class LivestreamServiceTest : public testing::ControlFixture {
 protected:
  // A livestream on `server` whose publisher is live.
  Livestream liveOn(const MediaServer& server) {
    auto made = livestreams_->create(project_, {"live", server.id, std::nullopt});
    EXPECT_TRUE(made.ok()) << made.status().message();
    if (!made.ok()) return {};
    EXPECT_TRUE(
        store_->startLivestream(made->livestream.id, made->livestream.currentTokenId, clock_.now(), {}).isOk());
    return made->livestream;
  }

  void heardNow(const MediaServer& server) {
    NodeContact keepalive;
    keepalive.at = clock_.now();
    keepalive.heartbeat = true;
    ASSERT_TRUE(store_->recordNodeContact(server.id, keepalive).ok());
  }
};

TEST_F(LivestreamServiceTest, ExpiredTokenReadsTokenExpiredWithoutAnyJob) {
  const LivestreamRecord made = createStream("expiring", 60);
  EXPECT_EQ(made.status, S::kReadyForUse);
  // JWT times are whole seconds: the token expires at (iat + 60) s exactly.
  EXPECT_EQ(made.livestream.tokenExpiresAt, (clock_.now() / 1000 + 60) * 1000);
  clock_.set(made.livestream.tokenExpiresAt - 1);
  EXPECT_EQ(livestreams_->get(project_, made.livestream.id)->status, S::kReadyForUse);
  clock_.advance(1);
  EXPECT_EQ(livestreams_->get(project_, made.livestream.id)->status, S::kTokenExpired);
  EXPECT_EQ(livestreams_->publicInfo(made.livestream.streamKey)->status, S::kTokenExpired);
  auto listed = livestreams_->list(project_, {1, 10, S::kTokenExpired, ""});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].status, S::kTokenExpired);
}

TEST_F(LivestreamServiceTest, NewTokenMovesExpiredAndEndedBackToReady) {
  const LivestreamRecord made = createStream("renew", 60);
  clock_.advance(120'000);
  auto renewed = livestreams_->issueToken(project_, {made.livestream.id, {}, {}}, 600);
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(renewed->status, S::kReadyForUse);
  ASSERT_TRUE(renewed->pushToken.has_value());
  EXPECT_NE(*renewed->pushToken, *made.pushToken);

  // ENDED -> READY_FOR_USE as well; a live stream stays STARTED.
  ASSERT_TRUE(store_->startLivestream(made.livestream.id, renewed->livestream.currentTokenId, clock_.now(), {}).isOk());
  auto live = livestreams_->issueToken(project_, {{}, made.livestream.streamKey, {}}, std::nullopt);
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(live->status, S::kStarted);
  ASSERT_TRUE(store_->endLivestream(made.livestream.id, clock_.now()).isOk());
  EXPECT_EQ(livestreams_->get(project_, made.livestream.id)->status, S::kEnded);
  auto again = livestreams_->issueToken(project_, {made.livestream.id, {}, {}}, std::nullopt);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, S::kReadyForUse);
}

TEST_F(LivestreamServiceTest, AnotherProjectSeesNothing) {
  const LivestreamRecord made = createStream();
  EXPECT_EQ(livestreams_->get(otherProject_, made.livestream.id).status().code(), Code::kNotFound);
  EXPECT_EQ(livestreams_->rename(otherProject_, made.livestream.id, "x").status().code(), Code::kNotFound);
  EXPECT_EQ(livestreams_->remove(otherProject_, made.livestream.id).status().code(), Code::kNotFound);
  EXPECT_EQ(livestreams_->issueToken(otherProject_, {{}, made.livestream.streamKey, {}}, std::nullopt).status().code(),
            Code::kNotFound);
  EXPECT_EQ(livestreams_->list(otherProject_, {})->total, 0);
  EXPECT_EQ(livestreams_->get(project_, made.livestream.id)->livestream.name, "stream");
}

TEST_F(LivestreamServiceTest, DeletionCutsTheStreamOnMediaNodes) {
  struct Recorder : ingest::StreamCutter {
    std::vector<std::string> keys;
    void cutStream(std::string_view key, std::string_view reason) override {
      keys.push_back(std::string(key));
      EXPECT_EQ(reason, "livestream deleted");
    }
  } recorder;
  livestreams_->addStreamCutter(&recorder);
  const LivestreamRecord made = createStream();
  ASSERT_TRUE(livestreams_->remove(project_, made.livestream.id).ok());
  EXPECT_EQ(recorder.keys, std::vector<std::string>{made.livestream.streamKey});
  EXPECT_EQ(livestreams_->publicInfo(made.livestream.streamKey).status().code(), Code::kNotFound);
}

TEST_F(LivestreamServiceTest, UnknownMediaServerIsNotFound) {
  auto r = livestreams_->create(project_, {"x", "00000000-0000-4000-8000-000000000000", std::nullopt});
  EXPECT_EQ(r.status().code(), Code::kNotFound);
}

TEST_F(LivestreamServiceTest, AnOfflineExternalServerTakesNoNewLivestream) {
  const MediaServer node = addExternalServer("edge-berlin");
  EXPECT_TRUE(livestreams_->create(project_, {"unknown", node.id, std::nullopt}).ok())
      << "a node never heard from is UNKNOWN, and may well work";
  heardNow(node);
  EXPECT_TRUE(livestreams_->create(project_, {"online", node.id, std::nullopt}).ok());

  clock_.advance(LivestreamOptions{}.lease.leaseMs + 1);  // lapsed, not swept yet
  auto lapsed = livestreams_->create(project_, {"lapsed", node.id, std::nullopt});
  EXPECT_EQ(lapsed.status().code(), Code::kConflict);
  EXPECT_NE(lapsed.status().message().find("edge-berlin"), std::string::npos) << lapsed.status().message();
  EXPECT_NE(lapsed.status().message().find("OFFLINE"), std::string::npos) << lapsed.status().message();

  auto declared = store_->markNodeOffline(node.id, clock_.now(), clock_.now());
  ASSERT_TRUE(declared.ok() && declared->has_value());
  heardNow(node);
  EXPECT_TRUE(livestreams_->create(project_, {"back", node.id, std::nullopt}).ok()) << "heard again: ONLINE";
  ASSERT_TRUE(store_->markNodeOffline(node.id, clock_.now(), clock_.now() + 1).ok());
  clock_.advance(1);
  EXPECT_EQ(livestreams_->create(project_, {"declared", node.id, std::nullopt}).status().code(), Code::kConflict);
}

TEST_F(LivestreamServiceTest, AServerAssignedToOtherProjectsDoesNotExistForThisOne) {
  const MediaServer theirs = addExternalServer("theirs", {}, {otherProject_.id});
  auto refused = livestreams_->create(project_, {"x", theirs.id, std::nullopt});
  EXPECT_EQ(refused.status().code(), Code::kNotFound);
  EXPECT_EQ(refused.status().message(), "Media server not found") << "the same answer as for an unknown server";
  EXPECT_TRUE(livestreams_->create(otherProject_, {"x", theirs.id, std::nullopt}).ok());

  const MediaServer shared = addExternalServer("shared", {}, {otherProject_.id, project_.id});
  EXPECT_TRUE(livestreams_->create(project_, {"x", shared.id, std::nullopt}).ok());
  EXPECT_TRUE(livestreams_->create(otherProject_, {"x", shared.id, std::nullopt}).ok());
}

TEST_F(LivestreamServiceTest, DeletingALiveStreamOnANodeWithoutApiSaysItsPublisherWasNotCut) {
  testing::ScriptedNodeApi api;
  livestreams_->setNodeApi(&api);
  const MediaServer node = addExternalServer("hooks-only");
  const Livestream live = liveOn(node);
  auto removed = livestreams_->remove(project_, live.id);
  ASSERT_TRUE(removed.ok()) << removed.status().message();
  ASSERT_TRUE(removed->publisher.has_value());
  EXPECT_FALSE(removed->publisher->cut);
  EXPECT_NE(removed->publisher->problem.find("hooks-only has no API configured"), std::string::npos)
      << removed->publisher->problem;
  EXPECT_TRUE(api.cuts().empty());
  EXPECT_EQ(livestreams_->get(project_, live.id).status().code(), Code::kNotFound) << "deleted all the same";

  livestreams_->setNodeApi(nullptr);
  const Livestream another = liveOn(addExternalServer("polled", "http://10.0.0.5:80"));
  auto unset = livestreams_->remove(project_, another.id);
  ASSERT_TRUE(unset.ok() && unset->publisher.has_value());
  EXPECT_FALSE(unset->publisher->cut);
  EXPECT_NE(unset->publisher->problem.find("no API configured"), std::string::npos);
}

TEST_F(LivestreamServiceTest, DeletingALiveStreamCutsItsPublisherThroughTheNodeApi) {
  testing::ScriptedNodeApi api;
  livestreams_->setNodeApi(&api);
  const MediaServer node = addExternalServer("polled", "http://10.0.0.5:80");
  const Livestream live = liveOn(node);
  auto removed = livestreams_->remove(project_, live.id);
  ASSERT_TRUE(removed.ok()) << removed.status().message();
  ASSERT_TRUE(removed->publisher.has_value());
  EXPECT_TRUE(removed->publisher->cut);
  EXPECT_EQ(removed->publisher->problem, "");
  EXPECT_EQ(api.cuts(), (std::vector<testing::ScriptedNodeApi::Cut>{{node.id, "live", live.streamKey}}));
  EXPECT_EQ(removed->livestream.id, live.id);

  api.cutsAnswer(Status(Code::kUnavailable, "node did not answer within 2000 ms"));
  const Livestream next = liveOn(node);
  auto failed = livestreams_->remove(project_, next.id);
  ASSERT_TRUE(failed.ok()) << "the livestream is deleted even when its publisher could not be cut";
  ASSERT_TRUE(failed->publisher.has_value());
  EXPECT_FALSE(failed->publisher->cut);
  EXPECT_NE(failed->publisher->problem.find("node did not answer within 2000 ms"), std::string::npos)
      << failed->publisher->problem;
}

TEST_F(LivestreamServiceTest, DeletingAStreamThatIsNotLiveCutsNothingOnTheNode) {
  testing::ScriptedNodeApi api;
  livestreams_->setNodeApi(&api);
  const MediaServer node = addExternalServer("polled", "http://10.0.0.5:80");
  auto ready = livestreams_->create(project_, {"ready", node.id, std::nullopt});
  ASSERT_TRUE(ready.ok());
  auto removedReady = livestreams_->remove(project_, ready->livestream.id);
  ASSERT_TRUE(removedReady.ok());
  EXPECT_FALSE(removedReady->publisher.has_value());

  const Livestream ended = liveOn(node);
  ASSERT_TRUE(store_->endLivestream(ended.id, clock_.now()).isOk());
  auto removedEnded = livestreams_->remove(project_, ended.id);
  ASSERT_TRUE(removedEnded.ok());
  EXPECT_FALSE(removedEnded->publisher.has_value());
  EXPECT_TRUE(api.cuts().empty());

  // The embedded plane cuts by itself (its StreamCutter): nothing is left to report.
  const Livestream embedded = liveOn(server_);
  auto removedEmbedded = livestreams_->remove(project_, embedded.id);
  ASSERT_TRUE(removedEmbedded.ok() && removedEmbedded->publisher.has_value());
  EXPECT_TRUE(removedEmbedded->publisher->cut);
  EXPECT_TRUE(api.cuts().empty());
}

TEST_F(LivestreamServiceTest, ApiKeysAreStoredHashedAndRegenerationRetiresTheOldOne) {
  auto created = projects_->create("keys", "team", cliActor_);
  ASSERT_TRUE(created.ok());
  EXPECT_NE(created->project.apiKeyHash, created->apiKey);
  EXPECT_EQ(created->project.apiKeyHash.find(created->apiKey), std::string::npos);
  EXPECT_TRUE(projects_->authenticate(created->apiKey).ok());
  auto fresh = projects_->regenerateApiKey(created->project.id, cliActor_);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(projects_->authenticate(created->apiKey).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(projects_->authenticate(*fresh)->id, created->project.id);
  EXPECT_EQ(projects_->authenticate("").status().message(), "Invalid API Key");
}

}  // namespace
}  // namespace ls::control
