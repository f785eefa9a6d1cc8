#include "api/rate_limiter.hpp"

#include <algorithm>
#include <cassert>

namespace ls::api {

LocalRateLimiter::LocalRateLimiter(const Clock& clock, std::vector<RateLimit> limits) : clock_(clock) {
  assert(!limits.empty());
  windows_.reserve(limits.size());
  for (const RateLimit& limit : limits) {
    assert(limit.requests >= 1 && limit.windowMs >= 1000);
    windows_.push_back(Window{limit, -1, {}});
  }
}

std::vector<RateOverride> overridesFor(const std::optional<ProjectRateLimit>& limit) {
  if (!limit) return {};
  return {RateOverride{kMinuteMs, limit->perMinute}, RateOverride{kHourMs, limit->perHour}};
}

RateLimit RateLimiter::effective(const RateLimit& limit, std::span<const RateOverride> overrides) {
  for (const RateOverride& o : overrides) {
    if (o.windowMs == limit.windowMs && o.requests >= 1) return RateLimit{o.requests, limit.windowMs};
  }
  return limit;
}

RateDecision LocalRateLimiter::decide(std::string_view key, std::span<const RateOverride> overrides) {
  const UnixMillis now = clock_.now();
  const std::string k(key);
  std::lock_guard lock(mutex_);
  bool allowed = true;
  for (Window& w : windows_) {
    const std::int64_t index = now / w.limit.windowMs;
    if (index != w.index) {
      w.index = index;
      w.counts.clear();
    }
    const auto it = w.counts.find(k);
    if (it != w.counts.end() && it->second >= effective(w.limit, overrides).requests) allowed = false;
  }
  // A refused request counts against no limit: a client held back by the
  // minute limit keeps its hourly budget for when the minute ends (otherwise
  // retrying through a busy minute would spend the hour), and a refusal by the
  // hour limit does not shorten the next minute either.
  RateDecision decision;
  decision.allowed = allowed;
  ShownLimit shown(decision);
  for (Window& w : windows_) {
    std::int64_t count = 0;
    if (allowed) {
      count = ++w.counts[k];
    } else if (const auto it = w.counts.find(k); it != w.counts.end()) {
      count = it->second;
    }
    shown.offer(effective(w.limit, overrides), count, (w.index + 1) * w.limit.windowMs, now);
  }
  return decision;
}

RateDecision LocalRateLimiter::peek(std::string_view key) {
  const UnixMillis now = clock_.now();
  const std::string k(key);
  std::lock_guard lock(mutex_);
  RateDecision decision;
  ShownLimit shown(decision);
  for (Window& w : windows_) {
    const std::int64_t index = now / w.limit.windowMs;
    if (index != w.index) {
      w.index = index;
      w.counts.clear();
    }
    const auto it = w.counts.find(k);
    const std::int64_t used = it == w.counts.end() ? 0 : it->second;
    if (used >= w.limit.requests) decision.allowed = false;
    shown.offer(w.limit, used, (w.index + 1) * w.limit.windowMs, now);
  }
  return decision;
}

void addRateLimitHeaders(http::Response& response, const RateDecision& decision) {
  response.header("X-RateLimit-Limit", std::to_string(decision.limit));
  response.header("X-RateLimit-Remaining", std::to_string(decision.remaining));
  response.header("X-RateLimit-Reset", std::to_string(decision.resetSeconds));
}

http::Response tooManyRequests(const RateDecision& decision) {
  http::Response response = http::errorResponse(429, "ThrottlerException: Too Many Requests");
  addRateLimitHeaders(response, decision);
  response.header("Retry-After", std::to_string(decision.resetSeconds));
  return response;
}

void ShownLimit::offer(const RateLimit& limit, std::int64_t used, UnixMillis windowEnd, UnixMillis now) {
  const std::int64_t remaining = std::max<std::int64_t>(0, limit.requests - used);
  const bool closer = shownWindowMs_ == 0 || remaining < decision_.remaining ||
                      (remaining == decision_.remaining &&
                       (windowEnd > shownEnd_ || (windowEnd == shownEnd_ && limit.windowMs > shownWindowMs_)));
  if (!closer) return;
  decision_.limit = limit.requests;
  decision_.remaining = remaining;
  decision_.resetSeconds = std::max<std::int64_t>(1, (windowEnd - now + 999) / 1000);
  shownEnd_ = windowEnd;
  shownWindowMs_ = limit.windowMs;
}

}  // namespace ls::api
