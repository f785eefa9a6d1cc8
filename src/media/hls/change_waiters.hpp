// Readers waiting for a stream to change, without holding a thread: the HTTP
// origin parks a playlist request here while the stream has nothing to show
// yet, and the packager's publish wakes it.
//
// Threads: waiters are added from HTTP loops and woken on the writer's thread
// (a media loop or a transcoder). A wake runs outside the lock, so it may look
// at the stream and wait again. No clocks here: how long a reader waits is
// its own business (the HTTP connection's timer); a waiter it gave up on says
// so through `abandoned` and is dropped without being woken.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace ls::hls {

class ChangeWaiters {
 public:
  struct Waiter {
    std::function<void()> wake;       // runs once, on the thread that saw the change
    std::function<bool()> abandoned;  // optional; true: nobody needs the wake any more
  };

  // Bumped by every change. A reader takes it before looking at the stream,
  // then passes it to waitPast(), so a change between the look and the wait
  // is not missed.
  [[nodiscard]] std::uint64_t version() const;
  // Wakes `waiter` once the version has moved past `seen`: at once, on this
  // thread, if it already has; otherwise on the thread of the next notify().
  void waitPast(std::uint64_t seen, Waiter waiter);
  // A change: bumps the version and wakes every waiter registered so far
  // (outside the lock; waiters it wakes may register again for the next one).
  void notify();
  // Waiters registered and not yet woken, abandoned ones included until pruned.
  [[nodiscard]] std::size_t size() const;
  // Waiters registered and not yet woken nor abandoned (asks each; for metrics).
  [[nodiscard]] std::size_t pending() const;

 private:
  mutable std::mutex mu_;
  std::uint64_t version_ = 0;
  std::vector<Waiter> waiters_;
  // Abandoned waiters are pruned when the list reaches this size, which then
  // doubles from what is left: O(1) amortised per wait, and a stream that never
  // publishes holds at most twice the readers actually waiting.
  std::size_t pruneAt_ = kMinPruneAt;
  static constexpr std::size_t kMinPruneAt = 16;
};

}  // namespace ls::hls
