// Shared pieces of the webhook outbox tests: a store with a renderer
// installed, endpoints, and readers of what the outbox holds.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "store/webhook_emit.hpp"
#include "store_engines.hpp"

namespace ls::testing {

// A small, exact rendering, so tests can compare whole bodies.
inline WebhookRenderer testRenderer() {
  WebhookRenderer r;
  r.livestream = [](const Livestream& l, const MediaServer& s, UnixMillis) {
    return R"({"id":")" + l.id + R"(","phase":")" + std::string(toString(l.phase)) + R"(","token":")" +
           l.currentTokenId + R"(","server":")" + s.id + R"("})";
  };
  r.mediaServer = [](const MediaServer& s, std::int64_t live, UnixMillis) {
    return R"({"id":")" + s.id + R"(","liveStreams":)" + std::to_string(live) + "}";
  };
  return r;
}

inline WebhookEndpoint sampleEndpoint(std::string id, std::string projectId = "project-1",
                                      std::vector<std::string> types = {}) {
  WebhookEndpoint e;
  e.id = std::move(id);
  e.projectId = std::move(projectId);
  e.url = "https://hooks.example.com/" + e.id;
  e.description = "endpoint " + e.id;
  e.eventTypes = std::move(types);
  e.secret = "whsec_c2VjcmV0LW9mLQ==";
  e.createdAt = 4000;
  e.updatedAt = 4000;
  return e;
}

inline WebhookClaimLimits claimLimits(std::int64_t total, std::int64_t perEndpoint = 0,
                                      std::map<std::string, std::int64_t> byEndpoint = {}) {
  WebhookClaimLimits l;
  l.total = total;
  l.perEndpoint = perEndpoint;
  l.byEndpoint = std::move(byEndpoint);
  return l;
}

class WebhookStoreTest : public StoreContractTest {
 protected:
  void SetUp() override {
    StoreContractTest::SetUp();
    if (HasFatalFailure()) return;
    store_->setWebhookRenderer(testRenderer());
  }

  void addEndpoint(const WebhookEndpoint& e) {
    Result<WebhookEndpoint> r = store_->insertWebhookEndpoint(e);
    ASSERT_TRUE(r.ok()) << r.status().message();
  }

  // A project's events, oldest first.
  std::vector<WebhookEvent> events(const std::string& projectId = "project-1") {
    Result<std::vector<WebhookEvent>> r = store_->listWebhookEvents(projectId, 1, 10000);
    EXPECT_TRUE(r.ok()) << r.status().message();
    if (!r.ok()) return {};
    std::vector<WebhookEvent> out = std::move(r).value();
    std::reverse(out.begin(), out.end());
    return out;
  }

  std::vector<std::string> types(const std::string& projectId = "project-1") {
    std::vector<std::string> out;
    for (const WebhookEvent& e : events(projectId)) out.push_back(e.type);
    return out;
  }

  std::int64_t deliveriesTo(const std::string& endpointId) {
    return queryInt("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = '" + endpointId + "'");
  }

  std::vector<WebhookJob> claim(const std::string& worker, UnixMillis now, UnixMillis leaseUntil,
                                std::int64_t limit = 100) {
    return claimWith(worker, now, leaseUntil, claimLimits(limit));
  }

  std::vector<WebhookJob> claimWith(const std::string& worker, UnixMillis now, UnixMillis leaseUntil,
                                    const WebhookClaimLimits& limits) {
    Result<std::vector<WebhookJob>> r = store_->claimWebhookDeliveries(worker, now, leaseUntil, limits);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value() : std::vector<WebhookJob>{};
  }

  static WebhookAttemptResult outcome(const WebhookJob& job, const std::string& worker, WebhookAttemptOutcome o,
                                      UnixMillis at, int status, UnixMillis next = 0) {
    WebhookAttemptResult r;
    r.workerId = worker;
    r.attempt.deliveryId = job.delivery.id;
    r.attempt.at = at;
    r.attempt.status = status;
    r.attempt.latencyMs = 12;
    r.attempt.responsePrefix = status == 0 ? "" : "answer " + std::to_string(status);
    r.attempt.error = status == 0 ? "connection refused" : "";
    r.outcome = o;
    r.nextAttemptAt = next;
    return r;
  }
};

}  // namespace ls::testing
