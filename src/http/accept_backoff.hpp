// What an acceptor does after accept() failed: wait before trying again, and
// say so in the log now and then. Without it, a process out of file
// descriptors (EMFILE, ENFILE) spins: the pending connection stays in the
// backlog, so the listening socket stays readable and every retry fails at
// once, burning a core and flooding the log. nginx and libuv pause the same way.
//
// Pure: the caller passes the time, so tests drive it with made-up instants.
// Not thread-safe; one per listener, used on the listener's loop. The HTTP
// server uses it; the RTMP acceptor is meant to.
#pragma once

#include <chrono>
#include <cstddef>

namespace ls::http {

class AcceptBackoff {
 public:
  using Clock = std::chrono::steady_clock;

  struct Options {
    std::chrono::milliseconds initialDelay{10};  // after the first failure in a row
    std::chrono::milliseconds maxDelay{1000};    // doubling stops here
    std::chrono::milliseconds logInterval{1000};  // at most one log line per interval
  };

  struct Decision {
    std::chrono::milliseconds wait;  // before the next accept()
    bool log = false;                // write one line for this failure
    std::size_t suppressed = 0;      // when logging: failures left unlogged since the last line
  };

  AcceptBackoff() = default;
  explicit AcceptBackoff(Options options) : options_(options) {}

  // accept() failed at `now`.
  Decision onFailure(Clock::time_point now);
  // accept() succeeded: the next failure waits initialDelay again. The log
  // limit stays, so failures alternating with successes cannot flood the log.
  void onSuccess() noexcept { nextDelay_ = options_.initialDelay; }

  [[nodiscard]] std::chrono::milliseconds nextDelay() const noexcept { return nextDelay_; }

 private:
  Options options_;
  std::chrono::milliseconds nextDelay_{options_.initialDelay};
  bool loggedBefore_ = false;
  Clock::time_point lastLog_{};
  std::size_t suppressed_ = 0;
};

}  // namespace ls::http
