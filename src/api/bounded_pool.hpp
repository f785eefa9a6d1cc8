// A small fixed pool of worker threads with a bounded queue, for work that
// must never run on an event loop and must not pile up without bound:
// logins (argon2id costs tens of ms of CPU and ~19 MiB each). When the queue
// is full, submit() refuses at once and the caller answers 503 + Retry-After
// instead of queueing more memory and latency.
//
// Threading: submit() from any thread; jobs run on the pool's threads. The
// destructor calls stop().
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ls::api {

class BoundedPool {
 public:
  // threads >= 1, capacity >= 1: jobs waiting (not counting running ones).
  BoundedPool(std::size_t threads, std::size_t capacity);
  ~BoundedPool();
  BoundedPool(const BoundedPool&) = delete;
  BoundedPool& operator=(const BoundedPool&) = delete;

  // False (and `job` dropped) when the queue is full or the pool is stopping.
  bool submit(std::function<void()> job);
  // Stops taking jobs, finishes the queued ones and joins; idempotent. Call
  // before whatever the jobs answer through goes away (the HTTP server).
  void stop();

 private:
  void run();

  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ls::api
