// When a transcoder that cannot keep up sheds a rendition (SPEC §5: "if the
// machine cannot keep up, the ladder degrades"). Pure: fed the lag of each
// item it processes (how long the item waited in the queue, wall clock) and
// the time, it answers "shed one now". The caller sheds the most expensive
// rendition still running.
//
// Lag is measured in wall time, not media time: a timestamp jump in the
// source would otherwise look like minutes of backlog. After a shed the
// backlog needs a while to drain, so the next shed waits another maxLagMs and
// happens only if the lag is still over the bound then; a transcoder whose
// load fell below real time has its lag shrinking by then.
#pragma once

#include <cstdint>

namespace ls::abr {

class DegradePolicy {
 public:
  explicit DegradePolicy(std::int64_t maxLagMs) : maxLagMs_(maxLagMs > 0 ? maxLagMs : 1) {}

  // lagMs: how long the item now being processed waited; nowMs: steady clock.
  bool shouldShed(std::int64_t lagMs, std::int64_t nowMs) {
    if (lagMs <= maxLagMs_) return false;
    if (shedBefore_ && nowMs - lastShedMs_ < maxLagMs_) return false;
    shedBefore_ = true;
    lastShedMs_ = nowMs;
    return true;
  }

  [[nodiscard]] std::int64_t maxLagMs() const { return maxLagMs_; }

 private:
  std::int64_t maxLagMs_;
  bool shedBefore_ = false;
  std::int64_t lastShedMs_ = 0;
};

}  // namespace ls::abr
