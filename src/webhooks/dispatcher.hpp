// Delivers webhook events (docs/webhooks.md): claims due deliveries from the
// Store's outbox, signs and POSTs them with the asynchronous HTTP client, and
// records each attempt and its outcome (succeeded, retried per the schedule,
// failed after the last). Also runs the outbox's periodic work: token-expiry
// events every second, history purge hourly, and the backlog figures for
// /metrics.
//
// Threads: one of its own (every Store call: claims, finishing attempts,
// sweeps) plus the HTTP client's (transfers; completions only hand results
// back). One slow receiver never delays another: every request is a transfer
// of its own, at most perEndpointConcurrency per endpoint and maxInFlight in
// all, and a claim skips endpoints that are full and takes of any other only
// what it can still take, so a slow endpoint's backlog is never claimed ahead
// of another endpoint's deliveries. The store keeps the order per endpoint
// and subject (a later event of a livestream is claimed only once the earlier
// one is done), so nothing here reorders.
//
// Claims carry a lease (2 x timeout + 30 s). A claimed delivery is sent at
// once, or, when its endpoint has perEndpointConcurrency requests in flight,
// waits in memory for a slot. How many may wait depends on how fast the
// endpoint answers: perEndpointConcurrency while it is new or slow (each
// waits for one answer at most), up to max(64, 16 x perEndpointConcurrency)
// in all while its answers are fast enough for the whole queue to be worked
// through within one timeout. Either way the lease covers the wait and the
// attempt, so in normal operation no claimed delivery is left to its lease,
// and a fast endpoint draining a backlog is claimed for in large batches
// (again once its queue is half empty), not after every answer. A crashed
// (or stopped) process's leases lapse and some process claims the
// deliveries again, so every event is delivered at least once.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/random.hpp"
#include "core/time.hpp"
#include "http_client/async_http_client.hpp"
#include "store/webhook_outbox.hpp"
#include "webhooks/duration.hpp"

namespace ls::webhooks {

struct DispatcherOptions {
  std::vector<std::int64_t> retrySchedule = defaultRetrySchedule();
  std::int64_t timeoutMs = 10'000;
  bool allowPrivateTargets = false;
  std::int64_t disableAfterMs = 5LL * 24 * 3'600'000;
  std::int64_t maxInFlight = 256;
  std::int64_t perEndpointConcurrency = 4;
  std::int64_t retentionDays = 30;
  // How often the store is asked for due deliveries when nothing else woke
  // the dispatcher (a finished attempt does, at once).
  std::int64_t pollIntervalMs = 200;
  std::int64_t tokenExpirySweepMs = 1000;
  std::int64_t purgeIntervalMs = 3'600'000;
  std::int64_t backlogIntervalMs = 1000;
  // At stop, how long attempts in flight may take to finish (and be
  // recorded) before they are cancelled.
  std::int64_t stopGraceMs = 2000;
  // Names this process's leases; "" = "webhooks-" + a random UUID.
  std::string workerId;
  // Called on the dispatcher's thread after each attempt was recorded (and
  // after the endpoint was disabled, when it was): tests await it.
  std::function<void(const WebhookAttemptResult&)> onAttemptRecorded;
};

// Cumulative figures for /metrics; read with relaxed loads from any thread.
struct DispatcherCounters {
  // Attempts by outcome: 2xx; given up (the schedule is spent); the target
  // address was refused (retried); any other failure (retried).
  std::atomic<std::int64_t> succeeded{0};
  std::atomic<std::int64_t> failed{0};
  std::atomic<std::int64_t> refused{0};
  std::atomic<std::int64_t> retried{0};
  std::atomic<std::int64_t> endpointsDisabled{0};
  // The last backlog read (every backlogIntervalMs).
  std::atomic<std::int64_t> backlog{0};
  std::atomic<std::int64_t> backlogAgeMs{0};
  std::atomic<std::int64_t> inFlight{0};
};

// The webhook families in the Prometheus text format.
void appendWebhookMetrics(std::string& out, const DispatcherCounters& counters);

// What the schedule says after the attempts-th failed attempt (1-based):
// another attempt at now + schedule[attempts], or kFailed when none is left.
WebhookAttemptOutcome outcomeAfterFailure(const std::vector<std::int64_t>& schedule, std::int64_t attempts);

// "5 days", "1 hour", "90 seconds": the disable reason's wording.
std::string humanDuration(std::int64_t ms);

// Keeps what a text column takes: valid UTF-8 without NUL, other bytes as '?'.
std::string printableUtf8(std::string_view bytes);

class Dispatcher {
 public:
  // store, clock and random must outlive the dispatcher.
  Dispatcher(WebhookOutbox& store, const Clock& clock, Random& random, DispatcherOptions options);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  void start();
  // Stops claiming, lets attempts in flight finish for up to stopGraceMs,
  // cancels the rest (their leases lapse; they are sent again later) and joins.
  // Idempotent.
  void stop();

  [[nodiscard]] const DispatcherCounters& counters() const { return counters_; }
  [[nodiscard]] const std::string& workerId() const { return options_.workerId; }

 private:
  struct Held {
    WebhookJob job;
    UnixMillis leaseUntil = 0;
  };
  struct Finished {
    WebhookJob job;
    UnixMillis at = 0;
    http_client::AsyncResponse response;
  };
  // How fast an endpoint answers: a moving average of its attempts' latency.
  struct Pace {
    double latencyMs = 0;
    UnixMillis lastAt = 0;  // the last answer (or failure), for forgetting idle endpoints
  };

  void run();
  void sweeps(UnixMillis now);
  void claim(UnixMillis now);
  [[nodiscard]] std::int64_t depthFor(const std::string& endpointId) const;
  [[nodiscard]] std::int64_t freeFor(const std::string& endpointId) const;
  [[nodiscard]] std::int64_t claimableFor(const std::string& endpointId) const;
  void send(WebhookJob job, UnixMillis now);
  void finish(Finished f);
  // Records what finished and sends what waited for those slots; true when an
  // endpoint that finished has room worth a claim now.
  bool drainFinished();
  void noteStore(std::string_view what, const Status& s);

  WebhookOutbox& store_;
  const Clock& clock_;
  DispatcherOptions options_;
  DispatcherCounters counters_;
  std::unique_ptr<http_client::AsyncHttpClient> client_;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;           // guarded by mu_
  std::vector<Finished> finished_;  // guarded by mu_

  // The dispatcher thread's own.
  std::map<std::string, std::int64_t> inFlightByEndpoint_;
  std::map<std::string, std::deque<Held>> held_;
  std::map<std::string, Pace> pace_;
  std::int64_t heldCount_ = 0;
  std::int64_t inFlight_ = 0;
  std::set<std::string> disabled_;
  std::set<std::string> failingStoreCalls_;  // logged once until they work again
  UnixMillis nextTokenSweep_ = 0;
  UnixMillis nextPurge_ = 0;
  UnixMillis nextBacklog_ = 0;

  std::thread thread_;
  bool started_ = false;
};

}  // namespace ls::webhooks
