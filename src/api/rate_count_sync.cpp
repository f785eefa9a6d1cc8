#include "api/rate_count_sync.hpp"

#include <spdlog/spdlog.h>

namespace ls::api {

namespace {
constexpr std::int64_t kPurgeEveryMs = 60'000;
}  // namespace

RateCountSync::RateCountSync(SharedRateLimiter& limiter, Store& store, const Clock& clock,
                             std::chrono::milliseconds interval)
    : limiter_(limiter), store_(store), clock_(clock), interval_(interval) {
  limiter_.onSyncWanted([this] {
    {
      std::lock_guard lock(mutex_);
      wanted_ = true;
    }
    wake_.notify_one();
  });
  thread_ = std::thread([this] { run(); });
}

RateCountSync::~RateCountSync() {
  limiter_.onSyncWanted(nullptr);
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

Status RateCountSync::syncOnce() {
  const std::vector<RateCountDelta> batch = limiter_.beginSync();
  Result<std::vector<std::int64_t>> totals = store_.addRateCounts(batch);
  limiter_.finishSync(batch, totals);
  Status status = totals.status();
  const UnixMillis now = clock_.now();
  if (status.isOk() && now - lastPurge_ >= kPurgeEveryMs) {
    lastPurge_ = now;
    // Rows of windows that ended a minute ago or more: no process counts them.
    status = store_.purgeRateCounts(now - kPurgeEveryMs).status();
  }
  if (!status.isOk() && !failing_) {
    spdlog::warn("rate limits: shared counters unavailable, deciding on this process's counts until they answer: {}",
                 status.message());
  } else if (status.isOk() && failing_) {
    spdlog::info("rate limits: shared counters answer again");
  }
  failing_ = !status.isOk();
  return status;
}

void RateCountSync::run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, interval_, [this] { return stop_ || wanted_; });
    if (stop_) break;
    wanted_ = false;
    lock.unlock();
    (void)syncOnce();
    lock.lock();
  }
}

}  // namespace ls::api
