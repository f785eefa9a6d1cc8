// How a media plane's usage reaches the control plane (docs/platform.md
// "Usage metering"). UsageFlusher drains a usage::UsageMeter every interval
// into one batch with a fresh id and hands it to a UsageReporter: the Store
// (control/usage_service.hpp, embedded and API roles) or the API tier over
// the internal node API (`--role media`). A batch that was not acknowledged
// is sent again with the same id, before anything newer, so a retry never
// counts twice; what was counted meanwhile waits in the meter. Runs on a
// thread of its own, never a media loop; stop() flushes one last time.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>

#include "core/random.hpp"
#include "core/status.hpp"
#include "core/time.hpp"
#include "core/usage.hpp"

namespace ls::ingest {

class UsageReporter {
 public:
  virtual ~UsageReporter() = default;
  // OK once the batch is durably counted, whether by this call or an earlier
  // one with the same id; any error means "send it again".
  virtual Status report(const usage::UsageBatch& batch) = 0;
};

struct UsageFlushCounters {
  std::atomic<std::uint64_t> batches{0};   // acknowledged
  std::atomic<std::uint64_t> failures{0};  // attempts that failed (each is retried)
  std::atomic<std::uint64_t> rows{0};      // rows in acknowledged batches
};

class UsageFlusher {
 public:
  // meter, reporter and random must outlive the flusher.
  UsageFlusher(usage::UsageMeter& meter, UsageReporter& reporter, Random& random, std::chrono::milliseconds interval);
  ~UsageFlusher();
  UsageFlusher(const UsageFlusher&) = delete;
  UsageFlusher& operator=(const UsageFlusher&) = delete;

  void start();
  // Stops the thread after one last flush (what the media plane counted up to
  // now, so call it after the media plane stopped). Idempotent.
  void stop();
  // One flush on the caller's thread: the unacknowledged batch first, then
  // what the meter holds. OK when nothing is left unacknowledged.
  Status flushOnce();

  [[nodiscard]] const UsageFlushCounters& counters() const { return counters_; }

 private:
  void run();
  Status sendPending();

  usage::UsageMeter& meter_;
  UsageReporter& reporter_;
  Random& random_;
  const std::chrono::milliseconds interval_;
  std::mutex flushMu_;  // one flush at a time (the thread, stop(), tests)
  std::optional<usage::UsageBatch> pending_;
  bool failing_ = false;
  UsageFlushCounters counters_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace ls::ingest
