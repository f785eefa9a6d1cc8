#include "media/server/connection_budget.hpp"

namespace ls::media_server {

ConnectionBudget::Ticket& ConnectionBudget::Ticket::operator=(Ticket&& other) noexcept {
  if (this == &other) return *this;
  release();
  budget_ = other.budget_;
  address_ = std::move(other.address_);
  held_ = other.held_;
  other.budget_ = nullptr;
  other.held_ = 0;
  return *this;
}

bool ConnectionBudget::Ticket::hold(std::size_t bytes) {
  if (budget_ == nullptr) return true;
  std::lock_guard lock(budget_->mu_);
  const std::size_t others = budget_->heldBytes_ - held_;
  if (bytes > held_ && others + bytes > budget_->options_.maxHeldBytes) return false;
  budget_->heldBytes_ = others + bytes;
  held_ = bytes;
  return true;
}

void ConnectionBudget::Ticket::release() {
  if (budget_ == nullptr) return;
  {
    std::lock_guard lock(budget_->mu_);
    budget_->heldBytes_ -= held_;
    --budget_->connections_;
    auto it = budget_->perAddress_.find(address_);
    if (it != budget_->perAddress_.end() && --it->second == 0) budget_->perAddress_.erase(it);
  }
  budget_ = nullptr;
  held_ = 0;
}

std::optional<ConnectionBudget::Ticket> ConnectionBudget::admit(const std::string& address) {
  std::lock_guard lock(mu_);
  auto& fromAddress = perAddress_[address];
  if (connections_ >= options_.maxConnections || fromAddress >= options_.maxPerAddress) {
    if (fromAddress == 0) perAddress_.erase(address);
    ++refused_;
    return std::nullopt;
  }
  ++fromAddress;
  ++connections_;
  return Ticket(this, address);
}

std::size_t ConnectionBudget::connections() const {
  std::lock_guard lock(mu_);
  return connections_;
}

std::size_t ConnectionBudget::heldBytes() const {
  std::lock_guard lock(mu_);
  return heldBytes_;
}

std::size_t ConnectionBudget::refused() const {
  std::lock_guard lock(mu_);
  return refused_;
}

}  // namespace ls::media_server
