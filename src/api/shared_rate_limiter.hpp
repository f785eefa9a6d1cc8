// Partner rate limits that hold across several API processes on one
// database, without a database round trip per request.
//
// SharedRateLimiter is sans-IO: it decides each request in memory on
//   globalTotalAtLastSync + sentNotYetAnswered + localSinceSync
// and hands out, on demand, the local counts to add to the shared counter
// (Store::addRateCounts, through RateCountSync) together with a zero-delta
// read of every other key active in the window, so it learns what the other
// processes spent. Totals that come back replace the global view.
//
// Near the limit a key must sync more often: after each sync a key gets a
// local budget of max(1, remaining / (2 * activeNodes)); the request that
// spends it asks for a sync (wantsSync(), onSyncWanted callback). The sync
// itself always runs on the sync thread, never on the request: a request
// never waits on the database, and what the bound costs is that a node may
// pass up to (budget + requests during one sync round trip) beyond the
// shared total, which near the limit is 1 + a round trip's worth per node.
// With the default period (250 ms) and budgets, 2-4 nodes stay well within
// 10 % over the limit for limits of 100 and above (unit-tested).
//
// When a sync fails, the sent counts return to the local ones and requests
// keep being decided on the last known global total plus the local count:
// the limiter fails open to its local view and never fails a request.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "api/rate_limiter.hpp"
#include "core/status.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace ls::api {

class SharedRateLimiter final : public RateLimiter {
 public:
  // activeNodes: how many API processes share the counter (at least 1); it
  // sizes the local budgets.
  SharedRateLimiter(const Clock& clock, std::vector<RateLimit> limits, std::int64_t activeNodes);

  using RateLimiter::take;

  // The batch for one sync: each active key's unsent count per current
  // window (0 for keys with nothing new, to read the others' spending).
  // Marks those counts as sent until finishSync().
  std::vector<RateCountDelta> beginSync();
  // The totals for the batch of the last beginSync(), in its order, or the
  // error that kept it from the database (then the sent counts are local
  // again and will be sent by the next sync).
  void finishSync(const std::vector<RateCountDelta>& batch, const Result<std::vector<std::int64_t>>& totals);

  // Whether some key spent its local budget since the last sync.
  [[nodiscard]] bool wantsSync() const;
  // Called (on the request thread, under no lock) when a request makes
  // wantsSync() true; the sync thread's wake-up.
  void onSyncWanted(std::function<void()> callback);

 protected:
  RateDecision decide(std::string_view key, std::span<const RateOverride> overrides) override;
  RateDecision peek(std::string_view key) override;

 private:
  struct Entry {
    std::int64_t global = 0;  // the shared total at the last sync (ours included)
    std::int64_t sent = 0;    // sent in the sync under way
    std::int64_t local = 0;   // taken since
    std::int64_t budget = 1;  // local count that asks for a sync
    std::int64_t requests = 0;  // the key's limit in this window, as of its last request
  };
  struct Window {
    RateLimit limit;
    std::int64_t index = -1;
    std::map<std::string, Entry, std::less<>> entries;
  };

  std::int64_t budgetFor(std::int64_t requests, std::int64_t global) const;

  const Clock& clock_;
  const std::int64_t activeNodes_;
  mutable std::mutex mutex_;
  std::vector<Window> windows_;
  bool syncWanted_ = false;
  std::function<void()> onSyncWanted_;
};

}  // namespace ls::api
