// The Dispatcher end to end on a real SqliteStore and real receivers on
// 127.0.0.1 (the project's own http::Server): signed requests, retries on
// 5xx, timeouts and redirects, refused private targets, disabling, order per
// subject, one slow endpoint next to a fast one, and token-expiry events.
#include "webhooks/dispatcher.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/encoding.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/local_http_server.hpp"
#include "support/temp_dir.hpp"
#include "webhooks/secret.hpp"
#include "webhooks/signature.hpp"

namespace ls::webhooks {
namespace {

using namespace std::chrono_literals;
using ls::testing::LocalHttpServer;

struct Received {
  std::string path;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;
};

// Receivers on one server: /ok answers 200, /fail 500, /flaky 500 until told
// otherwise, /hang parks until released, /redirect 307 to /ok.
class Receiver {
 public:
  Receiver() : server_(routes()) {}

  std::string url(std::string_view path) const { return server_.baseUrl() + std::string(path); }

  bool awaitCount(std::string_view path, std::size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 20s, [&] { return countLocked(path) >= n; });
  }
  std::vector<Received> got(std::string_view path) {
    std::lock_guard lock(mu_);
    std::vector<Received> out;
    for (const Received& r : got_) {
      if (r.path == path) out.push_back(r);
    }
    return out;
  }
  void setFlakyHealthy() {
    std::lock_guard lock(mu_);
    flakyHealthy_ = true;
  }
  void releaseHung() {
    std::lock_guard lock(mu_);
    releasing_ = true;
    for (auto& r : parked_) r.send(http::Response::text(200, "text/plain", "released"));
    parked_.clear();
  }
  ~Receiver() { releaseHung(); }

 private:
  std::size_t countLocked(std::string_view path) const {
    std::size_t n = 0;
    for (const Received& r : got_) n += r.path == path ? 1u : 0u;
    return n;
  }
  void record(const http::Request& request, std::string path) {
    Received r;
    r.path = std::move(path);
    for (const http::Header& h : request.headers()) {
      std::string name = h.name;
      for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      r.headers[name] = h.value;
    }
    r.body = request.body();
    {
      std::lock_guard lock(mu_);
      got_.push_back(std::move(r));
    }
    cv_.notify_all();
  }
  http::Router routes() {
    http::Router router;
    router.add(http::Method::kPost, "/ok", [this](const http::Request& r) {
      record(r, "/ok");
      return http::Response::text(200, "text/plain", "thanks");
    });
    router.add(http::Method::kPost, "/ok2", [this](const http::Request& r) {
      record(r, "/ok2");
      return http::Response::text(204, "text/plain", "");
    });
    router.add(http::Method::kPost, "/fail", [this](const http::Request& r) {
      record(r, "/fail");
      return http::Response::text(500, "text/plain", std::string(3000, 'e'));
    });
    router.add(http::Method::kPost, "/flaky", [this](const http::Request& r) {
      record(r, "/flaky");
      std::lock_guard lock(mu_);
      return flakyHealthy_ ? http::Response::text(200, "text/plain", "ok now")
                           : http::Response::text(503, "text/plain", "not yet");
    });
    router.add(http::Method::kPost, "/redirect", [this](const http::Request& r) {
      record(r, "/redirect");
      return http::Response::text(307, "text/plain", "moved").header("Location", "/ok");
    });
    router.addDeferred(
        http::Method::kPost, "/hang",
        [this](const http::Request& r, http::Responder respond) {
          record(r, "/hang");
          std::lock_guard lock(mu_);
          if (releasing_) {
            respond.send(http::Response::text(200, "text/plain", "released"));
          } else {
            parked_.push_back(std::move(respond));
          }
        },
        http::Deferral{60s, [](const http::Request&) { return http::Response::text(200, "text/plain", "late"); }});
    // Answers 200 only after 3 s: a receiver that keeps up, slowly.
    router.addDeferred(
        http::Method::kPost, "/slow",
        [this](const http::Request& r, http::Responder respond) {
          record(r, "/slow");
          std::lock_guard lock(mu_);
          slow_.push_back(std::move(respond));
        },
        http::Deferral{3s, [](const http::Request&) { return http::Response::text(200, "text/plain", "slowly"); }});
    return router;
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Received> got_;
  std::vector<http::Responder> parked_;
  std::vector<http::Responder> slow_;  // answered by their deferral's timeout
  bool flakyHealthy_ = false;
  bool releasing_ = false;
  LocalHttpServer server_;
};

// The event data: just the subject, enough for these tests.
WebhookRenderer testRenderer() {
  WebhookRenderer r;
  r.livestream = [](const Livestream& l, const MediaServer&, UnixMillis) { return R"({"id":")" + l.id + R"("})"; };
  r.mediaServer = [](const MediaServer& m, std::int64_t, UnixMillis) { return R"({"id":")" + m.id + R"("})"; };
  return r;
}

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::open(dir_.path() / "lunarstream.db");
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(opened).value();
    store_->setWebhookRenderer(testRenderer());
    ASSERT_TRUE(store_->insertTeam({.id = "team-1", .name = "Acme", .createdAt = 1000}).ok());
    Project project;
    project.id = "project-1";
    project.teamId = "team-1";
    project.name = "Main";
    project.apiKeyHash = "hash-of-project-1";
    project.createdAt = 2000;
    ASSERT_TRUE(store_->insertProject(project).ok());
    MediaServer server;
    server.id = "ms-1";
    server.name = "embedded";
    server.type = MediaServerType::kEmbedded;
    server.rtmpBaseUrl = "rtmp://localhost:1935/live";
    server.hlsBaseUrl = "http://localhost:8080";
    server.createdAt = 3000;
    ASSERT_TRUE(store_->insertMediaServer(server).ok());
  }
  // Deliveries still waiting (pending), of enabled endpoints.
  std::int64_t pending() {
    auto backlog = store_->webhookBacklog();
    EXPECT_TRUE(backlog.ok()) << backlog.status().message();
    return backlog.ok() ? backlog->pending : -1;
  }
  DispatcherOptions options() {
    DispatcherOptions o;
    o.retrySchedule = {0, 20, 20};
    o.timeoutMs = 5000;
    o.allowPrivateTargets = true;  // the receivers are on loopback
    o.pollIntervalMs = 20;
    o.onAttemptRecorded = [this](const WebhookAttemptResult& r) {
      {
        std::lock_guard lock(mu_);
        recorded_.push_back(r);
      }
      cv_.notify_all();
    };
    return o;
  }
  void start(DispatcherOptions o) {
    dispatcher_ = std::make_unique<Dispatcher>(*store_, clock_, random_, std::move(o));
    dispatcher_->start();
  }
  // Waits until n attempts were recorded in all.
  bool awaitRecorded(std::size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 20s, [&] { return recorded_.size() >= n; });
  }
  std::vector<WebhookAttemptResult> recorded() {
    std::lock_guard lock(mu_);
    return recorded_;
  }
  WebhookEndpoint endpoint(std::string_view path, std::vector<std::string> types = {}) {
    WebhookEndpoint e;
    e.id = newUuidV4(random_);
    e.projectId = "project-1";
    e.url = receiver_.url(path);
    e.secret = generateSecret(random_);
    e.eventTypes = std::move(types);
    e.createdAt = e.updatedAt = clock_.now();
    auto inserted = store_->insertWebhookEndpoint(e);
    EXPECT_TRUE(inserted.ok()) << inserted.status().message();
    return e;
  }
  // One event for one endpoint; its body names the subject and sequence.
  std::string event(const WebhookEndpoint& e, std::string subject = "", std::int64_t sequence = 0) {
    WebhookEvent ev;
    std::array<std::uint8_t, 16> raw{};
    random_.fill(raw);
    ev.id = "evt_" + hexEncode(raw);
    ev.projectId = e.projectId;
    ev.type = "livestream.started";
    ev.subjectId = std::move(subject);
    ev.sequence = sequence;
    ev.occurredAt = clock_.now();
    ev.body = R"({"type":"livestream.started","timestamp":")" + formatIso8601(ev.occurredAt) + R"(","sequence":)" +
              std::to_string(sequence) + R"(,"data":{"id":")" + ev.subjectId + R"("}})";
    auto inserted = store_->insertWebhookTestEvent(e.id, ev);
    EXPECT_TRUE(inserted.ok()) << inserted.status().message();
    return ev.id;
  }

  ls::testing::TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
  SystemClock clock_;
  SecureRandom random_;
  Receiver receiver_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<WebhookAttemptResult> recorded_;
  std::unique_ptr<Dispatcher> dispatcher_;  // stopped before the receiver goes
};

TEST_F(DispatcherTest, DeliversASignedRequestAndRecordsTheAttempt) {
  const WebhookEndpoint e = endpoint("/ok");
  const std::string id = event(e, "ls-1", 1);
  start(options());
  ASSERT_TRUE(awaitRecorded(1));
  const std::vector<Received> got = receiver_.got("/ok");
  ASSERT_EQ(got.size(), 1u);
  const Received& r = got[0];
  EXPECT_EQ(r.headers.at("content-type"), "application/json");
  EXPECT_EQ(r.headers.at("user-agent"), "LunarStream-Webhooks/1");
  EXPECT_EQ(r.headers.at("webhook-id"), id);
  const std::int64_t now = clock_.now() / 1000;
  EXPECT_TRUE(verifyWebhook(r.headers.at("webhook-id"), r.headers.at("webhook-timestamp"),
                            r.headers.at("webhook-signature"), r.body, e.secret, now)
                  .isOk());
  EXPECT_TRUE(verifyLsSignature(r.headers.at("ls-signature"), r.body, e.secret, now).isOk());
  EXPECT_TRUE(r.body.starts_with(R"({"type":"livestream.started")")) << r.body;

  const WebhookAttemptResult a = recorded().at(0);
  EXPECT_EQ(a.outcome, WebhookAttemptOutcome::kSucceeded);
  EXPECT_EQ(a.attempt.status, 200);
  EXPECT_EQ(a.attempt.error, "");
  EXPECT_EQ(a.attempt.responsePrefix, "thanks");
  EXPECT_EQ(a.attempt.eventId, id);
  EXPECT_EQ(pending(), 0);
  EXPECT_EQ(dispatcher_->counters().succeeded.load(), 1);
  std::string metrics;
  appendWebhookMetrics(metrics, dispatcher_->counters());
  EXPECT_NE(metrics.find("lunarstream_webhook_deliveries_total{outcome=\"succeeded\"} 1\n"), std::string::npos);
}

TEST_F(DispatcherTest, FailuresAreRetriedWithTheSameIdUntilASuccess) {
  const WebhookEndpoint e = endpoint("/flaky");
  const std::string id = event(e);
  DispatcherOptions o = options();
  o.retrySchedule = {0, 10, 10, 10, 10};
  start(std::move(o));
  ASSERT_TRUE(awaitRecorded(2));
  receiver_.setFlakyHealthy();
  ASSERT_TRUE(receiver_.awaitCount("/flaky", 3));
  std::vector<WebhookAttemptResult> seen;
  for (int i = 0; i < 5; ++i) {
    seen = recorded();
    if (!seen.empty() && seen.back().outcome == WebhookAttemptOutcome::kSucceeded) break;
    ASSERT_TRUE(awaitRecorded(seen.size() + 1));
  }
  ASSERT_GE(seen.size(), 3u);
  EXPECT_EQ(seen[0].outcome, WebhookAttemptOutcome::kRetry);
  EXPECT_EQ(seen[0].attempt.status, 503);
  EXPECT_EQ(seen[0].attempt.responsePrefix, "not yet");
  EXPECT_EQ(seen.back().outcome, WebhookAttemptOutcome::kSucceeded);
  for (const Received& r : receiver_.got("/flaky")) EXPECT_EQ(r.headers.at("webhook-id"), id);
  EXPECT_EQ(pending(), 0);
}

TEST_F(DispatcherTest, TheScheduleEndsInFailedAndKeepsTheAnswersFirstBytes) {
  const WebhookEndpoint e = endpoint("/fail");
  event(e);
  start(options());  // 3 attempts
  ASSERT_TRUE(awaitRecorded(3));
  const auto seen = recorded();
  EXPECT_EQ(seen[0].outcome, WebhookAttemptOutcome::kRetry);
  EXPECT_EQ(seen[1].outcome, WebhookAttemptOutcome::kRetry);
  EXPECT_EQ(seen[2].outcome, WebhookAttemptOutcome::kFailed);
  EXPECT_EQ(seen[2].attempt.status, 500);
  EXPECT_EQ(seen[2].attempt.responsePrefix, std::string(1024, 'e'));
  EXPECT_EQ(receiver_.got("/fail").size(), 3u);
  EXPECT_EQ(pending(), 0) << "given up";
  auto log = store_->listWebhookAttempts(e.id, 1, 10);
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ(log->front().status, 500);
  EXPECT_EQ(log->front().responsePrefix, std::string(1024, 'e'));
  EXPECT_EQ(dispatcher_->counters().failed.load(), 1);
  EXPECT_EQ(dispatcher_->counters().retried.load(), 2);
}

TEST_F(DispatcherTest, AHangingReceiverTimesOutAndIsRetried) {
  const WebhookEndpoint e = endpoint("/hang");
  event(e);
  DispatcherOptions o = options();
  o.timeoutMs = 300;
  start(std::move(o));
  ASSERT_TRUE(awaitRecorded(1));
  const auto first = recorded().at(0);
  EXPECT_EQ(first.outcome, WebhookAttemptOutcome::kRetry);
  EXPECT_EQ(first.attempt.status, 0);
  EXPECT_EQ(first.attempt.error, "timed out after 300 ms");
  receiver_.releaseHung();
  ASSERT_TRUE(awaitRecorded(2));
  EXPECT_EQ(recorded().at(1).outcome, WebhookAttemptOutcome::kSucceeded);
}

TEST_F(DispatcherTest, RedirectsAreNotFollowed) {
  const WebhookEndpoint e = endpoint("/redirect");
  event(e);
  start(options());
  ASSERT_TRUE(awaitRecorded(3));
  for (const auto& r : recorded()) EXPECT_EQ(r.attempt.status, 307);
  EXPECT_EQ(recorded().back().outcome, WebhookAttemptOutcome::kFailed);
  EXPECT_TRUE(receiver_.got("/ok").empty()) << "the Location was never requested";
}

TEST_F(DispatcherTest, PrivateTargetsAreRefusedUnlessAllowed) {
  const WebhookEndpoint e = endpoint("/ok");
  event(e);
  DispatcherOptions o = options();
  o.allowPrivateTargets = false;
  start(std::move(o));
  ASSERT_TRUE(awaitRecorded(3));
  for (const auto& r : recorded()) {
    EXPECT_EQ(r.attempt.status, 0);
    EXPECT_EQ(r.attempt.error, "target address is private: 127.0.0.1");
  }
  EXPECT_EQ(recorded().back().outcome, WebhookAttemptOutcome::kFailed);
  EXPECT_TRUE(receiver_.got("/ok").empty());
  EXPECT_EQ(dispatcher_->counters().refused.load(), 2);
  EXPECT_EQ(dispatcher_->counters().failed.load(), 1);
}

TEST_F(DispatcherTest, AnEndpointFailingLongerThanTheWindowIsDisabled) {
  const WebhookEndpoint e = endpoint("/fail");
  event(e);
  DispatcherOptions o = options();
  o.retrySchedule = {0, 50, 50, 50, 50, 50, 50, 50};
  o.disableAfterMs = 60;
  start(std::move(o));
  // failingSince is set by the first failure; a later one past the window disables.
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(awaitRecorded(static_cast<std::size_t>(i + 1)));
    auto found = store_->findWebhookEndpoint(e.id);
    if (!(*found)->enabled) break;
  }
  auto found = store_->findWebhookEndpoint(e.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_FALSE((*found)->enabled);
  EXPECT_EQ((*found)->disabledReason, "Disabled after failing for 60 milliseconds");
  EXPECT_EQ(dispatcher_->counters().endpointsDisabled.load(), 1);
  auto log = store_->listWebhookAttempts(e.id, 1, 10);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->front().error, "Disabled after failing for 60 milliseconds");
  // Its delivery waits for the endpoint, outside the backlog until it is enabled again.
  EXPECT_EQ(pending(), 0);
  dispatcher_->stop();
  WebhookEndpointPatch enable;
  enable.enabled = true;
  ASSERT_TRUE(store_->updateWebhookEndpoint(e.id, enable, clock_.now()).isOk());
  EXPECT_EQ(pending(), 1);
}

TEST_F(DispatcherTest, EventsOfOneSubjectArriveInOrder) {
  const WebhookEndpoint e = endpoint("/ok");
  constexpr int kPerSubject = 15;
  for (int i = 1; i <= kPerSubject; ++i) {
    event(e, "stream-a", i);
    event(e, "stream-b", i);
  }
  start(options());
  ASSERT_TRUE(receiver_.awaitCount("/ok", 2 * kPerSubject));
  std::map<std::string, std::int64_t> last;
  for (const Received& r : receiver_.got("/ok")) {
    const std::string subject = r.body.find("stream-a") != std::string::npos ? "stream-a" : "stream-b";
    const std::size_t at = r.body.find("\"sequence\":") + 11;
    const std::int64_t sequence = std::stoll(r.body.substr(at, r.body.find(',', at) - at));
    EXPECT_EQ(sequence, last[subject] + 1) << subject;
    last[subject] = sequence;
  }
}

TEST_F(DispatcherTest, ASlowEndpointDoesNotDelayAnother) {
  const WebhookEndpoint slow = endpoint("/hang");
  const WebhookEndpoint fast = endpoint("/ok2");
  // Two in flight and two waiting for a slot.
  for (int i = 0; i < 4; ++i) event(slow, "slow-" + std::to_string(i));
  for (int i = 0; i < 20; ++i) event(fast, "fast-" + std::to_string(i));
  DispatcherOptions o = options();
  o.perEndpointConcurrency = 2;
  o.maxInFlight = 8;
  start(std::move(o));
  // Every fast delivery lands while the slow endpoint holds its requests.
  ASSERT_TRUE(receiver_.awaitCount("/ok2", 20));
  EXPECT_EQ(receiver_.got("/hang").size(), 2u) << "no more than per_endpoint_concurrency at once";
  receiver_.releaseHung();
  ASSERT_TRUE(receiver_.awaitCount("/hang", 4));
}

TEST_F(DispatcherTest, ASlowEndpointsBacklogIsNotClaimedAheadOfAnotherEndpoint) {
  const WebhookEndpoint slow = endpoint("/slow");
  const WebhookEndpoint fast = endpoint("/ok2");
  // The slow endpoint's backlog is older than every fast delivery and larger
  // than one claim would take if claims went by age alone.
  constexpr int kSlow = 6;
  constexpr int kFast = 30;
  for (int i = 0; i < kSlow; ++i) event(slow, "slow-" + std::to_string(i));
  for (int i = 0; i < kFast; ++i) event(fast, "fast-" + std::to_string(i));
  DispatcherOptions o = options();
  o.perEndpointConcurrency = 2;
  o.maxInFlight = 8;
  o.timeoutMs = 10'000;
  start(std::move(o));
  ASSERT_TRUE(receiver_.awaitCount("/ok2", kFast));
  ASSERT_TRUE(awaitRecorded(kFast));
  // Every fast delivery was recorded before any slow answer came back.
  for (const WebhookAttemptResult& r : recorded()) EXPECT_EQ(r.attempt.endpointId, fast.id);
  EXPECT_LE(receiver_.got("/slow").size(), 2u) << "no more than per_endpoint_concurrency at once";
  // The slow backlog drains as it answers, each delivery sent once: none was
  // claimed and left to its lease (which would send it a second time).
  ASSERT_TRUE(awaitRecorded(kFast + kSlow));
  EXPECT_EQ(pending(), 0);
  EXPECT_EQ(receiver_.got("/slow").size(), static_cast<std::size_t>(kSlow));
  std::size_t slowAttempts = 0;
  for (const WebhookAttemptResult& r : recorded()) {
    if (r.attempt.endpointId != slow.id) continue;
    ++slowAttempts;
    EXPECT_EQ(r.outcome, WebhookAttemptOutcome::kSucceeded);
  }
  EXPECT_EQ(slowAttempts, static_cast<std::size_t>(kSlow));
  auto log = store_->listWebhookAttempts(slow.id, 1, 100);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->size(), static_cast<std::size_t>(kSlow));
}

TEST_F(DispatcherTest, ABacklogDrainsWithoutWaitingForLeases) {
  // Far more due deliveries for one endpoint than it may have in flight and
  // waiting: claims are sized to what it can take, so none is left to a lease
  // (which would hold it for timeout + 30 s, longer than this test waits).
  const WebhookEndpoint e = endpoint("/ok2");
  constexpr int kBacklog = 300;
  for (int i = 0; i < kBacklog; ++i) event(e, "subject-" + std::to_string(i), 1);
  DispatcherOptions o = options();
  o.maxInFlight = 16;
  o.perEndpointConcurrency = 2;
  start(std::move(o));
  ASSERT_TRUE(receiver_.awaitCount("/ok2", kBacklog));
  ASSERT_TRUE(awaitRecorded(kBacklog));
  EXPECT_EQ(pending(), 0);
}

TEST_F(DispatcherTest, TokenExpiryIsSweptAndDelivered) {
  const WebhookEndpoint e = endpoint("/ok", {std::string(webhook_event::kLivestreamTokenExpired)});
  Livestream l;
  l.id = "ls-expiring";
  l.projectId = "project-1";
  l.mediaServerId = "ms-1";
  l.name = "expiring";
  l.streamKey = "key-expiring";
  l.phase = LivestreamStatus::kReadyForUse;
  l.currentTokenId = "jti-expiring";
  l.tokenExpiresAt = clock_.now() - 1;  // expired: the next sweep announces it
  l.createdAt = clock_.now() - 1000;
  ASSERT_TRUE(store_->insertLivestream(l).ok());
  start(options());
  ASSERT_TRUE(receiver_.awaitCount("/ok", 1));
  const Received r = receiver_.got("/ok").at(0);
  EXPECT_NE(r.body.find(R"("type":"livestream.token_expired")"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("data":{"id":"ls-expiring"})"), std::string::npos) << r.body;
  dispatcher_->stop();
  dispatcher_->stop();  // idempotent
}

}  // namespace
}  // namespace ls::webhooks
