// Livestream rows and their lifecycle in every Store engine (SQLite and PostgreSQL).
#include <gtest/gtest.h>

#include "store_engines.hpp"

namespace ls::testing {
namespace {

class LivestreamsTest : public StoreContractTest {
 protected:
  Livestream get(const std::string& id) {
    Result<std::optional<Livestream>> found = store_->findLivestream(id);
    EXPECT_TRUE(found.ok()) << found.status().message();
    if (!found.ok() || !found->has_value()) {
      ADD_FAILURE() << "livestream " << id << " not found";
      return {};
    }
    return **found;
  }
};

TEST_P(LivestreamsTest, RoundTripByIdAndStreamKey) {
  Livestream l = sampleLivestream("ls-1", 12345);
  l.name = "Late night \"show\" ✨";
  l.phase = LivestreamStatus::kEnded;
  l.startedAt = 100;
  l.endedAt = 200;
  ASSERT_TRUE(store_->insertLivestream(l).ok());

  const Livestream f = get("ls-1");
  EXPECT_EQ(f.projectId, "project-1");
  EXPECT_EQ(f.mediaServerId, "ms-1");
  EXPECT_EQ(f.name, "Late night \"show\" ✨");
  EXPECT_EQ(f.streamKey, "key-ls-1");
  EXPECT_EQ(f.phase, LivestreamStatus::kEnded);
  EXPECT_EQ(f.currentTokenId, "jti-ls-1");
  EXPECT_EQ(f.tokenExpiresAt, 1'000'000);
  EXPECT_EQ(f.createdAt, 12345);
  EXPECT_EQ(f.startedAt, std::optional<UnixMillis>(100));
  EXPECT_EQ(f.endedAt, std::optional<UnixMillis>(200));

  Result<std::optional<Livestream>> byKey = store_->findLivestreamByStreamKey("key-ls-1");
  ASSERT_TRUE(byKey.ok());
  ASSERT_TRUE(byKey->has_value());
  EXPECT_EQ((*byKey)->id, "ls-1");

  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-2")).ok());
  const Livestream fresh = get("ls-2");
  EXPECT_FALSE(fresh.startedAt.has_value());
  EXPECT_FALSE(fresh.endedAt.has_value());

  Result<std::optional<Livestream>> none = store_->findLivestreamByStreamKey("key-404");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(LivestreamsTest, InsertRefusesBadReferencesDuplicatesAndDerivedPhase) {
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());

  Livestream sameKey = sampleLivestream("ls-2");
  sameKey.streamKey = "key-ls-1";
  Result<Livestream> dupKey = store_->insertLivestream(sameKey);
  ASSERT_FALSE(dupKey.ok());
  EXPECT_EQ(dupKey.status().code(), Code::kConflict);

  Result<Livestream> dupId = store_->insertLivestream(sampleLivestream("ls-1"));
  ASSERT_FALSE(dupId.ok());
  EXPECT_EQ(dupId.status().code(), Code::kConflict);

  Result<Livestream> noProject = store_->insertLivestream(sampleLivestream("ls-3", 1, "project-404"));
  ASSERT_FALSE(noProject.ok());
  EXPECT_EQ(noProject.status().code(), Code::kNotFound);
  Result<Livestream> noServer = store_->insertLivestream(sampleLivestream("ls-4", 1, "project-1", "ms-404"));
  ASSERT_FALSE(noServer.ok());
  EXPECT_EQ(noServer.status().code(), Code::kNotFound);

  Livestream expired = sampleLivestream("ls-5");
  expired.phase = LivestreamStatus::kTokenExpired;
  Result<Livestream> derived = store_->insertLivestream(expired);
  ASSERT_FALSE(derived.ok());
  EXPECT_EQ(derived.status().code(), Code::kInvalidArgument);

  EXPECT_EQ(queryInt("SELECT count(*) FROM livestreams"), 1);
}

TEST_P(LivestreamsTest, Rename) {
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  ASSERT_TRUE(store_->renameLivestream("ls-1", "new name").isOk());
  EXPECT_EQ(get("ls-1").name, "new name");
  EXPECT_EQ(store_->renameLivestream("ls-404", "x").code(), Code::kNotFound);
}

TEST_P(LivestreamsTest, ReplaceTokenMakesReadyUnlessLive) {
  Livestream ended = sampleLivestream("ended");
  ended.phase = LivestreamStatus::kEnded;
  ended.endedAt = 50;
  Livestream live = sampleLivestream("live");
  live.phase = LivestreamStatus::kStarted;
  ASSERT_TRUE(store_->insertLivestream(ended).ok());
  ASSERT_TRUE(store_->insertLivestream(live).ok());
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ready")).ok());

  for (const char* id : {"ended", "live", "ready"}) {
    ASSERT_TRUE(store_->replaceLivestreamToken(id, std::string("new-") + id, 2'000'000).isOk()) << id;
    const Livestream l = get(id);
    EXPECT_EQ(l.currentTokenId, std::string("new-") + id);
    EXPECT_EQ(l.tokenExpiresAt, 2'000'000);
  }
  EXPECT_EQ(get("ended").phase, LivestreamStatus::kReadyForUse);
  EXPECT_EQ(get("ended").endedAt, std::optional<UnixMillis>(50));  // history stays
  EXPECT_EQ(get("live").phase, LivestreamStatus::kStarted);
  EXPECT_EQ(get("ready").phase, LivestreamStatus::kReadyForUse);
  EXPECT_EQ(store_->replaceLivestreamToken("ls-404", "t", 1).code(), Code::kNotFound);
}

TEST_P(LivestreamsTest, StartChecksExistenceTokenAndPhase) {
  Livestream l = sampleLivestream("ls-1");
  l.phase = LivestreamStatus::kEnded;
  l.endedAt = 10;
  ASSERT_TRUE(store_->insertLivestream(l).ok());

  EXPECT_EQ(store_->startLivestream("ls-404", "jti-ls-1", 100, {}).code(), Code::kNotFound);
  EXPECT_EQ(store_->startLivestream("ls-1", "retired", 100, {}).code(), Code::kPermissionDenied);
  EXPECT_EQ(get("ls-1").phase, LivestreamStatus::kEnded);

  ASSERT_TRUE(store_->startLivestream("ls-1", "jti-ls-1", 100, {}).isOk());
  Livestream started = get("ls-1");
  EXPECT_EQ(started.phase, LivestreamStatus::kStarted);
  EXPECT_EQ(started.startedAt, std::optional<UnixMillis>(100));
  EXPECT_FALSE(started.endedAt.has_value());

  EXPECT_EQ(store_->startLivestream("ls-1", "jti-ls-1", 200, {}).code(), Code::kConflict);
  EXPECT_EQ(get("ls-1").startedAt, std::optional<UnixMillis>(100));

  // A refreshed token retires the old one even while live.
  ASSERT_TRUE(store_->replaceLivestreamToken("ls-1", "jti-2", 2'000'000).isOk());
  EXPECT_EQ(store_->startLivestream("ls-1", "jti-ls-1", 300, {}).code(), Code::kPermissionDenied);
  EXPECT_EQ(store_->startLivestream("ls-1", "jti-2", 300, {}).code(), Code::kConflict);
}

TEST_P(LivestreamsTest, AMoveChangesServerAndTokenTogetherAndNeverMovesALiveStream) {
  ASSERT_TRUE(store_->insertMediaServer(sampleMediaServer("ms-2")).ok());
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  ASSERT_TRUE(store_->startLivestream("ls-1", "jti-ls-1", 100, {}).isOk());
  ASSERT_TRUE(store_->endLivestream("ls-1", 200).isOk());
  ASSERT_TRUE(store_->moveLivestreamWithToken("ls-1", "ms-2", "jti-2", 2'000'000).isOk());
  Livestream moved = get("ls-1");
  EXPECT_EQ(moved.mediaServerId, "ms-2");
  EXPECT_EQ(moved.currentTokenId, "jti-2");
  EXPECT_EQ(moved.tokenExpiresAt, 2'000'000);
  EXPECT_EQ(moved.phase, LivestreamStatus::kReadyForUse);
  EXPECT_EQ(store_->startLivestream("ls-1", "jti-ls-1", 300, {}).code(), Code::kPermissionDenied);

  ASSERT_TRUE(store_->startLivestream("ls-1", "jti-2", 300, {}).isOk());
  EXPECT_EQ(store_->moveLivestreamWithToken("ls-1", "ms-1", "jti-3", 3'000'000).code(), Code::kConflict);
  const Livestream live = get("ls-1");
  EXPECT_EQ(live.mediaServerId, "ms-2");
  EXPECT_EQ(live.currentTokenId, "jti-2");
  EXPECT_EQ(live.phase, LivestreamStatus::kStarted);
  EXPECT_EQ(store_->moveLivestreamWithToken("ls-404", "ms-1", "t", 1).code(), Code::kNotFound);
}

TEST_P(LivestreamsTest, EndOnlyEndsStartedStreams) {
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  ASSERT_TRUE(store_->endLivestream("ls-1", 50).isOk());  // not live: left as is
  EXPECT_EQ(get("ls-1").phase, LivestreamStatus::kReadyForUse);
  EXPECT_FALSE(get("ls-1").endedAt.has_value());

  ASSERT_TRUE(store_->startLivestream("ls-1", "jti-ls-1", 100, {}).isOk());
  ASSERT_TRUE(store_->endLivestream("ls-1", 500).isOk());
  const Livestream ended = get("ls-1");
  EXPECT_EQ(ended.phase, LivestreamStatus::kEnded);
  EXPECT_EQ(ended.startedAt, std::optional<UnixMillis>(100));
  EXPECT_EQ(ended.endedAt, std::optional<UnixMillis>(500));

  ASSERT_TRUE(store_->endLivestream("ls-1", 900).isOk());  // repeated: unchanged
  EXPECT_EQ(get("ls-1").endedAt, std::optional<UnixMillis>(500));
  EXPECT_EQ(store_->endLivestream("ls-404", 1).code(), Code::kNotFound);
}

TEST_P(LivestreamsTest, EndAllStartedOnlyTouchesThatMediaServer) {
  ASSERT_TRUE(store_->insertMediaServer(sampleMediaServer("ms-2")).ok());
  for (const char* id : {"a", "b", "c"}) ASSERT_TRUE(store_->insertLivestream(sampleLivestream(id)).ok());
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("other", 1, "project-1", "ms-2")).ok());
  ASSERT_TRUE(store_->startLivestream("a", "jti-a", 10, {}).isOk());
  ASSERT_TRUE(store_->startLivestream("b", "jti-b", 10, {}).isOk());
  ASSERT_TRUE(store_->startLivestream("other", "jti-other", 10, {}).isOk());

  Result<std::int64_t> ended = store_->endAllStartedLivestreams("ms-1", 99);
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(*ended, 2);
  EXPECT_EQ(get("a").phase, LivestreamStatus::kEnded);
  EXPECT_EQ(get("a").endedAt, std::optional<UnixMillis>(99));
  EXPECT_EQ(get("b").phase, LivestreamStatus::kEnded);
  EXPECT_EQ(get("c").phase, LivestreamStatus::kReadyForUse);
  EXPECT_EQ(get("other").phase, LivestreamStatus::kStarted);

  Result<std::int64_t> again = store_->endAllStartedLivestreams("ms-1", 100);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

TEST_P(LivestreamsTest, DeletedLivestreamIsGone) {
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  ASSERT_TRUE(store_->deleteLivestream("ls-1").isOk());
  Result<std::optional<Livestream>> byId = store_->findLivestream("ls-1");
  ASSERT_TRUE(byId.ok());
  EXPECT_FALSE(byId->has_value());
  Result<std::optional<Livestream>> byKey = store_->findLivestreamByStreamKey("key-ls-1");
  ASSERT_TRUE(byKey.ok());
  EXPECT_FALSE(byKey->has_value());
  EXPECT_EQ(store_->deleteLivestream("ls-1").code(), Code::kNotFound);
  EXPECT_EQ(store_->startLivestream("ls-1", "jti-ls-1", 1, {}).code(), Code::kNotFound);
  // The key is free again.
  EXPECT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
}

LS_STORE_SUITE(LivestreamsTest);

}  // namespace
}  // namespace ls::testing
