#include "webhooks/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "core/log_text.hpp"
#include "core/prometheus_text.hpp"
#include "webhooks/signature.hpp"
#include "webhooks/target_policy.hpp"

namespace ls::webhooks {

namespace {

constexpr std::int64_t kLeaseMarginMs = 30'000;
constexpr std::size_t kResponsePrefixBytes = 1024;
constexpr std::size_t kResponseReadBytes = 64 * 1024;
constexpr std::int64_t kClaimBatch = 256;
constexpr int kMaxClaimRounds = 8;
// A fast endpoint's queue (in flight and waiting): at least this deep.
constexpr std::int64_t kDeepQueue = 64;
// The weight of a new latency in an endpoint's moving average.
constexpr double kPaceWeight = 0.2;
// An endpoint not heard from for this long is new again (its pace forgotten).
constexpr std::int64_t kForgetPaceMs = 10 * 60'000;
constexpr std::string_view kUserAgent = "LunarStream-Webhooks/1";

std::int64_t load(const std::atomic<std::int64_t>& a) {
  return a.load(std::memory_order_relaxed);
}

// The live secrets of an endpoint at `now`, the current one first.
std::vector<std::string> liveSecrets(const WebhookEndpoint& e, UnixMillis now) {
  std::vector<std::string> out{e.secret};
  if (!e.previousSecret.empty() && e.previousSecretExpiresAt && *e.previousSecretExpiresAt > now) {
    out.push_back(e.previousSecret);
  }
  return out;
}

}  // namespace

void appendWebhookMetrics(std::string& out, const DispatcherCounters& c) {
  using prometheus::appendFamily;
  appendFamily(out, "lunarstream_webhook_deliveries_total", "counter",
               "Webhook delivery attempts by outcome (docs/webhooks.md): succeeded (2xx), retry (failed, "
               "retried later), refused (target address refused, retried later), failed (schedule spent, given up).");
  const std::pair<std::string_view, std::int64_t> outcomes[] = {{"succeeded", load(c.succeeded)},
                                                                {"retry", load(c.retried)},
                                                                {"refused", load(c.refused)},
                                                                {"failed", load(c.failed)}};
  for (const auto& [name, value] : outcomes) {
    out += "lunarstream_webhook_deliveries_total{outcome=\"";
    out += name;
    out += "\"} " + std::to_string(value) + '\n';
  }
  appendFamily(out, "lunarstream_webhook_backlog", "gauge", "Webhook deliveries waiting (pending, of enabled endpoints).");
  out += "lunarstream_webhook_backlog " + std::to_string(load(c.backlog)) + '\n';
  appendFamily(out, "lunarstream_webhook_backlog_age_seconds", "gauge",
               "Age of the oldest waiting delivery's event; 0 when none waits.");
  const std::int64_t ageMs = load(c.backlogAgeMs);
  out += "lunarstream_webhook_backlog_age_seconds " + std::to_string(ageMs / 1000) + '.' +
         std::to_string(1000 + ageMs % 1000).substr(1) + '\n';
  appendFamily(out, "lunarstream_webhook_in_flight", "gauge", "Webhook requests this process has in flight.");
  out += "lunarstream_webhook_in_flight " + std::to_string(load(c.inFlight)) + '\n';
  appendFamily(out, "lunarstream_webhook_endpoints_disabled_total", "counter",
               "Endpoints this process disabled after failing for webhooks.disable_after.");
  out += "lunarstream_webhook_endpoints_disabled_total " + std::to_string(load(c.endpointsDisabled)) + '\n';
}

WebhookAttemptOutcome outcomeAfterFailure(const std::vector<std::int64_t>& schedule, std::int64_t attempts) {
  return attempts >= 0 && static_cast<std::size_t>(attempts) < schedule.size() ? WebhookAttemptOutcome::kRetry
                                                                               : WebhookAttemptOutcome::kFailed;
}

std::string humanDuration(std::int64_t ms) {
  struct Unit {
    std::int64_t ms;
    const char* one;
    const char* many;
  };
  static constexpr Unit kUnits[] = {{86'400'000, "day", "days"},
                                    {3'600'000, "hour", "hours"},
                                    {60'000, "minute", "minutes"},
                                    {1000, "second", "seconds"},
                                    {1, "millisecond", "milliseconds"}};
  for (const Unit& u : kUnits) {
    if (ms >= u.ms && ms % u.ms == 0) {
      const std::int64_t n = ms / u.ms;
      return std::to_string(n) + " " + (n == 1 ? u.one : u.many);
    }
  }
  return std::to_string(ms) + " milliseconds";
}

std::string printableUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    std::size_t len = 0;
    if (b == 0) {
      len = 0;
    } else if (b < 0x80) {
      len = 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
    }
    bool valid = len > 0 && i + len <= bytes.size();
    for (std::size_t k = 1; valid && k < len; ++k) {
      valid = (static_cast<unsigned char>(bytes[i + k]) & 0xC0) == 0x80;
    }
    if (valid && len >= 3) {
      const auto b1 = static_cast<unsigned char>(bytes[i + 1]);
      // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
      if ((b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 >= 0xA0) || (b == 0xF0 && b1 < 0x90) ||
          (b == 0xF4 && b1 >= 0x90)) {
        valid = false;
      }
    }
    if (valid) {
      out.append(bytes.substr(i, len));
      i += len;
    } else {
      out.push_back('?');
      ++i;
    }
  }
  return out;
}

Dispatcher::Dispatcher(WebhookOutbox& store, const Clock& clock, Random& random, DispatcherOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {
  if (options_.workerId.empty()) options_.workerId = "webhooks-" + newUuidV4(random);
  if (options_.retrySchedule.empty()) options_.retrySchedule = defaultRetrySchedule();
  options_.maxInFlight = std::max<std::int64_t>(1, options_.maxInFlight);
  options_.perEndpointConcurrency = std::max<std::int64_t>(1, options_.perEndpointConcurrency);
  options_.pollIntervalMs = std::max<std::int64_t>(1, options_.pollIntervalMs);
}

Dispatcher::~Dispatcher() {
  stop();
}

void Dispatcher::start() {
  if (started_) return;
  started_ = true;
  client_ = std::make_unique<http_client::AsyncHttpClient>();
  thread_ = std::thread([this] { run(); });
}

void Dispatcher::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (client_) client_->shutdown();
}

void Dispatcher::run() {
  const auto shouldStop = [this] {
    std::lock_guard lock(mu_);
    return stopping_;
  };
  using Steady = std::chrono::steady_clock;
  const auto pollInterval = std::chrono::milliseconds(options_.pollIntervalMs);
  auto nextPoll = Steady::now();
  // One round at least, so a start() at once followed by stop() still sweeps.
  do {
    // A finished attempt claims at once when its endpoint has room worth a
    // claim (the next event of that livestream may be due now); a fast
    // endpoint working through a deep queue is claimed for when the queue is
    // half empty, not after every answer. Otherwise every poll interval.
    const bool claimNow = drainFinished();
    const UnixMillis now = clock_.now();
    sweeps(now);
    if (!shouldStop() && (claimNow || Steady::now() >= nextPoll)) {
      claim(now);
      nextPoll = Steady::now() + pollInterval;
    }
    std::unique_lock lock(mu_);
    // Woken by a finished attempt, by stop(), or the poll interval.
    wake_.wait_until(lock, nextPoll, [this] { return stopping_ || !finished_.empty(); });
  } while (!shouldStop());
  // Attempts in flight get a grace period to finish and be recorded.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.stopGraceMs);
  while (inFlight_ > 0 && std::chrono::steady_clock::now() < deadline) {
    {
      std::unique_lock lock(mu_);
      wake_.wait_until(lock, deadline, [this] { return !finished_.empty(); });
    }
    drainFinished();
  }
  held_.clear();
  heldCount_ = 0;
}

void Dispatcher::sweeps(UnixMillis now) {
  if (now >= nextTokenSweep_) {
    nextTokenSweep_ = now + options_.tokenExpirySweepMs;
    auto emitted = store_.emitTokenExpiredEvents(now);
    noteStore("token-expiry sweep", emitted.status());
  }
  if (now >= nextPurge_) {
    nextPurge_ = now + options_.purgeIntervalMs;
    auto purged = store_.purgeWebhookHistory(now - options_.retentionDays * 86'400'000);
    noteStore("history purge", purged.status());
    if (purged.ok() && *purged > 0) {
      spdlog::info("webhooks: purged {} event(s) older than {} days", *purged, options_.retentionDays);
    }
  }
  if (now >= nextBacklog_) {
    nextBacklog_ = now + options_.backlogIntervalMs;
    for (auto it = pace_.begin(); it != pace_.end();) {
      const bool busy = inFlightByEndpoint_.count(it->first) != 0 || held_.count(it->first) != 0;
      it = !busy && now - it->second.lastAt > kForgetPaceMs ? pace_.erase(it) : std::next(it);
    }
    auto backlog = store_.webhookBacklog();
    noteStore("backlog", backlog.status());
    if (backlog.ok()) {
      counters_.backlog.store(backlog->pending, std::memory_order_relaxed);
      counters_.backlogAgeMs.store(backlog->oldestEvent ? std::max<std::int64_t>(0, now - *backlog->oldestEvent) : 0,
                                   std::memory_order_relaxed);
    }
  }
}

// Polled Store calls log when they start failing and when they recover, not
// every 200 ms while the database is away.
void Dispatcher::noteStore(std::string_view what, const Status& s) {
  const std::string key(what);
  if (s.isOk()) {
    if (failingStoreCalls_.erase(key) != 0) spdlog::info("webhooks: {} works again", what);
    return;
  }
  if (failingStoreCalls_.insert(key).second) spdlog::warn("webhooks: {}: {}", what, logText(s.message()));
}

// How many deliveries of one endpoint may be in flight or waiting here: twice
// its concurrency (a waiting one waits for one answer at most) while it is new
// or slow; max(64, 16 x concurrency) while its answers are fast enough for the
// last of that queue to be sent within one timeout, which the lease
// (2 x timeout + 30 s) covers with the attempt itself.
std::int64_t Dispatcher::depthFor(const std::string& endpointId) const {
  const std::int64_t c = options_.perEndpointConcurrency;
  const auto pace = pace_.find(endpointId);
  if (pace == pace_.end()) return 2 * c;
  const std::int64_t deep = std::max(kDeepQueue, 16 * c);
  const double wait = pace->second.latencyMs * static_cast<double>(deep - c) / static_cast<double>(c);
  return wait <= static_cast<double>(options_.timeoutMs) ? deep : 2 * c;
}

// What one endpoint can still take: a slot in flight or a place in its queue.
std::int64_t Dispatcher::freeFor(const std::string& endpointId) const {
  const auto busy = inFlightByEndpoint_.find(endpointId);
  const auto waiting = held_.find(endpointId);
  const std::int64_t used = (busy == inFlightByEndpoint_.end() ? 0 : busy->second) +
                            (waiting == held_.end() ? 0 : static_cast<std::int64_t>(waiting->second.size()));
  return std::max<std::int64_t>(0, depthFor(endpointId) - used);
}

// What a claim takes of one endpoint: what it can still take, once that is
// worth a claim (any room with a shallow queue; half of a deep one, so an
// endpoint working through a backlog is claimed for in large batches).
std::int64_t Dispatcher::claimableFor(const std::string& endpointId) const {
  const std::int64_t free = freeFor(endpointId);
  const std::int64_t depth = depthFor(endpointId);
  return depth > 2 * options_.perEndpointConcurrency && free < depth / 2 ? 0 : free;
}

void Dispatcher::claim(UnixMillis now) {
  // A claim takes only what can be sent or held (claimableFor), and nothing of
  // an endpoint with no room (the Store skips it, so its backlog never stands
  // in front of another endpoint's deliveries). Its answers wake the
  // dispatcher.
  for (int round = 0; round < kMaxClaimRounds; ++round) {
    const std::int64_t room = options_.maxInFlight - inFlight_ - heldCount_;
    if (room <= 0) return;
    WebhookClaimLimits limits;
    limits.total = std::min(room, kClaimBatch);
    limits.perEndpoint = 2 * options_.perEndpointConcurrency;
    for (const auto& [id, n] : inFlightByEndpoint_) limits.byEndpoint[id] = claimableFor(id);
    for (const auto& [id, queue] : held_) limits.byEndpoint[id] = claimableFor(id);
    for (const auto& [id, pace] : pace_) {
      if (limits.byEndpoint.count(id) == 0 && depthFor(id) != limits.perEndpoint) {
        limits.byEndpoint[id] = claimableFor(id);
      }
    }
    const UnixMillis leaseUntil = now + 2 * options_.timeoutMs + kLeaseMarginMs;
    auto jobs = store_.claimWebhookDeliveries(options_.workerId, now, leaseUntil, limits);
    noteStore("claim", jobs.status());
    if (!jobs.ok()) return;
    for (WebhookJob& job : *jobs) {
      const std::string endpointId = job.endpoint.id;
      const auto inFlight = inFlightByEndpoint_.find(endpointId);
      if (inFlight == inFlightByEndpoint_.end() || inFlight->second < options_.perEndpointConcurrency) {
        send(std::move(job), now);
      } else {
        held_[endpointId].push_back(Held{std::move(job), leaseUntil});
        ++heldCount_;
      }
    }
    // Another round only while claims come back full (more may be due).
    if (static_cast<std::int64_t>(jobs->size()) < limits.total) return;
  }
}

void Dispatcher::send(WebhookJob job, UnixMillis now) {
  const std::string endpointId = job.endpoint.id;
  http_client::AsyncRequest request;
  request.method = "POST";
  request.url = job.endpoint.url;
  request.body = job.event.body;
  request.userAgent = std::string(kUserAgent);
  request.timeout = std::chrono::milliseconds(options_.timeoutMs);
  request.connectTimeout = request.timeout;
  request.keepBodyBytes = kResponsePrefixBytes;
  request.readBodyBytes = kResponseReadBytes;
  if (!options_.allowPrivateTargets) {
    request.addressFilter = [](std::string_view address) { return refusedTargetReason(address); };
  }
  auto headers = signWebhook(job.event.id, now / 1000, job.event.body, liveSecrets(job.endpoint, now));
  ++inFlight_;
  ++inFlightByEndpoint_[endpointId];
  counters_.inFlight.store(inFlight_, std::memory_order_relaxed);
  if (!headers.ok()) {
    http_client::AsyncResponse r;
    r.error = http_client::AsyncError::kInvalidRequest;
    r.errorMessage = headers.status().message();
    std::lock_guard lock(mu_);
    finished_.push_back(Finished{std::move(job), now, std::move(r)});
    return;
  }
  request.headers = {{"content-type", "application/json"},
                     {"webhook-id", headers->webhookId},
                     {"webhook-timestamp", headers->webhookTimestamp},
                     {"webhook-signature", headers->webhookSignature},
                     {"ls-signature", headers->lsSignature}};
  client_->submit(std::move(request), [this, job = std::move(job), now](http_client::AsyncResponse r) mutable {
    {
      std::lock_guard lock(mu_);
      finished_.push_back(Finished{std::move(job), now, std::move(r)});
    }
    wake_.notify_all();
  });
}

bool Dispatcher::drainFinished() {
  std::vector<Finished> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(finished_);
  }
  std::set<std::string> endpoints;
  for (Finished& f : batch) {
    const std::string endpointId = f.job.endpoint.id;
    endpoints.insert(endpointId);
    --inFlight_;
    if (--inFlightByEndpoint_[endpointId] <= 0) inFlightByEndpoint_.erase(endpointId);
    counters_.inFlight.store(inFlight_, std::memory_order_relaxed);
    const UnixMillis now = clock_.now();
    if (f.response.error != http_client::AsyncError::kCancelled) {
      const double latency = static_cast<double>(
          f.response.elapsed.count() > 0 ? f.response.elapsed.count() : std::max<std::int64_t>(0, now - f.at));
      auto [pace, fresh] = pace_.try_emplace(endpointId, Pace{latency, now});
      if (!fresh) pace->second.latencyMs += kPaceWeight * (latency - pace->second.latencyMs);
      pace->second.lastAt = now;
    }
    finish(std::move(f));
    // A slot of this endpoint is free: the next claimed one waiting for it.
    const UnixMillis sendAt = clock_.now();
    auto it = held_.find(endpointId);
    while (it != held_.end() && !it->second.empty() &&
           inFlightByEndpoint_[endpointId] < options_.perEndpointConcurrency) {
      Held h = std::move(it->second.front());
      it->second.pop_front();
      --heldCount_;
      // Sent only if the answer can come within the lease (it always can
      // while the endpoint answers at the pace its queue was sized for);
      // otherwise the lease lapses and the delivery is claimed again.
      if (sendAt + options_.timeoutMs < h.leaseUntil) send(std::move(h.job), sendAt);
    }
    if (it != held_.end() && it->second.empty()) held_.erase(it);
    if (inFlightByEndpoint_.count(endpointId) != 0 && inFlightByEndpoint_[endpointId] == 0) {
      inFlightByEndpoint_.erase(endpointId);
    }
  }
  return std::any_of(endpoints.begin(), endpoints.end(),
                     [this](const std::string& id) { return claimableFor(id) > 0; });
}

void Dispatcher::finish(Finished f) {
  const http_client::AsyncResponse& r = f.response;
  if (r.error == http_client::AsyncError::kCancelled) return;  // shutting down: the lease lapses
  const UnixMillis now = clock_.now();
  WebhookAttemptResult result;
  result.workerId = options_.workerId;
  WebhookAttempt& a = result.attempt;
  a.deliveryId = f.job.delivery.id;
  a.endpointId = f.job.endpoint.id;
  a.eventId = f.job.event.id;
  a.eventType = f.job.event.type;
  a.at = f.at;
  a.status = r.error == http_client::AsyncError::kNone ? r.status : 0;
  a.latencyMs = r.elapsed.count() > 0 ? r.elapsed.count() : std::max<std::int64_t>(0, now - f.at);
  a.error = r.error == http_client::AsyncError::kNone ? "" : printableUtf8(r.errorMessage);
  a.responsePrefix = printableUtf8(r.bodyPrefix.substr(0, kResponsePrefixBytes));
  const bool success = r.error == http_client::AsyncError::kNone && r.status >= 200 && r.status < 300;
  const std::int64_t attempts = f.job.delivery.attempts + 1;
  if (success) {
    result.outcome = WebhookAttemptOutcome::kSucceeded;
  } else {
    result.outcome = outcomeAfterFailure(options_.retrySchedule, attempts);
    if (result.outcome == WebhookAttemptOutcome::kRetry) {
      result.nextAttemptAt = now + options_.retrySchedule[static_cast<std::size_t>(attempts)];
    }
  }
  const Status s = store_.finishWebhookAttempt(result);
  if (!s.isOk()) {
    // kConflict: the lease lapsed and another worker holds the delivery now.
    spdlog::warn("webhooks: recording attempt {} of delivery {}: {}", attempts, f.job.delivery.id,
                 logText(s.message()));
    return;
  }
  if (success) {
    counters_.succeeded.fetch_add(1, std::memory_order_relaxed);
    if (options_.onAttemptRecorded) options_.onAttemptRecorded(result);
    return;
  }
  if (result.outcome == WebhookAttemptOutcome::kFailed) {
    counters_.failed.fetch_add(1, std::memory_order_relaxed);
    spdlog::info("webhooks: delivery {} of event {} to endpoint {} failed after {} attempts ({})", f.job.delivery.id,
                 f.job.event.id, f.job.endpoint.id, attempts, logText(a.error));
  } else if (r.error == http_client::AsyncError::kRefusedTarget) {
    counters_.refused.fetch_add(1, std::memory_order_relaxed);
  } else {
    counters_.retried.fetch_add(1, std::memory_order_relaxed);
  }
  const WebhookEndpoint& e = f.job.endpoint;
  if (e.failingSince && now - *e.failingSince > options_.disableAfterMs && disabled_.count(e.id) == 0) {
    const std::string reason = "Disabled after failing for " + humanDuration(options_.disableAfterMs);
    const Status d = store_.disableWebhookEndpoint(e.id, reason, now);
    if (d.isOk()) {
      disabled_.insert(e.id);
      counters_.endpointsDisabled.fetch_add(1, std::memory_order_relaxed);
      spdlog::warn("webhooks: endpoint {} of project {} disabled: failing since {} (last: {})", e.id, e.projectId,
                   formatIso8601(*e.failingSince), logText(a.error));
    } else {
      spdlog::warn("webhooks: disabling endpoint {}: {}", e.id, logText(d.message()));
    }
  }
  if (options_.onAttemptRecorded) options_.onAttemptRecorded(result);
}

}  // namespace ls::webhooks
