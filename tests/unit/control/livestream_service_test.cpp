#include "control/livestream_service.hpp"

#include <gtest/gtest.h>

#include "support/control_fixture.hpp"

namespace ls::control {
namespace {

using S = LivestreamStatus;

class LivestreamServiceTest : public testing::ControlFixture {};

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
  auto renewed = livestreams_->issueToken(project_, {made.livestream.id, {}}, 600);
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(renewed->status, S::kReadyForUse);
  ASSERT_TRUE(renewed->pushToken.has_value());
  EXPECT_NE(*renewed->pushToken, *made.pushToken);

  // ENDED -> READY_FOR_USE as well; a live stream stays STARTED.
  ASSERT_TRUE(store_->startLivestream(made.livestream.id, renewed->livestream.currentTokenId, clock_.now(), {}).isOk());
  auto live = livestreams_->issueToken(project_, {{}, made.livestream.streamKey}, std::nullopt);
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(live->status, S::kStarted);
  ASSERT_TRUE(store_->endLivestream(made.livestream.id, clock_.now()).isOk());
  EXPECT_EQ(livestreams_->get(project_, made.livestream.id)->status, S::kEnded);
  auto again = livestreams_->issueToken(project_, {made.livestream.id, {}}, std::nullopt);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, S::kReadyForUse);
}

TEST_F(LivestreamServiceTest, AnotherProjectSeesNothing) {
  const LivestreamRecord made = createStream();
  EXPECT_EQ(livestreams_->get(otherProject_, made.livestream.id).status().code(), Code::kNotFound);
  EXPECT_EQ(livestreams_->rename(otherProject_, made.livestream.id, "x").status().code(), Code::kNotFound);
  EXPECT_EQ(livestreams_->remove(otherProject_, made.livestream.id).status().code(), Code::kNotFound);
  EXPECT_EQ(livestreams_->issueToken(otherProject_, {{}, made.livestream.streamKey}, std::nullopt).status().code(),
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

TEST_F(LivestreamServiceTest, ApiKeysAreStoredHashedAndRegenerationRetiresTheOldOne) {
  auto created = projects_->create("keys", "team");
  ASSERT_TRUE(created.ok());
  EXPECT_NE(created->project.apiKeyHash, created->apiKey);
  EXPECT_EQ(created->project.apiKeyHash.find(created->apiKey), std::string::npos);
  EXPECT_TRUE(projects_->authenticate(created->apiKey).ok());
  auto fresh = projects_->regenerateApiKey(created->project.id);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(projects_->authenticate(created->apiKey).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(projects_->authenticate(*fresh)->id, created->project.id);
  EXPECT_EQ(projects_->authenticate("").status().message(), "Invalid API Key");
}

}  // namespace
}  // namespace ls::control
