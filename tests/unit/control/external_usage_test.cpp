// Ingest seconds of external nodes' streams, metered from their lifecycle
// (control/external_usage.hpp): every path that ends such a stream adds its
// wall-clock span once, split at hour boundaries; our own media plane's
// streams are left to the media-time meter. A real SQLite store and a
// hand-moved clock.
#include "control/external_usage.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "control/control_ingest_service.hpp"
#include "control/node_service.hpp"
#include "support/control_fixture.hpp"

namespace ls::control {
namespace {

using usage::kHourMs;

class ExternalUsageTest : public testing::ControlFixture {
 protected:
  void SetUp() override {
    ControlFixture::SetUp();
    NodeLeaseOptions options;
    options.leaseMs = 30'000;
    options.pollIntervalMs = 5'000;
    options.registrationGraceMs = 0;
    nodes_ = std::make_unique<NodeService>(*store_, clock_, nullptr, options);
    ingest_ = std::make_unique<ControlIngestService>(*store_, testing::sharedKeyRing(), clock_, IngestOptions{});
    node_ = addExternalServer("zlm");
  }

  MediaServer reread(const MediaServer& server) { return *store_->findMediaServer(server.id).value(); }

  Livestream startOn(const MediaServer& server, const std::string& name) {
    auto made = livestreams_->create(project_, {name, server.id, std::nullopt});
    EXPECT_TRUE(made.ok()) << made.status().message();
    const Livestream& l = made->livestream;
    EXPECT_TRUE(store_->startLivestream(l.id, l.currentTokenId, clock_.now(), {}).isOk());
    return *store_->findLivestream(l.id).value();
  }

  // Ingest ms per livestream over every bucket near the clock.
  std::map<std::string, std::int64_t> ingestMs() {
    auto rows = store_->listUsage(project_.id, clock_.now() - 48 * kHourMs, clock_.now() + kHourMs);
    EXPECT_TRUE(rows.ok());
    std::map<std::string, std::int64_t> out;
    for (const usage::UsageRow& r : *rows) {
      if (r.metric == usage::metricName(usage::Metric::kIngestMs)) out[r.livestreamId] += r.value;
    }
    return out;
  }

  void endByHook(const MediaServer& server, const Livestream& l) {
    ASSERT_TRUE(ingest_->onPublishEnded({server.id, {}, l.streamKey, "rtmp", std::nullopt}).isOk());
  }

  std::unique_ptr<NodeService> nodes_;
  std::unique_ptr<ControlIngestService> ingest_;
  MediaServer node_;
};

TEST_F(ExternalUsageTest, APublishIsSplitAtHourBoundariesWithIdsFromItsStart) {
  Livestream l;
  l.id = "ls-1";
  l.projectId = "p-1";
  l.phase = LivestreamStatus::kEnded;
  l.startedAt = 10 * kHourMs - 1'500;
  l.endedAt = 11 * kHourMs + 2'000;
  const auto batches = lifecycleIngestBatches(l);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].rows.at(0).bucketStart, 9 * kHourMs);
  EXPECT_EQ(batches[0].rows.at(0).value, 1'500);
  EXPECT_EQ(batches[1].rows.at(0).value, kHourMs);
  EXPECT_EQ(batches[2].rows.at(0).bucketStart, 11 * kHourMs);
  EXPECT_EQ(batches[2].rows.at(0).value, 2'000);
  EXPECT_EQ(batches[0].rows.at(0).metric, "ingest_ms");
  EXPECT_EQ(batches[0].rows.at(0).projectId, "p-1");
  EXPECT_EQ(batches[0].id.size(), 43u);
  EXPECT_NE(batches[0].id, batches[1].id);
  EXPECT_EQ(lifecycleIngestBatches(l)[1].id, batches[1].id) << "the same end, the same ids";
  Livestream later = l;
  later.endedAt = *l.endedAt + kHourMs;  // the same publish ended later (resumed): its first hours keep their ids
  EXPECT_EQ(lifecycleIngestBatches(later)[0].id, batches[0].id);
  Livestream next = l;
  next.startedAt = *l.startedAt + 1;  // another publish: other ids
  EXPECT_NE(lifecycleIngestBatches(next)[0].id, batches[0].id);
  l.phase = LivestreamStatus::kStarted;
  EXPECT_TRUE(lifecycleIngestBatches(l).empty());
}

TEST_F(ExternalUsageTest, TheUnpublishHookMetersOnceAndARetryAddsNothing) {
  const Livestream l = startOn(node_, "hook");
  clock_.advance(7'250);
  endByHook(node_, l);
  clock_.advance(5'000);
  endByHook(node_, l);  // ZLMediaKit retries a hook it got no answer to
  EXPECT_EQ(ingestMs()[l.id], 7'250);
}

TEST_F(ExternalUsageTest, OurOwnMediaPlaneIsNotMeteredFromItsLifecycle) {
  const Livestream l = startOn(server_, "embedded");
  clock_.advance(4'000);
  endByHook(server_, l);
  EXPECT_TRUE(ingestMs().empty());
}

TEST_F(ExternalUsageTest, ANodeThatReportsNoStreamsExitsOrRestartsEndsAndMetersItsStreams) {
  const Livestream a = startOn(node_, "a");
  clock_.advance(3'000);
  ASSERT_TRUE(nodes_->reportsNoStreams(reread(node_)).isOk());
  const Livestream b = startOn(node_, "b");
  const Livestream c = startOn(node_, "c");
  clock_.advance(2'000);
  ASSERT_TRUE(nodes_->exited(reread(node_)).isOk());
  ASSERT_TRUE(nodes_->exited(reread(node_)).isOk());  // said twice: OFFLINE already, nothing more
  NodeContact back;
  back.heartbeat = true;
  ASSERT_TRUE(nodes_->heard(reread(node_), back).isOk());
  const Livestream d = startOn(node_, "d");
  clock_.advance(1'500);
  NodeContact started;
  started.heartbeat = true;
  started.started = true;
  ASSERT_TRUE(nodes_->heard(reread(node_), started).isOk());
  auto ms = ingestMs();
  EXPECT_EQ(ms[a.id], 3'000);
  EXPECT_EQ(ms[b.id], 2'000);
  EXPECT_EQ(ms[c.id], 2'000);
  EXPECT_EQ(ms[d.id], 1'500);
}

TEST_F(ExternalUsageTest, ALapsedLeaseEndsAndMetersUpToTheSweep) {
  NodeContact beat;
  beat.heartbeat = true;
  ASSERT_TRUE(nodes_->heard(node_, beat).isOk());
  const Livestream l = startOn(node_, "lease");
  clock_.advance(31'000);
  ASSERT_TRUE(nodes_->sweepLeases().isOk());
  ASSERT_TRUE(nodes_->sweepLeases().isOk());
  EXPECT_EQ(store_->findLivestream(l.id).value()->phase, LivestreamStatus::kEnded);
  EXPECT_EQ(ingestMs()[l.id], 31'000);
}

TEST_F(ExternalUsageTest, DeletingALiveStreamMetersItUpToTheDelete) {
  const Livestream l = startOn(node_, "deleted");
  clock_.advance(2'500);
  ASSERT_TRUE(livestreams_->remove(project_, l.id).ok());
  EXPECT_EQ(ingestMs()[l.id], 2'500);
}

TEST_F(ExternalUsageTest, APublishAcrossAnHourIsSplitInTheStore) {
  clock_.set(usage::hourStart(clock_.now()) + kHourMs - 1'000);
  const Livestream l = startOn(node_, "hour");
  clock_.advance(3'000);
  endByHook(node_, l);
  auto rows = store_->listUsage(project_.id, clock_.now() - 2 * kHourMs, clock_.now() + kHourMs);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].value, 1'000);
  EXPECT_EQ((*rows)[1].value, 2'000);
  EXPECT_EQ((*rows)[1].bucketStart - (*rows)[0].bucketStart, kHourMs);
}

}  // namespace
}  // namespace ls::control
