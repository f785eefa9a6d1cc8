// The webhook outbox, emission side: each Store mutation writes exactly the
// events its change causes, in its own transaction (nothing for a no-op, a
// refusal or a rollback), with per-subject sequences, and fans them out to
// the endpoints that subscribe. Runs on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "store_webhooks_support.hpp"

namespace ls::testing {
namespace {

using Strings = std::vector<std::string>;
using EmitTest = WebhookStoreTest;

TEST_P(EmitTest, InsertWritesCreatedWithItsExactBodyAndOneDeliveryPerEndpoint) {
  addEndpoint(sampleEndpoint("hook-a"));
  addEndpoint(sampleEndpoint("hook-b"));
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());

  const std::vector<WebhookEvent> all = events();
  ASSERT_EQ(all.size(), 1u);
  const WebhookEvent& e = all[0];
  EXPECT_EQ(e.type, "livestream.created");
  EXPECT_EQ(e.subjectId, "ls-1");
  EXPECT_EQ(e.projectId, "project-1");
  EXPECT_EQ(e.sequence, 1);
  EXPECT_EQ(e.occurredAt, 5000);
  EXPECT_EQ(e.id.size(), 36u);
  EXPECT_EQ(e.id.rfind("evt_", 0), 0u);
  EXPECT_EQ(e.body,
            R"({"type":"livestream.created","timestamp":"1970-01-01T00:00:05.000Z","sequence":1,)"
            R"("data":{"id":"ls-1","phase":"READY_FOR_USE","token":"jti-ls-1","server":"ms-1"}})");
  EXPECT_EQ(deliveriesTo("hook-a"), 1);
  EXPECT_EQ(deliveriesTo("hook-b"), 1);
  Result<std::optional<WebhookEvent>> found = store_->findWebhookEvent(e.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->body, e.body);
}

TEST_P(EmitTest, EachLifecycleChangeEmitsOnceAndNoOpsOrRefusalsEmitNothing) {
  addEndpoint(sampleEndpoint("hook-a"));
  ASSERT_TRUE(store_->insertMediaServer(sampleMediaServer("ms-2")).ok());
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());

  EXPECT_EQ(store_->startLivestream("ls-1", "old-token", 6000, {}).code(), Code::kPermissionDenied);
  ASSERT_TRUE(store_->startLivestream("ls-1", "jti-ls-1", 6000, {}).isOk());
  EXPECT_EQ(store_->startLivestream("ls-1", "jti-ls-1", 6001, {}).code(), Code::kConflict);
  EXPECT_TRUE(store_->resumeLivestream("ls-1", 6002).isOk());  // already STARTED: no change
  ASSERT_TRUE(store_->endLivestream("ls-1", 7000).isOk());
  EXPECT_TRUE(store_->endLivestream("ls-1", 7001).isOk());  // ENDED already: nothing
  ASSERT_TRUE(store_->resumeLivestream("ls-1", 7500).isOk());
  ASSERT_TRUE(store_->endLivestream("ls-1", 7600).isOk());
  ASSERT_TRUE(store_->replaceLivestreamToken("ls-1", "jti-2", 2'000'000).isOk());
  ASSERT_TRUE(store_->moveLivestreamWithToken("ls-1", "ms-2", "jti-3", 3'000'000).isOk());
  EXPECT_TRUE(store_->renameLivestream("ls-1", "renamed").isOk());  // not an event
  ASSERT_TRUE(store_->deleteLivestream("ls-1").isOk());

  EXPECT_EQ(types(), (Strings{"livestream.created", "livestream.started", "livestream.ended", "livestream.started",
                              "livestream.ended", "livestream.push_token_regenerated",
                              "livestream.push_token_regenerated", "livestream.deleted"}));
  const std::vector<WebhookEvent> all = events();
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].sequence, static_cast<std::int64_t>(i + 1)) << all[i].type;
    EXPECT_EQ(all[i].subjectId, "ls-1");
  }
  EXPECT_EQ(all[1].occurredAt, 6000);
  EXPECT_NE(all[1].body.find(R"("phase":"STARTED")"), std::string::npos);
  EXPECT_NE(all[2].body.find(R"("phase":"ENDED")"), std::string::npos);
  // The data is the row after the change: the new token, the new server.
  EXPECT_NE(all[5].body.find(R"("token":"jti-2")"), std::string::npos);
  EXPECT_NE(all[6].body.find(R"("server":"ms-2")"), std::string::npos);
  // livestream.deleted shows the livestream as it was just before.
  EXPECT_NE(all[7].body.find(R"("token":"jti-3","server":"ms-2")"), std::string::npos);
  EXPECT_EQ(deliveriesTo("hook-a"), 8);
}

TEST_P(EmitTest, WithoutRendererOrSubscriberNothingIsWritten) {
  // No endpoint: no event, and the subject's sequence does not move.
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  EXPECT_TRUE(events().empty());
  addEndpoint(sampleEndpoint("hook-a"));
  ASSERT_TRUE(store_->startLivestream("ls-1", "jti-ls-1", 6000, {}).isOk());
  ASSERT_EQ(events().size(), 1u);
  EXPECT_EQ(events()[0].sequence, 1);

  // Another store (process) with no renderer installed writes no events.
  auto bare = openStore();
  ASSERT_NE(bare, nullptr);
  ASSERT_TRUE(bare->endLivestream("ls-1", 7000).isOk());
  ASSERT_TRUE(bare->insertLivestream(sampleLivestream("ls-2")).ok());
  EXPECT_EQ(events().size(), 1u);
  Result<std::int64_t> expired = bare->emitTokenExpiredEvents(5'000'000);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, 0);
}

TEST_P(EmitTest, DeliveriesFollowSubscriptionsAndEnabledEndpointsOnly) {
  addEndpoint(sampleEndpoint("hook-all"));
  addEndpoint(sampleEndpoint("hook-started", "project-1", {"livestream.started"}));
  WebhookEndpoint off = sampleEndpoint("hook-off");
  off.enabled = false;
  addEndpoint(off);
  ASSERT_TRUE(store_->insertTeam(sampleTeam("team-2", "Other")).ok());
  ASSERT_TRUE(store_->insertProject(sampleProject("project-2", "team-2")).ok());
  addEndpoint(sampleEndpoint("hook-elsewhere", "project-2"));

  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  ASSERT_TRUE(store_->startLivestream("ls-1", "jti-ls-1", 6000, {}).isOk());
  EXPECT_EQ(deliveriesTo("hook-all"), 2);
  EXPECT_EQ(deliveriesTo("hook-started"), 1);
  EXPECT_EQ(deliveriesTo("hook-off"), 0);
  EXPECT_EQ(deliveriesTo("hook-elsewhere"), 0);
  EXPECT_TRUE(events("project-2").empty());
}

TEST_P(EmitTest, AFailedMutationLeavesNoEventAndNoSequence) {
  addEndpoint(sampleEndpoint("hook-a"));
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  // A duplicate: refused before anything is written.
  EXPECT_FALSE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  // A failure after the event was written (its delivery is refused): all of it rolls back.
  const bool sqlite = std::string(GetParam().name) == "sqlite";
  if (sqlite) {
    ASSERT_TRUE(exec("CREATE TRIGGER refuse_delivery BEFORE INSERT ON webhook_deliveries "
                     "BEGIN SELECT RAISE(ABORT, 'refused'); END"));
  } else {
    ASSERT_TRUE(exec("CREATE FUNCTION refuse_delivery() RETURNS trigger LANGUAGE plpgsql AS "
                     "$$ BEGIN RAISE EXCEPTION 'refused'; END $$"));
    ASSERT_TRUE(exec("CREATE TRIGGER refuse_delivery BEFORE INSERT ON webhook_deliveries "
                     "FOR EACH ROW EXECUTE FUNCTION refuse_delivery()"));
  }
  EXPECT_FALSE(store_->startLivestream("ls-1", "jti-ls-1", 6000, {}).isOk());
  Result<std::optional<Livestream>> row = store_->findLivestream("ls-1");
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->phase, LivestreamStatus::kReadyForUse);
  EXPECT_EQ(types(), (Strings{"livestream.created"}));

  ASSERT_TRUE(exec(sqlite ? "DROP TRIGGER refuse_delivery" : "DROP TRIGGER refuse_delivery ON webhook_deliveries"));
  ASSERT_TRUE(store_->startLivestream("ls-1", "jti-ls-1", 6000, {}).isOk());
  ASSERT_EQ(events().size(), 2u);
  EXPECT_EQ(events()[1].sequence, 2);
}

TEST_P(EmitTest, NodeEventsEndStreamsAndFanOutToProjectsAllowedOnTheServer) {
  ASSERT_TRUE(store_->insertTeam(sampleTeam("team-2", "Other")).ok());
  for (const char* p : {"project-2", "project-3"}) ASSERT_TRUE(store_->insertProject(sampleProject(p, "team-2")).ok());
  MediaServer edge = sampleMediaServer("edge-1");
  edge.type = MediaServerType::kZlMediaKit;
  edge.projectIds = {"project-1", "project-2"};
  ASSERT_TRUE(store_->insertMediaServer(edge).ok());
  addEndpoint(sampleEndpoint("hook-1"));
  addEndpoint(sampleEndpoint("hook-2", "project-2", {"livestream.created"}));  // not for node events
  addEndpoint(sampleEndpoint("hook-3", "project-3"));                         // the server is not theirs

  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1", 5000, "project-1", "edge-1")).ok());
  ASSERT_TRUE(store_->startLivestream("ls-1", "jti-ls-1", 6000, {}).isOk());
  Result<std::optional<std::int64_t>> ended = store_->markNodeOffline("edge-1", 9000, 9000);
  ASSERT_TRUE(ended.ok() && ended->has_value());
  EXPECT_EQ(**ended, 1);
  EXPECT_TRUE(store_->markNodeOffline("edge-1", 9000, 9500).ok());  // OFFLINE already: nothing
  NodeContact contact;
  contact.at = 10'000;
  contact.heartbeat = true;
  Result<NodeContactOutcome> back = store_->recordNodeContact("edge-1", contact);
  ASSERT_TRUE(back.ok() && back->cameOnline);
  contact.at = 11'000;
  ASSERT_TRUE(store_->recordNodeContact("edge-1", contact).ok());  // online already: nothing

  EXPECT_EQ(types(), (Strings{"livestream.created", "livestream.started", "livestream.ended",
                              "media_server.offline", "media_server.online"}));
  const std::vector<WebhookEvent> all = events();
  EXPECT_EQ(all[3].subjectId, "edge-1");
  EXPECT_EQ(all[3].sequence, 1);
  EXPECT_EQ(all[4].sequence, 2);
  EXPECT_EQ(all[3].body, R"({"type":"media_server.offline","timestamp":"1970-01-01T00:00:09.000Z","sequence":1,)"
                         R"("data":{"id":"edge-1","liveStreams":0}})");
  EXPECT_TRUE(events("project-2").empty());
  EXPECT_TRUE(events("project-3").empty());

  // A server with no assignment is every project's: each subscriber's project gets its own event.
  ASSERT_TRUE(store_->markNodeOffline("ms-1", 20'000, 20'000).ok());
  EXPECT_EQ(types("project-3"), (Strings{"media_server.offline"}));
  EXPECT_EQ(types().back(), "media_server.offline");
  EXPECT_NE(events("project-3")[0].id, events().back().id);
  EXPECT_EQ(events("project-3")[0].sequence, events().back().sequence);
  EXPECT_TRUE(events("project-2").empty());
}

TEST_P(EmitTest, RestartAndEndAllEmitEndedForEachStreamTheyEnd) {
  addEndpoint(sampleEndpoint("hook-a", "project-1", {"livestream.ended"}));
  for (const char* id : {"ls-1", "ls-2", "ls-3"}) ASSERT_TRUE(store_->insertLivestream(sampleLivestream(id)).ok());
  ASSERT_TRUE(store_->startLivestream("ls-1", "jti-ls-1", 6000, {}).isOk());
  ASSERT_TRUE(store_->startLivestream("ls-2", "jti-ls-2", 6000, {}).isOk());
  Result<std::int64_t> ended = store_->endAllStartedLivestreams("ms-1", 7000);
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(*ended, 2);
  EXPECT_EQ(types(), (Strings{"livestream.ended", "livestream.ended"}));

  ASSERT_TRUE(store_->startLivestream("ls-3", "jti-ls-3", 8000, {}).isOk());
  NodeContact restart;
  restart.at = 9000;
  restart.started = true;
  Result<NodeContactOutcome> r = store_->recordNodeContact("ms-1", restart);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->endedLivestreams, 1);
  ASSERT_EQ(events().size(), 3u);
  EXPECT_EQ(events()[2].subjectId, "ls-3");
  EXPECT_EQ(events()[2].occurredAt, 9000);
}

TEST_P(EmitTest, DeleteProjectEmitsDeletedForEachLivestreamAndDropsItsDeliveries) {
  addEndpoint(sampleEndpoint("hook-a"));
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-2")).ok());
  ASSERT_TRUE(store_->deleteProject("project-1").isOk());
  EXPECT_EQ(queryInt("SELECT count(*) FROM webhook_events WHERE type = 'livestream.deleted'"), 2);
  EXPECT_EQ(queryInt("SELECT count(*) FROM webhook_endpoints"), 0);
  EXPECT_EQ(queryInt("SELECT count(*) FROM webhook_deliveries"), 0);
}

TEST_P(EmitTest, TokenExpiredIsEmittedOncePerToken) {
  addEndpoint(sampleEndpoint("hook-a", "project-1", {"livestream.token_expired"}));
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());  // token expires at 1'000'000
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-live")).ok());
  ASSERT_TRUE(store_->startLivestream("ls-live", "jti-ls-live", 6000, {}).isOk());

  auto sweep = [&](UnixMillis now) {
    Result<std::int64_t> n = store_->emitTokenExpiredEvents(now);
    EXPECT_TRUE(n.ok()) << n.status().message();
    return n.ok() ? *n : -1;
  };
  EXPECT_EQ(sweep(999'999), 0);
  EXPECT_EQ(sweep(1'000'000), 1);  // a STARTED stream is not TOKEN_EXPIRED
  EXPECT_EQ(sweep(1'500'000), 0);
  ASSERT_EQ(events().size(), 1u);
  EXPECT_EQ(events()[0].occurredAt, 1'000'000);
  EXPECT_EQ(events()[0].subjectId, "ls-1");

  // A new token: its own expiry is announced again, once.
  ASSERT_TRUE(store_->replaceLivestreamToken("ls-1", "jti-2", 2'000'000).isOk());
  EXPECT_EQ(sweep(2'000'000), 1);
  EXPECT_EQ(sweep(2'000'001), 0);
  // The live stream's token expired while it was live: announced once it ends.
  ASSERT_TRUE(store_->endLivestream("ls-live", 2'100'000).isOk());
  EXPECT_EQ(sweep(2'200'000), 1);
  EXPECT_EQ(sweep(2'300'000), 0);
  EXPECT_EQ(events().size(), 3u);
}

TEST_P(EmitTest, TwoConcurrentSweepsEmitEachTokenExpiryExactlyOnce) {
  addEndpoint(sampleEndpoint("hook-a", "project-1", {"livestream.token_expired"}));
  constexpr int kStreams = 60;
  for (int i = 0; i < kStreams; ++i) {
    std::string id = "ls-";
    id.append(std::to_string(i));
    ASSERT_TRUE(store_->insertLivestream(sampleLivestream(id, 5000 + i)).ok());
  }
  auto other = openStore();
  ASSERT_NE(other, nullptr);
  other->setWebhookRenderer(testRenderer());
  std::atomic<std::int64_t> total{0};
  std::latch go(2);
  auto run = [&](Store* s) {
    go.arrive_and_wait();
    for (int round = 0; round < 3; ++round) {
      Result<std::int64_t> n = s->emitTokenExpiredEvents(1'000'000 + round);
      EXPECT_TRUE(n.ok()) << n.status().message();
      if (n.ok()) total += *n;
    }
  };
  std::thread a(run, store_.get());
  std::thread b(run, other.get());
  a.join();
  b.join();
  EXPECT_EQ(total.load(), kStreams);
  EXPECT_EQ(queryInt("SELECT count(*) FROM webhook_events WHERE type = 'livestream.token_expired'"), kStreams);
  EXPECT_EQ(queryInt("SELECT count(DISTINCT subject_id) FROM webhook_events"), kStreams);
}

LS_STORE_SUITE(EmitTest);

}  // namespace
}  // namespace ls::testing
