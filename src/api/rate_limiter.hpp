// Fixed windows per key (an API key's hash, or a client IP). A limiter holds
// one or more limits (partner keys: per minute and per hour), each counted in
// windows of its own length aligned to the epoch, so a minute window ends on
// the minute and an hour window on the hour.
// Thread-safe; O(limits) per request under one short lock. Memory is bounded
// by the keys seen in each limit's current window: older windows are dropped
// whole.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/model.hpp"
#include "core/time.hpp"
#include "http/response.hpp"

namespace ls::api {

inline constexpr std::int64_t kMinuteMs = 60'000;
inline constexpr std::int64_t kHourMs = 3'600'000;

struct RateLimit {
  std::int64_t requests = 0;  // per window, at least 1
  std::int64_t windowMs = kMinuteMs;
};

// What X-RateLimit-* show: with several limits, the one closest to running
// out (fewest remaining; on a tie the one whose window ends later). On a
// refusal that is an exhausted limit, so resetSeconds is when a request can
// pass again.
struct RateDecision {
  bool allowed = true;
  std::int64_t limit = 0;
  std::int64_t remaining = 0;
  std::int64_t resetSeconds = 0;  // until the window ends
};

// Builds what X-RateLimit-* show from a request's limits, one offer per
// limit: the one closest to running out (fewest remaining, then the later
// end, then the longer window when both end at once). Both limiters use it.
class ShownLimit {
 public:
  explicit ShownLimit(RateDecision& decision) : decision_(decision) {}
  void offer(const RateLimit& limit, std::int64_t used, UnixMillis windowEnd, UnixMillis now);

 private:
  RateDecision& decision_;
  UnixMillis shownEnd_ = 0;
  std::int64_t shownWindowMs_ = 0;
};

// A key's own number of requests for the limiter's window of windowMs (a
// project's limits, ProjectRateLimit), in place of the configured number.
struct RateOverride {
  std::int64_t windowMs = kMinuteMs;
  std::int64_t requests = 0;  // at least 1
};

// The overrides a project's own limits make (none when it has none).
std::vector<RateOverride> overridesFor(const std::optional<ProjectRateLimit>& limit);

// What the routes ask: LocalRateLimiter (this process's counts) or
// SharedRateLimiter (api/shared_rate_limiter.hpp, counts shared by every API
// process on one database).
class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // A request passes only while every limit has room, and then counts
  // against every limit. `overrides` replace the number of requests of the
  // windows they name, for this key (a window's count is kept either way,
  // so a changed limit applies to what the key already spent).
  RateDecision take(std::string_view key, std::span<const RateOverride> overrides = {}) {
    return decide(key, overrides);
  }
  // Whether take() would let a request of `key` pass now (configured limits),
  // without counting it: login throttling counts only failures, so it checks
  // first and takes on a failure.
  RateDecision check(std::string_view key) { return peek(key); }

 protected:
  virtual RateDecision decide(std::string_view key, std::span<const RateOverride> overrides) = 0;
  virtual RateDecision peek(std::string_view key) = 0;
  // The requests per window of `limit` for a key with these overrides.
  static RateLimit effective(const RateLimit& limit, std::span<const RateOverride> overrides);
};

class LocalRateLimiter final : public RateLimiter {
 public:
  // limits: at least one.
  LocalRateLimiter(const Clock& clock, std::vector<RateLimit> limits);
  LocalRateLimiter(const Clock& clock, std::int64_t perMinute)
      : LocalRateLimiter(clock, {RateLimit{perMinute, kMinuteMs}}) {}

  using RateLimiter::take;

 protected:
  RateDecision decide(std::string_view key, std::span<const RateOverride> overrides) override;
  RateDecision peek(std::string_view key) override;

 private:
  struct Window {
    RateLimit limit;
    std::int64_t index = -1;  // which window (now / windowMs) counts holds
    std::unordered_map<std::string, std::int64_t> counts;
  };

  const Clock& clock_;
  std::mutex mutex_;
  std::vector<Window> windows_;
};

// X-RateLimit-Limit/Remaining/Reset on every limited response; Retry-After on 429.
void addRateLimitHeaders(http::Response& response, const RateDecision& decision);
// The 429 in the error envelope.
http::Response tooManyRequests(const RateDecision& decision);

}  // namespace ls::api
