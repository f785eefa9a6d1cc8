#include "media/hls/change_waiters.hpp"

#include <algorithm>
#include <utility>

namespace ls::hls {

std::uint64_t ChangeWaiters::version() const {
  std::lock_guard lock(mu_);
  return version_;
}

void ChangeWaiters::waitPast(std::uint64_t seen, Waiter waiter) {
  if (!waiter.wake) return;
  {
    std::lock_guard lock(mu_);
    if (version_ == seen) {
      if (waiters_.size() >= pruneAt_) {
        std::erase_if(waiters_, [](const Waiter& w) { return w.abandoned && w.abandoned(); });
        pruneAt_ = std::max(kMinPruneAt, 2 * waiters_.size());
      }
      waiters_.push_back(std::move(waiter));
      return;
    }
  }
  waiter.wake();
}

void ChangeWaiters::notify() {
  std::vector<Waiter> woken;
  {
    std::lock_guard lock(mu_);
    ++version_;
    woken.swap(waiters_);
    pruneAt_ = kMinPruneAt;
  }
  for (Waiter& w : woken) {
    if (!w.abandoned || !w.abandoned()) w.wake();
  }
}

std::size_t ChangeWaiters::size() const {
  std::lock_guard lock(mu_);
  return waiters_.size();
}

std::size_t ChangeWaiters::pending() const {
  std::lock_guard lock(mu_);
  return static_cast<std::size_t>(
      std::count_if(waiters_.begin(), waiters_.end(), [](const Waiter& w) { return !w.abandoned || !w.abandoned(); }));
}

}  // namespace ls::hls
