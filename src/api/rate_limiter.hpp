// Fixed one-minute windows per key (an API key's hash, or a client IP).
// Thread-safe; O(1) per request under one short lock. Memory is bounded by
// the keys seen in the current window: older windows are dropped whole.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/time.hpp"
#include "http/response.hpp"

namespace ls::api {

struct RateDecision {
  bool allowed = true;
  std::int64_t limit = 0;
  std::int64_t remaining = 0;
  std::int64_t resetSeconds = 0;  // until the window ends
};

class RateLimiter {
 public:
  RateLimiter(const Clock& clock, std::int64_t perMinute) : clock_(clock), limit_(perMinute) {}

  RateDecision take(std::string_view key);

 private:
  const Clock& clock_;
  const std::int64_t limit_;
  std::mutex mutex_;
  std::int64_t window_ = -1;
  std::unordered_map<std::string, std::int64_t> counts_;
};

// X-RateLimit-Limit/Remaining/Reset on every limited response; Retry-After on 429.
void addRateLimitHeaders(http::Response& response, const RateDecision& decision);
// The 429 in the error envelope.
http::Response tooManyRequests(const RateDecision& decision);

}  // namespace ls::api
