// The thread that syncs a SharedRateLimiter with the Store's shared counters:
// every `interval`, and at once when a key spends its local budget
// (SharedRateLimiter::onSyncWanted), it sends the local counts
// (Store::addRateCounts) and hands the totals back. Once a minute it purges
// counters of windows that have ended. Requests never wait for it.
// A database that cannot be reached is logged once (and once more when it
// answers again); meanwhile the limiter decides on its local view.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "api/shared_rate_limiter.hpp"
#include "store/store.hpp"

namespace ls::api {

class RateCountSync {
 public:
  RateCountSync(SharedRateLimiter& limiter, Store& store, const Clock& clock, std::chrono::milliseconds interval);
  // Stops the thread. Requests must have stopped taking from the limiter by
  // then (ServerApp stops the HTTP server first): a request that has just
  // asked for a sync would call into this object.
  ~RateCountSync();
  RateCountSync(const RateCountSync&) = delete;
  RateCountSync& operator=(const RateCountSync&) = delete;

  // One sync now, on the caller's thread (the loop, and tests). Returns the
  // store's answer.
  Status syncOnce();

 private:
  void run();

  SharedRateLimiter& limiter_;
  Store& store_;
  const Clock& clock_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool wanted_ = false;
  bool stop_ = false;
  bool failing_ = false;  // the last sync failed (logged once)
  UnixMillis lastPurge_ = 0;
  std::thread thread_;
};

}  // namespace ls::api
