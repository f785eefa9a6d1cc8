#include "http/responder.hpp"

#include <utility>

namespace ls::http {

Responder::Responder(Deliver deliver) : state_(std::make_shared<State>()) {
  state_->deliver = std::move(deliver);
}

bool Responder::send(Response response) const {
  if (state_->done.exchange(true, std::memory_order_acq_rel)) return false;
  if (state_->deliver) state_->deliver(std::move(response));
  return true;
}

bool Responder::cancel() const noexcept {
  return !state_->done.exchange(true, std::memory_order_acq_rel);
}

bool Responder::pending() const noexcept {
  return !state_->done.load(std::memory_order_acquire);
}

}  // namespace ls::http
