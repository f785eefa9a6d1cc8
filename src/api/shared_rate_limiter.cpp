#include "api/shared_rate_limiter.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace ls::api {

SharedRateLimiter::SharedRateLimiter(const Clock& clock, std::vector<RateLimit> limits, std::int64_t activeNodes)
    : clock_(clock), activeNodes_(std::max<std::int64_t>(1, activeNodes)) {
  assert(!limits.empty());
  for (const RateLimit& limit : limits) {
    assert(limit.requests >= 1 && limit.windowMs >= 1000);
    windows_.push_back(Window{limit, -1, {}});
  }
}

std::int64_t SharedRateLimiter::budgetFor(std::int64_t requests, std::int64_t global) const {
  const std::int64_t remaining = std::max<std::int64_t>(0, requests - global);
  return std::max<std::int64_t>(1, remaining / (2 * activeNodes_));
}

RateDecision SharedRateLimiter::decide(std::string_view key, std::span<const RateOverride> overrides) {
  const UnixMillis now = clock_.now();
  bool askSync = false;
  std::function<void()> wake;
  RateDecision decision;
  {
    std::lock_guard lock(mutex_);
    bool allowed = true;
    for (Window& w : windows_) {
      const std::int64_t index = now / w.limit.windowMs;
      if (index != w.index) {
        // Counts of an ended window are not sent: that window limits nothing.
        w.index = index;
        w.entries.clear();
      }
      const auto it = w.entries.find(key);
      if (it == w.entries.end()) continue;
      const Entry& e = it->second;
      if (e.global + e.sent + e.local >= effective(w.limit, overrides).requests) allowed = false;
    }
    // As in RateLimiter: a refused request counts against no limit.
    decision.allowed = allowed;
    ShownLimit shown(decision);
    for (Window& w : windows_) {
      const RateLimit limit = effective(w.limit, overrides);
      auto it = w.entries.find(key);
      if (it == w.entries.end()) {
        if (!allowed) continue;
        Entry fresh;
        fresh.requests = limit.requests;
        fresh.budget = budgetFor(limit.requests, 0);
        it = w.entries.emplace(std::string(key), fresh).first;
      }
      Entry& e = it->second;
      if (e.requests != limit.requests) {
        // The key's limit changed (a project's own limits were set).
        e.requests = limit.requests;
        e.budget = std::min(e.budget, budgetFor(limit.requests, e.global + e.sent));
      }
      if (allowed) {
        ++e.local;
        if (e.local >= e.budget && !syncWanted_) {
          syncWanted_ = true;
          askSync = true;
        }
      }
      shown.offer(limit, e.global + e.sent + e.local, (w.index + 1) * w.limit.windowMs, now);
    }
    if (askSync) wake = onSyncWanted_;
  }
  if (wake) wake();
  return decision;
}

RateDecision SharedRateLimiter::peek(std::string_view key) {
  const UnixMillis now = clock_.now();
  RateDecision decision;
  std::lock_guard lock(mutex_);
  ShownLimit shown(decision);
  for (Window& w : windows_) {
    const std::int64_t index = now / w.limit.windowMs;
    if (index != w.index) {
      w.index = index;
      w.entries.clear();
    }
    std::int64_t used = 0;
    if (const auto it = w.entries.find(key); it != w.entries.end()) {
      used = it->second.global + it->second.sent + it->second.local;
    }
    if (used >= w.limit.requests) decision.allowed = false;
    shown.offer(w.limit, used, (w.index + 1) * w.limit.windowMs, now);
  }
  return decision;
}

std::vector<RateCountDelta> SharedRateLimiter::beginSync() {
  const UnixMillis now = clock_.now();
  std::vector<RateCountDelta> batch;
  std::lock_guard lock(mutex_);
  syncWanted_ = false;
  for (Window& w : windows_) {
    const std::int64_t index = now / w.limit.windowMs;
    if (index != w.index) {
      w.index = index;
      w.entries.clear();
      continue;
    }
    for (auto& [key, e] : w.entries) {
      e.sent += e.local;
      batch.push_back(RateCountDelta{key, w.index * w.limit.windowMs, w.limit.windowMs, e.local});
      e.local = 0;
    }
  }
  return batch;
}

void SharedRateLimiter::finishSync(const std::vector<RateCountDelta>& batch,
                                   const Result<std::vector<std::int64_t>>& totals) {
  const bool ok = totals.ok() && totals->size() == batch.size();
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const RateCountDelta& d = batch[i];
    for (Window& w : windows_) {
      if (w.limit.windowMs != d.windowMs || w.index * w.limit.windowMs != d.windowStart) continue;
      const auto it = w.entries.find(d.key);
      if (it == w.entries.end()) continue;
      Entry& e = it->second;
      e.sent -= d.delta;
      if (ok) {
        // The shared total includes what this batch added; never below what
        // this process alone has counted.
        e.global = std::max(e.global + d.delta, (*totals)[i]);
        e.budget = budgetFor(e.requests, e.global + e.sent);
      } else {
        e.local += d.delta;  // unsent: the next sync carries it
      }
    }
  }
}

bool SharedRateLimiter::wantsSync() const {
  std::lock_guard lock(mutex_);
  return syncWanted_;
}

void SharedRateLimiter::onSyncWanted(std::function<void()> callback) {
  std::lock_guard lock(mutex_);
  onSyncWanted_ = std::move(callback);
}

}  // namespace ls::api
