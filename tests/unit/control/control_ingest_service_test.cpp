#include "control/control_ingest_service.hpp"

#include <gtest/gtest.h>

#include "support/control_fixture.hpp"

namespace ls::control {

using ingest::PublishRequest;
namespace {

using S = LivestreamStatus;

class IngestServiceTest : public testing::ControlFixture {
 protected:
  void SetUp() override {
    ControlFixture::SetUp();
    ingest_ = std::make_unique<ControlIngestService>(*store_, testing::sharedKeyRing(), clock_, IngestOptions{});
  }

  PublishRequest request(const control::LivestreamRecord& r, std::string token = {}) {
    return {server_.id, "live", r.livestream.streamKey, token.empty() ? *r.pushToken : token, "127.0.0.1", "rtmp", std::nullopt};
  }

  S statusOf(const control::LivestreamRecord& r) { return livestreams_->get(project_, r.livestream.id)->status; }

  std::unique_ptr<ControlIngestService> ingest_;
};

TEST_F(IngestServiceTest, AcceptedPublishStartsTheStream) {
  const auto made = createStream();
  auto grant = ingest_->authorizePublish(request(made));
  ASSERT_TRUE(grant.ok()) << grant.status().message();
  EXPECT_EQ(grant->livestreamId, made.livestream.id);
  EXPECT_EQ(grant->startedAt, clock_.now());
  EXPECT_EQ(statusOf(made), S::kStarted);
  auto read = livestreams_->get(project_, made.livestream.id);
  EXPECT_EQ(read->livestream.startedAt, clock_.now());
  EXPECT_FALSE(read->livestream.endedAt.has_value());
}

TEST_F(IngestServiceTest, SecondPublisherIsRefusedWhileTheFirstIsLive) {
  const auto made = createStream();
  ASSERT_TRUE(ingest_->authorizePublish(request(made)).ok());
  auto second = ingest_->authorizePublish(request(made));
  EXPECT_EQ(second.status().code(), Code::kConflict);
  EXPECT_NE(second.status().message().find("already"), std::string::npos);
}

TEST_F(IngestServiceTest, EndThenReconnectWithAStillValidToken) {
  const auto made = createStream();
  ASSERT_TRUE(ingest_->authorizePublish(request(made)).ok());
  clock_.advance(5000);
  ASSERT_TRUE(ingest_->onPublishEnded({server_.id, made.livestream.id, made.livestream.streamKey, {}, std::nullopt}).isOk());
  EXPECT_EQ(statusOf(made), S::kEnded);
  EXPECT_EQ(livestreams_->get(project_, made.livestream.id)->livestream.endedAt, clock_.now());
  clock_.advance(1000);
  ASSERT_TRUE(ingest_->authorizePublish(request(made)).ok());
  EXPECT_EQ(statusOf(made), S::kStarted);
  EXPECT_FALSE(livestreams_->get(project_, made.livestream.id)->livestream.endedAt.has_value());
}

TEST_F(IngestServiceTest, RetiredTokenIsRefused) {
  const auto made = createStream();
  auto renewed = livestreams_->issueToken(project_, {made.livestream.id, {}, {}}, std::nullopt);
  ASSERT_TRUE(renewed.ok());
  auto old = ingest_->authorizePublish(request(made));
  EXPECT_EQ(old.status().code(), Code::kUnauthenticated);
  EXPECT_EQ(statusOf(made), S::kReadyForUse);
  EXPECT_TRUE(ingest_->authorizePublish(request(made, *renewed->pushToken)).ok());
}

TEST_F(IngestServiceTest, ExpiryHonoursTheLeeway) {
  const auto made = createStream("short", 60);
  clock_.advance((60 + 59) * 1000);
  EXPECT_TRUE(ingest_->authorizePublish(request(made)).ok()) << "within the 60 s leeway";
  const auto late = createStream("late", 60);
  clock_.advance((60 + 61) * 1000);
  auto refused = ingest_->authorizePublish(request(late));
  EXPECT_EQ(refused.status().code(), Code::kUnauthenticated);
  EXPECT_NE(refused.status().message().find("expired"), std::string::npos) << refused.status().message();
}

TEST_F(IngestServiceTest, TokenOfAnotherStreamIsRefused) {
  const auto a = createStream("a");
  const auto b = createStream("b");
  auto r = ingest_->authorizePublish(request(a, *b.pushToken));
  EXPECT_EQ(r.status().code(), Code::kUnauthenticated);
  EXPECT_EQ(statusOf(a), S::kReadyForUse);
  EXPECT_EQ(statusOf(b), S::kReadyForUse);
}

TEST_F(IngestServiceTest, TokenForAnotherMediaServerIsRefused) {
  const auto made = createStream();
  PublishRequest req = request(made);
  req.mediaServerId = "00000000-0000-4000-8000-000000000000";
  EXPECT_EQ(ingest_->authorizePublish(req).status().code(), Code::kUnauthenticated);
}

TEST_F(IngestServiceTest, MissingTokenUnknownKeyWrongAppAndDeletedStream) {
  const auto made = createStream();
  PublishRequest noToken = request(made);
  noToken.pushToken.clear();
  auto r = ingest_->authorizePublish(noToken);
  EXPECT_EQ(r.status().code(), Code::kUnauthenticated);
  EXPECT_NE(r.status().message().find("missing"), std::string::npos);

  PublishRequest wrongApp = request(made);
  wrongApp.app = "vod";
  EXPECT_EQ(ingest_->authorizePublish(wrongApp).status().code(), Code::kNotFound);

  PublishRequest unknown = request(made);
  unknown.streamKey = "0123456789abcdef0123456789abcdef";
  EXPECT_EQ(ingest_->authorizePublish(unknown).status().code(), Code::kNotFound);

  ASSERT_TRUE(livestreams_->remove(project_, made.livestream.id).ok());
  EXPECT_EQ(ingest_->authorizePublish(request(made)).status().code(), Code::kNotFound);
  EXPECT_TRUE(ingest_->onPublishEnded({server_.id, made.livestream.id, made.livestream.streamKey, {}, std::nullopt}).isOk())
      << "ending a deleted stream is harmless";
}

TEST_F(IngestServiceTest, AnEndReportedByStreamKeyEndsOnlyAStreamOfThatNode) {
  const auto made = createStream();
  ASSERT_TRUE(ingest_->authorizePublish(request(made)).ok());
  EXPECT_TRUE(ingest_->onPublishEnded({"another-node", {}, made.livestream.streamKey, {}, std::nullopt}).isOk());
  EXPECT_EQ(statusOf(made), S::kStarted) << "another node cannot end it";
  EXPECT_TRUE(ingest_->onPublishEnded({server_.id, {}, "ffffffffffffffffffffffffffffffff", {}, std::nullopt}).isOk()) << "unknown key";
  EXPECT_TRUE(ingest_->onPublishEnded({server_.id, {}, made.livestream.streamKey, {}, std::nullopt}).isOk());
  EXPECT_EQ(statusOf(made), S::kEnded);
}

// A node reports each protocol's registration of a stream going away
// (ZLMediaKit's on_stream_changed for rtmp, rtsp, hls, ts, fmp4...).
TEST_F(IngestServiceTest, OnlyTheEndOfThePublishingProtocolEndsTheStream) {
  const auto made = createStream();
  ASSERT_TRUE(ingest_->authorizePublish(request(made)).ok());  // recorded as rtmp
  const std::string& key = made.livestream.streamKey;
  for (const char* muxer : {"hls", "ts", "fmp4", "rtsp"}) {
    EXPECT_TRUE(ingest_->onPublishEnded({server_.id, {}, key, muxer, std::nullopt}).isOk());
    EXPECT_EQ(statusOf(made), S::kStarted) << muxer << " going away is not the publisher leaving";
  }
  EXPECT_TRUE(ingest_->onPublishEnded({server_.id, {}, key, "rtmp", std::nullopt}).isOk());
  EXPECT_EQ(statusOf(made), S::kEnded);
}

TEST_F(IngestServiceTest, AnEndReportOlderThanThePublishIsStale) {
  const auto made = createStream();
  PublishRequest req = request(made);
  req.sequence = 500;
  ASSERT_TRUE(ingest_->authorizePublish(req).ok());
  const std::string& key = made.livestream.streamKey;
  EXPECT_TRUE(ingest_->onPublishEnded({server_.id, {}, key, "rtmp", 499}).isOk());
  EXPECT_EQ(statusOf(made), S::kStarted) << "the end of the previous publish, delivered late";
  EXPECT_TRUE(ingest_->onPublishEnded({server_.id, {}, key, "rtmp", 501}).isOk());
  EXPECT_EQ(statusOf(made), S::kEnded);
}

TEST_F(IngestServiceTest, AReportWithoutProtocolOrSequenceIsAboutThePublish) {
  const auto made = createStream();
  PublishRequest req = request(made);
  req.protocol.clear();  // the node did not say
  req.sequence = 40;
  ASSERT_TRUE(ingest_->authorizePublish(req).ok());
  EXPECT_EQ(store_->findLivestream(made.livestream.id).value()->publishProtocol, "");
  EXPECT_TRUE(ingest_->onPublishEnded({server_.id, {}, made.livestream.streamKey, "hls", std::nullopt}).isOk());
  EXPECT_EQ(statusOf(made), S::kEnded) << "any protocol ends a publish whose protocol is not known";

  const auto other = createStream("other");
  ASSERT_TRUE(ingest_->authorizePublish(request(other)).ok());
  EXPECT_TRUE(ingest_->onPublishEnded({server_.id, {}, other.livestream.streamKey, {}, 1}).isOk());
  EXPECT_EQ(statusOf(other), S::kEnded) << "a report that names no protocol; the publish carried no sequence";
}

TEST_F(IngestServiceTest, ThePublishOriginIsRecorded) {
  const auto made = createStream();
  PublishRequest req = request(made);
  req.protocol = "srt";
  req.sequence = 77;
  ASSERT_TRUE(ingest_->authorizePublish(req).ok());
  const Livestream read = *store_->findLivestream(made.livestream.id).value();
  EXPECT_EQ(read.publishProtocol, "srt");
  EXPECT_EQ(read.publishSequence, 77);
}

}  // namespace
}  // namespace ls::control
