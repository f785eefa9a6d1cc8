#include "http/accept_backoff.hpp"

#include <algorithm>

namespace ls::http {

AcceptBackoff::Decision AcceptBackoff::onFailure(Clock::time_point now) {
  Decision decision;
  decision.wait = nextDelay_;
  nextDelay_ = std::min(nextDelay_ * 2, options_.maxDelay);
  if (!loggedBefore_ || now - lastLog_ >= options_.logInterval) {
    decision.log = true;
    decision.suppressed = suppressed_;
    loggedBefore_ = true;
    lastLog_ = now;
    suppressed_ = 0;
  } else {
    ++suppressed_;
  }
  return decision;
}

}  // namespace ls::http
