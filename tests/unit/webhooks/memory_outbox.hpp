// A WebhookOutbox held in memory with the contract's claim rules (due,
// enabled, unleased, one at a time per endpoint and subject, oldest first),
// for the dispatcher's tests while the Store's implementations are not in
// this tree. Only what the dispatcher calls is implemented; the rest answers
// kInternal.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "store/webhook_outbox.hpp"

namespace ls::webhooks::testing {

class MemoryOutbox final : public WebhookOutbox {
 public:
  struct Row {
    WebhookDelivery delivery;
    std::string leasedBy;
    UnixMillis leaseUntil = 0;
  };

  void setWebhookRenderer(WebhookRenderer) override {}
  Result<WebhookEndpoint> insertWebhookEndpoint(const WebhookEndpoint& e) override {
    std::lock_guard lock(mu_);
    endpoints_[e.id] = e;
    return e;
  }
  Result<std::optional<WebhookEndpoint>> findWebhookEndpoint(std::string_view id) override {
    std::lock_guard lock(mu_);
    auto it = endpoints_.find(std::string(id));
    if (it == endpoints_.end()) return std::optional<WebhookEndpoint>();
    return std::optional<WebhookEndpoint>(it->second);
  }
  Result<std::vector<WebhookEndpoint>> listWebhookEndpoints(std::string_view) override { return unsupported(); }
  Status updateWebhookEndpoint(std::string_view, const WebhookEndpointPatch&, UnixMillis) override {
    return unsupported();
  }
  Status deleteWebhookEndpoint(std::string_view) override { return unsupported(); }
  Status rotateWebhookSecret(std::string_view, std::string_view, UnixMillis, UnixMillis) override {
    return unsupported();
  }
  Status disableWebhookEndpoint(std::string_view id, std::string_view reason, UnixMillis at) override {
    std::lock_guard lock(mu_);
    WebhookEndpoint& e = endpoints_.at(std::string(id));
    e.enabled = false;
    e.disabledAt = at;
    e.disabledReason = std::string(reason);
    WebhookAttempt a;
    a.endpointId = e.id;
    a.at = at;
    a.error = std::string(reason);
    attempts_.push_back(a);
    return Status::ok();
  }
  Result<std::int64_t> emitTokenExpiredEvents(UnixMillis) override {
    ++tokenSweeps;
    return std::int64_t{0};
  }
  Result<std::vector<WebhookJob>> claimWebhookDeliveries(std::string_view workerId, UnixMillis now,
                                                         UnixMillis leaseUntil, std::int64_t limit) override {
    std::lock_guard lock(mu_);
    std::vector<WebhookJob> out;
    std::set<std::pair<std::string, std::string>> blocked;  // (endpoint, subject) with an earlier pending event
    for (Row& row : rows_) {  // oldest first
      WebhookDelivery& d = row.delivery;
      if (d.state != WebhookDeliveryState::kPending) continue;
      const WebhookEvent& event = events_.at(d.eventId);
      const auto key = std::make_pair(d.endpointId, event.subjectId);
      const bool first = event.subjectId.empty() || blocked.insert(key).second;
      if (!first) continue;
      if (static_cast<std::int64_t>(out.size()) >= limit || d.nextAttemptAt > now) continue;
      const WebhookEndpoint& e = endpoints_.at(d.endpointId);
      if (!e.enabled || (!row.leasedBy.empty() && row.leaseUntil > now)) continue;
      row.leasedBy = std::string(workerId);
      row.leaseUntil = leaseUntil;
      out.push_back(WebhookJob{d, event, e});
    }
    return out;
  }
  Status finishWebhookAttempt(const WebhookAttemptResult& r) override {
    std::lock_guard lock(mu_);
    for (Row& row : rows_) {
      if (row.delivery.id != r.attempt.deliveryId) continue;
      if (row.leasedBy != r.workerId) return {Code::kConflict, "lease lost"};
      row.leasedBy.clear();
      ++row.delivery.attempts;
      WebhookEndpoint& e = endpoints_.at(row.delivery.endpointId);
      switch (r.outcome) {
        case WebhookAttemptOutcome::kSucceeded:
          row.delivery.state = WebhookDeliveryState::kSucceeded;
          e.failingSince.reset();
          break;
        case WebhookAttemptOutcome::kRetry:
          row.delivery.nextAttemptAt = r.nextAttemptAt;
          if (!e.failingSince) e.failingSince = r.attempt.at;
          break;
        case WebhookAttemptOutcome::kFailed:
          row.delivery.state = WebhookDeliveryState::kFailed;
          if (!e.failingSince) e.failingSince = r.attempt.at;
          break;
      }
      attempts_.push_back(r.attempt);
      return Status::ok();
    }
    return notFound("no such delivery");
  }
  Result<WebhookDelivery> resendWebhookEvent(std::string_view, std::string_view, UnixMillis) override {
    return unsupported();
  }
  Result<WebhookDelivery> insertWebhookTestEvent(std::string_view endpointId, const WebhookEvent& event) override {
    std::lock_guard lock(mu_);
    events_[event.id] = event;
    Row row;
    row.delivery.id = "dlv_" + std::to_string(rows_.size() + 1);
    row.delivery.eventId = event.id;
    row.delivery.endpointId = std::string(endpointId);
    row.delivery.nextAttemptAt = event.occurredAt;
    row.delivery.createdAt = event.occurredAt;
    rows_.push_back(row);
    return row.delivery;
  }
  Result<std::optional<WebhookEvent>> findWebhookEvent(std::string_view) override { return unsupported(); }
  Result<std::vector<WebhookEvent>> listWebhookEvents(std::string_view, std::int64_t, std::int64_t) override {
    return unsupported();
  }
  Result<std::vector<WebhookAttempt>> listWebhookAttempts(std::string_view endpointId, std::int64_t,
                                                          std::int64_t) override {
    std::lock_guard lock(mu_);
    std::vector<WebhookAttempt> out;
    for (auto it = attempts_.rbegin(); it != attempts_.rend(); ++it) {
      if (it->endpointId == endpointId) out.push_back(*it);
    }
    return out;
  }
  Result<WebhookBacklog> webhookBacklog() override {
    std::lock_guard lock(mu_);
    WebhookBacklog b;
    for (const Row& row : rows_) {
      if (row.delivery.state != WebhookDeliveryState::kPending) continue;
      ++b.pending;
      const UnixMillis at = events_.at(row.delivery.eventId).occurredAt;
      b.oldestEvent = b.oldestEvent ? std::min(*b.oldestEvent, at) : at;
    }
    return b;
  }
  Result<std::int64_t> purgeWebhookHistory(UnixMillis) override {
    ++purges;
    return std::int64_t{0};
  }

  std::vector<WebhookDelivery> deliveries() {
    std::lock_guard lock(mu_);
    std::vector<WebhookDelivery> out;
    for (const Row& row : rows_) out.push_back(row.delivery);
    return out;
  }

  std::atomic<int> tokenSweeps{0};
  std::atomic<int> purges{0};

 private:
  static Status unsupported() { return internalError("not in the memory outbox"); }

  std::mutex mu_;
  std::map<std::string, WebhookEndpoint> endpoints_;
  std::map<std::string, WebhookEvent> events_;
  std::vector<Row> rows_;
  std::vector<WebhookAttempt> attempts_;
};

}  // namespace ls::webhooks::testing
