// The answer channel of a parked request (Router::addDeferred): a handler that
// cannot answer yet hands its Responder to whoever will answer, and returns;
// the connection waits without holding a thread, and writes the answer on its
// own loop whenever, and from whichever thread, send() is called.
//
// Copies share one request. Exactly one answer counts: the first of send(),
// the route's timeout, and the connection going away (cancel()). A send()
// after that returns false and does nothing, so a waker never needs to know
// whether its waiter is still there.
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include "http/response.hpp"

namespace ls::http {

class Responder {
 public:
  // Where the answer goes; called at most once, on the thread of send().
  using Deliver = std::function<void(Response)>;

  explicit Responder(Deliver deliver);

  // Answers the request; any thread. False when it was already answered,
  // timed out, or its connection is gone.
  bool send(Response response) const;
  // Ends the wait without an answer (the connection timed out or closed).
  // True when it was still pending.
  bool cancel() const noexcept;
  // False once answered or cancelled: a waiter list may drop this responder.
  [[nodiscard]] bool pending() const noexcept;

 private:
  struct State {
    std::atomic<bool> done{false};
    Deliver deliver;  // set once, before the handler sees the responder
  };
  std::shared_ptr<State> state_;
};

}  // namespace ls::http
