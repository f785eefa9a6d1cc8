// The webhook outbox, delivery side: claims keep each subject's order per
// endpoint, leases keep two workers off one delivery (also under concurrent
// claims from two stores), attempts are logged, and endpoints' failure
// state, resend, test events, disable, purge and backlog. SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store_webhooks_support.hpp"

namespace ls::testing {
namespace {

using Strings = std::vector<std::string>;
using DeliveryTest = WebhookStoreTest;

Strings describe(const std::vector<WebhookJob>& jobs) {
  Strings out;
  for (const WebhookJob& j : jobs) out.push_back(j.endpoint.id + " " + j.event.type + " " + j.event.subjectId);
  std::sort(out.begin(), out.end());
  return out;
}

TEST_P(DeliveryTest, ASubjectsLaterEventWaitsForTheEarlierOneAtThatEndpointOnly) {
  addEndpoint(sampleEndpoint("hook-a"));
  addEndpoint(sampleEndpoint("hook-b"));
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-2", 5001)).ok());
  // hook-b gets ls-1's created delivered before the start.
  std::vector<WebhookJob> first = claim("w1", 5500, 60'000);
  EXPECT_EQ(describe(first), (Strings{"hook-a livestream.created ls-1", "hook-a livestream.created ls-2",
                                      "hook-b livestream.created ls-1", "hook-b livestream.created ls-2"}));
  for (const WebhookJob& j : first) {
    if (j.endpoint.id == "hook-b" && j.event.subjectId == "ls-1") {
      ASSERT_TRUE(store_->finishWebhookAttempt(outcome(j, "w1", WebhookAttemptOutcome::kSucceeded, 5600, 200)).isOk());
    }
  }
  ASSERT_TRUE(store_->startLivestream("ls-1", "jti-ls-1", 6000, {}).isOk());
  // Even with every lease lapsed: hook-a still owes ls-1's created, so its started waits; hook-b's does not.
  std::vector<WebhookJob> second = claim("w2", 70'000, 130'000);
  EXPECT_EQ(describe(second), (Strings{"hook-a livestream.created ls-1", "hook-a livestream.created ls-2",
                                       "hook-b livestream.created ls-2", "hook-b livestream.started ls-1"}));
  for (const WebhookJob& j : second) {
    if (j.endpoint.id == "hook-a" && j.event.subjectId == "ls-1") {
      ASSERT_TRUE(
          store_->finishWebhookAttempt(outcome(j, "w2", WebhookAttemptOutcome::kSucceeded, 70'100, 204)).isOk());
    }
  }
  EXPECT_EQ(describe(claim("w3", 70'200, 130'000)), (Strings{"hook-a livestream.started ls-1"}));
}

TEST_P(DeliveryTest, OldestDueFirstAndJobsCarryEventAndEndpoint) {
  WebhookEndpoint e = sampleEndpoint("hook-a");
  addEndpoint(e);
  for (int i = 0; i < 3; ++i) {
    std::string id = "ls-";
    id.append(std::to_string(i));
    ASSERT_TRUE(store_->insertLivestream(sampleLivestream(id, 5000 + i)).ok());
  }
  std::vector<WebhookJob> jobs = claim("w1", 5001, 60'000, 10);
  ASSERT_EQ(jobs.size(), 2u);  // ls-2's created (at 5002) is not due yet
  EXPECT_EQ(jobs[0].event.subjectId, "ls-0");
  EXPECT_EQ(jobs[1].event.subjectId, "ls-1");
  EXPECT_EQ(jobs[0].endpoint.secret, e.secret);
  EXPECT_EQ(jobs[0].endpoint.url, e.url);
  EXPECT_EQ(jobs[0].delivery.endpointId, "hook-a");
  EXPECT_EQ(jobs[0].delivery.eventId, jobs[0].event.id);
  EXPECT_EQ(jobs[0].delivery.state, WebhookDeliveryState::kPending);
  EXPECT_EQ(claim("w1", 6000, 60'000, 1).size(), 1u);
}

TEST_P(DeliveryTest, AClaimSkipsEndpointsCapsEachAndKeepsEachSubjectsOrder) {
  for (const char* id : {"hook-a", "hook-b", "hook-c"}) addEndpoint(sampleEndpoint(id));
  for (int i = 0; i < 4; ++i) {
    std::string id = "ls-";
    id.append(std::to_string(i));
    ASSERT_TRUE(store_->insertLivestream(sampleLivestream(id, 5000 + i)).ok());
  }
  // hook-a skipped, hook-b at most one, any other at most two: the oldest of each.
  const WebhookClaimLimits limits = claimLimits(100, 2, {{"hook-a", 0}, {"hook-b", 1}});
  EXPECT_EQ(describe(claimWith("w1", 6000, 60'000, limits)),
            (Strings{"hook-b livestream.created ls-0", "hook-c livestream.created ls-0",
                     "hook-c livestream.created ls-1"}));
  // The total is taken oldest due first across endpoints, each capped.
  EXPECT_EQ(describe(claimWith("w1", 6000, 60'000, claimLimits(3, 2))),
            (Strings{"hook-a livestream.created ls-0", "hook-a livestream.created ls-1",
                     "hook-b livestream.created ls-1"}));
  // ls-3's start waits at every endpoint for its created, even one claimed in the same claim.
  ASSERT_TRUE(store_->startLivestream("ls-3", "jti-ls-3", 6500, {}).isOk());
  std::vector<WebhookJob> rest = claimWith("w1", 7000, 60'000, claimLimits(100, 100));
  EXPECT_EQ(describe(rest), (Strings{"hook-a livestream.created ls-2", "hook-a livestream.created ls-3",
                                     "hook-b livestream.created ls-2", "hook-b livestream.created ls-3",
                                     "hook-c livestream.created ls-2", "hook-c livestream.created ls-3"}));
  for (const WebhookJob& j : rest) {
    if (j.endpoint.id == "hook-c" && j.event.subjectId == "ls-3") {
      ASSERT_TRUE(store_->finishWebhookAttempt(outcome(j, "w1", WebhookAttemptOutcome::kSucceeded, 7100, 200)).isOk());
    }
  }
  EXPECT_EQ(describe(claimWith("w1", 7200, 60'000, claimLimits(100, 0, {{"hook-b", 0}}))),
            (Strings{"hook-c livestream.started ls-3"}));
}

TEST_P(DeliveryTest, ALeaseKeepsOthersOffUntilItLapsesAndALostLeaseCannotFinish) {
  addEndpoint(sampleEndpoint("hook-a"));
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  std::vector<WebhookJob> mine = claim("w1", 6000, 16'000);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_TRUE(claim("w2", 15'999, 30'000).empty());
  std::vector<WebhookJob> theirs = claim("w2", 16'000, 30'000);
  ASSERT_EQ(theirs.size(), 1u);
  EXPECT_EQ(theirs[0].delivery.id, mine[0].delivery.id);

  EXPECT_EQ(store_->finishWebhookAttempt(outcome(mine[0], "w1", WebhookAttemptOutcome::kSucceeded, 16'500, 200)).code(),
            Code::kConflict);
  Result<std::vector<WebhookAttempt>> log = store_->listWebhookAttempts("hook-a", 1, 10);
  ASSERT_TRUE(log.ok());
  EXPECT_TRUE(log->empty());  // nothing written
  ASSERT_TRUE(
      store_->finishWebhookAttempt(outcome(theirs[0], "w2", WebhookAttemptOutcome::kSucceeded, 16'600, 200)).isOk());
  EXPECT_TRUE(claim("w3", 100'000, 200'000).empty());
  // Finishing twice is a conflict too: the lease went with the first finish.
  EXPECT_EQ(
      store_->finishWebhookAttempt(outcome(theirs[0], "w2", WebhookAttemptOutcome::kSucceeded, 16'700, 200)).code(),
      Code::kConflict);
}

TEST_P(DeliveryTest, RetriesFailuresAndTheLogAndFailingSince) {
  addEndpoint(sampleEndpoint("hook-a"));
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  std::vector<WebhookJob> jobs = claim("w1", 6000, 60'000);
  ASSERT_EQ(jobs.size(), 1u);
  ASSERT_TRUE(
      store_->finishWebhookAttempt(outcome(jobs[0], "w1", WebhookAttemptOutcome::kRetry, 6000, 500, 11'000)).isOk());
  auto endpoint = [&] {
    Result<std::optional<WebhookEndpoint>> e = store_->findWebhookEndpoint("hook-a");
    EXPECT_TRUE(e.ok() && e->has_value());
    return e.ok() && e->has_value() ? **e : WebhookEndpoint{};
  };
  EXPECT_EQ(endpoint().failingSince, std::optional<UnixMillis>(6000));
  EXPECT_TRUE(claim("w1", 10'999, 60'000).empty());
  jobs = claim("w1", 11'000, 60'000);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].delivery.attempts, 1);
  ASSERT_TRUE(
      store_->finishWebhookAttempt(outcome(jobs[0], "w1", WebhookAttemptOutcome::kRetry, 11'000, 0, 12'000)).isOk());
  EXPECT_EQ(endpoint().failingSince, std::optional<UnixMillis>(6000));  // the run started at the first failure
  jobs = claim("w1", 12'000, 60'000);
  ASSERT_EQ(jobs.size(), 1u);
  ASSERT_TRUE(
      store_->finishWebhookAttempt(outcome(jobs[0], "w1", WebhookAttemptOutcome::kSucceeded, 12'000, 200)).isOk());
  EXPECT_EQ(endpoint().failingSince, std::nullopt);

  Result<std::vector<WebhookAttempt>> log = store_->listWebhookAttempts("hook-a", 1, 10);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0].status, 200);  // newest first
  EXPECT_EQ((*log)[1].status, 0);
  EXPECT_EQ((*log)[1].error, "connection refused");
  EXPECT_EQ((*log)[2].status, 500);
  EXPECT_EQ((*log)[2].responsePrefix, "answer 500");
  EXPECT_EQ((*log)[0].eventType, "livestream.created");
  EXPECT_EQ((*log)[0].eventId, jobs[0].event.id);
  EXPECT_EQ((*log)[0].deliveryId, jobs[0].delivery.id);
  EXPECT_EQ((*log)[0].latencyMs, 12);
  Result<std::vector<WebhookAttempt>> page2 = store_->listWebhookAttempts("hook-a", 2, 2);
  ASSERT_TRUE(page2.ok());
  EXPECT_EQ(page2->size(), 1u);

  // Given up: failed, never claimed again.
  ASSERT_TRUE(store_->startLivestream("ls-1", "jti-ls-1", 13'000, {}).isOk());
  jobs = claim("w1", 13'000, 60'000);
  ASSERT_EQ(jobs.size(), 1u);
  ASSERT_TRUE(
      store_->finishWebhookAttempt(outcome(jobs[0], "w1", WebhookAttemptOutcome::kFailed, 13'000, 503)).isOk());
  EXPECT_TRUE(claim("w1", 1'000'000, 2'000'000).empty());
  EXPECT_EQ(queryInt("SELECT count(*) FROM webhook_deliveries WHERE state = 'failed'"), 1);
}

TEST_P(DeliveryTest, ALongResponsePrefixIsCutToValidText) {
  addEndpoint(sampleEndpoint("hook-a"));
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  std::vector<WebhookJob> jobs = claim("w1", 6000, 60'000);
  ASSERT_EQ(jobs.size(), 1u);
  WebhookAttemptResult r = outcome(jobs[0], "w1", WebhookAttemptOutcome::kRetry, 6000, 500, 7000);
  r.attempt.responsePrefix = std::string("\xff\x00ok", 4) + std::string(3000, 'x');
  ASSERT_TRUE(store_->finishWebhookAttempt(r).isOk());
  Result<std::vector<WebhookAttempt>> log = store_->listWebhookAttempts("hook-a", 1, 10);
  ASSERT_TRUE(log.ok() && log->size() == 1u);
  EXPECT_LE((*log)[0].responsePrefix.size(), 1024u);
  EXPECT_EQ((*log)[0].responsePrefix.rfind("\xEF\xBF\xBD\xEF\xBF\xBDok", 0), 0u);
}

TEST_P(DeliveryTest, TwoStoresClaimingAtOnceNeverShareADelivery) {
  addEndpoint(sampleEndpoint("hook-a"));
  addEndpoint(sampleEndpoint("hook-b"));
  constexpr int kStreams = 100;
  for (int i = 0; i < kStreams; ++i) {
    std::string id = "ls-";
    id.append(std::to_string(i));
    ASSERT_TRUE(store_->insertLivestream(sampleLivestream(id, 5000)).ok());
  }
  auto other = openStore();
  ASSERT_NE(other, nullptr);
  std::mutex mutex;
  std::vector<std::string> claimed;
  auto worker = [&](Store* s, const std::string& name) {
    for (int round = 0; round < 1000; ++round) {
      Result<std::vector<WebhookJob>> jobs = s->claimWebhookDeliveries(name, 6000, 60'000, claimLimits(7));
      EXPECT_TRUE(jobs.ok()) << jobs.status().message();
      if (!jobs.ok() || jobs->empty()) return;
      std::lock_guard lock(mutex);
      for (const WebhookJob& j : *jobs) claimed.push_back(j.delivery.id);
    }
  };
  std::thread a(worker, store_.get(), "w-a1");
  std::thread b(worker, store_.get(), "w-a2");
  std::thread c(worker, other.get(), "w-b1");
  std::thread d(worker, other.get(), "w-b2");
  a.join();
  b.join();
  c.join();
  d.join();
  const std::set<std::string> unique(claimed.begin(), claimed.end());
  EXPECT_EQ(unique.size(), claimed.size()) << "a delivery was claimed twice";
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(2 * kStreams));
}

TEST_P(DeliveryTest, ResendKeepsTheEventIdAndStaysInItsProject) {
  addEndpoint(sampleEndpoint("hook-a"));
  ASSERT_TRUE(store_->insertTeam(sampleTeam("team-2", "Other")).ok());
  ASSERT_TRUE(store_->insertProject(sampleProject("project-2", "team-2")).ok());
  addEndpoint(sampleEndpoint("hook-other", "project-2"));
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  std::vector<WebhookJob> jobs = claim("w1", 6000, 60'000);
  ASSERT_EQ(jobs.size(), 1u);
  ASSERT_TRUE(store_->finishWebhookAttempt(outcome(jobs[0], "w1", WebhookAttemptOutcome::kSucceeded, 6000, 200)).isOk());

  Result<WebhookDelivery> again = store_->resendWebhookEvent(jobs[0].event.id, "hook-a", 7000);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_NE(again->id, jobs[0].delivery.id);
  EXPECT_EQ(again->eventId, jobs[0].event.id);
  EXPECT_EQ(again->state, WebhookDeliveryState::kPending);
  EXPECT_EQ(again->nextAttemptAt, 7000);
  std::vector<WebhookJob> resent = claim("w1", 7000, 60'000);
  ASSERT_EQ(resent.size(), 1u);
  EXPECT_EQ(resent[0].event.id, jobs[0].event.id);
  EXPECT_EQ(resent[0].event.body, jobs[0].event.body);

  EXPECT_EQ(store_->resendWebhookEvent(jobs[0].event.id, "hook-other", 7000).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->resendWebhookEvent("evt_missing", "hook-a", 7000).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->resendWebhookEvent(jobs[0].event.id, "hook-missing", 7000).status().code(), Code::kNotFound);
}

TEST_P(DeliveryTest, ATestEventGoesToTheOneEndpointAsked) {
  addEndpoint(sampleEndpoint("hook-a", "project-1", {"livestream.started"}));
  addEndpoint(sampleEndpoint("hook-b"));
  WebhookEvent test;
  test.id = store::newWebhookEventId();
  test.type = std::string(webhook_event::kTest);
  test.occurredAt = 8000;
  test.body = store::webhookBody(webhook_event::kTest, 8000, 0,
                                 R"({"endpointId":"hook-a","message":"Test event from LunarStream"})");
  Result<WebhookDelivery> d = store_->insertWebhookTestEvent("hook-a", test);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->endpointId, "hook-a");
  EXPECT_EQ(d->eventId, test.id);
  std::vector<WebhookJob> jobs = claim("w1", 8000, 60'000);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].event.type, "webhook.test");
  EXPECT_EQ(jobs[0].event.projectId, "project-1");
  EXPECT_EQ(jobs[0].event.body, test.body);
  EXPECT_EQ(deliveriesTo("hook-b"), 0);
  EXPECT_EQ(store_->insertWebhookTestEvent("hook-missing", test).status().code(), Code::kNotFound);
}

TEST_P(DeliveryTest, EndpointsCanBeChangedRotatedDisabledAndDeleted) {
  EXPECT_EQ(store_->insertWebhookEndpoint(sampleEndpoint("hook-x", "project-404")).status().code(), Code::kNotFound);
  addEndpoint(sampleEndpoint("hook-a"));
  addEndpoint(sampleEndpoint("hook-b"));
  EXPECT_EQ(store_->insertWebhookEndpoint(sampleEndpoint("hook-a")).status().code(), Code::kConflict);
  Result<std::vector<WebhookEndpoint>> list = store_->listWebhookEndpoints("project-1");
  ASSERT_TRUE(list.ok() && list->size() == 2u);
  EXPECT_EQ((*list)[0].id, "hook-a");

  WebhookEndpointPatch patch;
  patch.url = "https://new.example.com/x";
  patch.eventTypes = Strings{"livestream.created", "livestream.ended"};
  ASSERT_TRUE(store_->updateWebhookEndpoint("hook-a", patch, 9000).isOk());
  EXPECT_EQ(store_->updateWebhookEndpoint("hook-404", patch, 9000).code(), Code::kNotFound);
  ASSERT_TRUE(store_->rotateWebhookSecret("hook-a", "whsec_bmV3", 99'000, 9100).isOk());
  Result<std::optional<WebhookEndpoint>> a = store_->findWebhookEndpoint("hook-a");
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->url, "https://new.example.com/x");
  EXPECT_EQ((*a)->description, "endpoint hook-a");
  EXPECT_EQ((*a)->eventTypes, (Strings{"livestream.created", "livestream.ended"}));
  EXPECT_EQ((*a)->secret, "whsec_bmV3");
  EXPECT_EQ((*a)->previousSecret, "whsec_c2VjcmV0LW9mLQ==");
  EXPECT_EQ((*a)->previousSecretExpiresAt, std::optional<UnixMillis>(99'000));
  EXPECT_EQ((*a)->updatedAt, 9100);

  // Disabled by the dispatcher: a log row, and its deliveries wait.
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  ASSERT_TRUE(store_->disableWebhookEndpoint("hook-a", "Disabled after failing for 5 days", 9500).isOk());
  a = store_->findWebhookEndpoint("hook-a");
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_FALSE((*a)->enabled);
  EXPECT_EQ((*a)->disabledAt, std::optional<UnixMillis>(9500));
  EXPECT_EQ((*a)->disabledReason, "Disabled after failing for 5 days");
  Result<std::vector<WebhookAttempt>> log = store_->listWebhookAttempts("hook-a", 1, 10);
  ASSERT_TRUE(log.ok() && log->size() == 1u);
  EXPECT_EQ((*log)[0].status, 0);
  EXPECT_EQ((*log)[0].error, "Disabled after failing for 5 days");
  EXPECT_EQ((*log)[0].at, 9500);
  EXPECT_EQ(describe(claim("w1", 10'000, 60'000)), (Strings{"hook-b livestream.created ls-1"}));
  // Enabling again clears the dispatcher's marks; the waiting delivery goes out.
  WebhookEndpointPatch enable;
  enable.enabled = true;
  ASSERT_TRUE(store_->updateWebhookEndpoint("hook-a", enable, 10'500).isOk());
  a = store_->findWebhookEndpoint("hook-a");
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_TRUE((*a)->enabled);
  EXPECT_EQ((*a)->disabledAt, std::nullopt);
  EXPECT_EQ((*a)->disabledReason, "");
  EXPECT_EQ(describe(claim("w1", 11'000, 60'000)), (Strings{"hook-a livestream.created ls-1"}));

  ASSERT_TRUE(store_->deleteWebhookEndpoint("hook-a").isOk());
  EXPECT_EQ(store_->deleteWebhookEndpoint("hook-a").code(), Code::kNotFound);
  EXPECT_EQ(deliveriesTo("hook-a"), 0);
  EXPECT_EQ(queryInt("SELECT count(*) FROM webhook_attempts WHERE endpoint_id = 'hook-a'"), 0);
}

TEST_P(DeliveryTest, BacklogAndPurge) {
  addEndpoint(sampleEndpoint("hook-a"));
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1", 5000)).ok());
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-2", 8000)).ok());
  Result<WebhookBacklog> backlog = store_->webhookBacklog();
  ASSERT_TRUE(backlog.ok());
  EXPECT_EQ(backlog->pending, 2);
  EXPECT_EQ(backlog->oldestEvent, std::optional<UnixMillis>(5000));

  std::vector<WebhookJob> jobs = claim("w1", 6000, 60'000);
  ASSERT_EQ(jobs.size(), 1u);
  ASSERT_TRUE(store_->finishWebhookAttempt(outcome(jobs[0], "w1", WebhookAttemptOutcome::kSucceeded, 6000, 200)).isOk());
  backlog = store_->webhookBacklog();
  ASSERT_TRUE(backlog.ok());
  EXPECT_EQ(backlog->pending, 1);
  EXPECT_EQ(backlog->oldestEvent, std::optional<UnixMillis>(8000));

  Result<std::int64_t> purged = store_->purgeWebhookHistory(5000);  // nothing that old
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 0);
  purged = store_->purgeWebhookHistory(100'000);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 1);  // ls-1's delivered event; ls-2's is still pending
  EXPECT_EQ(queryInt("SELECT count(*) FROM webhook_events"), 1);
  EXPECT_EQ(queryInt("SELECT count(*) FROM webhook_attempts"), 0);
  EXPECT_EQ(queryInt("SELECT count(*) FROM webhook_deliveries"), 1);
  Result<std::optional<WebhookEvent>> gone = store_->findWebhookEvent(jobs[0].event.id);
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
}

WebhookEndpointPatch enablePatch() {
  WebhookEndpointPatch p;
  p.enabled = true;
  return p;
}

TEST_P(DeliveryTest, TheBacklogCountsOnlyEnabledEndpoints) {
  addEndpoint(sampleEndpoint("hook-a"));
  addEndpoint(sampleEndpoint("hook-b"));
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1", 5000)).ok());
  for (const WebhookJob& j : claimWith("w1", 6000, 60'000, claimLimits(10, 0, {{"hook-a", 0}}))) {
    ASSERT_TRUE(store_->finishWebhookAttempt(outcome(j, "w1", WebhookAttemptOutcome::kSucceeded, 6000, 200)).isOk());
  }
  Result<WebhookBacklog> backlog = store_->webhookBacklog();
  ASSERT_TRUE(backlog.ok());
  EXPECT_EQ(backlog->pending, 1);
  EXPECT_EQ(backlog->oldestEvent, std::optional<UnixMillis>(5000));
  // A disabled endpoint's deliveries wait for it to be enabled again: no backlog.
  ASSERT_TRUE(store_->disableWebhookEndpoint("hook-a", "Disabled after failing for 5 days", 7000).isOk());
  backlog = store_->webhookBacklog();
  ASSERT_TRUE(backlog.ok());
  EXPECT_EQ(backlog->pending, 0);
  EXPECT_EQ(backlog->oldestEvent, std::nullopt);
  ASSERT_TRUE(store_->updateWebhookEndpoint("hook-a", enablePatch(), 8000).isOk());
  backlog = store_->webhookBacklog();
  ASSERT_TRUE(backlog.ok());
  EXPECT_EQ(backlog->pending, 1);
  EXPECT_EQ(backlog->oldestEvent, std::optional<UnixMillis>(5000));
}

LS_STORE_SUITE(DeliveryTest);

}  // namespace
}  // namespace ls::testing
