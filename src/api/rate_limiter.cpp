#include "api/rate_limiter.hpp"

#include <algorithm>

namespace ls::api {

namespace {
constexpr std::int64_t kWindowMs = 60'000;
}

RateDecision RateLimiter::take(std::string_view key) {
  const UnixMillis now = clock_.now();
  const std::int64_t window = now / kWindowMs;
  RateDecision decision;
  decision.limit = limit_;
  decision.resetSeconds = std::max<std::int64_t>(1, ((window + 1) * kWindowMs - now + 999) / 1000);
  std::lock_guard lock(mutex_);
  if (window != window_) {
    window_ = window;
    counts_.clear();
  }
  auto [it, inserted] = counts_.try_emplace(std::string(key), 0);
  if (it->second >= limit_) {
    decision.allowed = false;
    decision.remaining = 0;
    return decision;
  }
  ++it->second;
  decision.remaining = limit_ - it->second;
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

}  // namespace ls::api
