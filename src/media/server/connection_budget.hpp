// Budgets for connections that have not been authorized to publish yet:
// anyone on the internet can open them, so their number (in all and per
// address) and the bytes they hold in half-received messages are capped,
// whatever the protocol. A session takes a Ticket when accepted and drops it
// once its publish is granted (or when it closes).
// Thread-safe: sessions on every media loop share one budget.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace ls::media_server {

struct ConnectionBudgetOptions {
  std::size_t maxConnections = 1000;       // not yet authorized, in all
  std::size_t maxPerAddress = 50;          // not yet authorized, from one address
  std::size_t maxHeldBytes = 64u << 20;    // in half-received messages across all of them
};

class ConnectionBudget {
 public:
  explicit ConnectionBudget(ConnectionBudgetOptions options = {}) : options_(options) {}

  class Ticket {
   public:
    Ticket() = default;
    Ticket(Ticket&& other) noexcept { *this = std::move(other); }
    Ticket& operator=(Ticket&& other) noexcept;
    ~Ticket() { release(); }

    // This connection now holds `bytes` in half-received messages. False
    // when that takes the budget over its cap (the share is not taken).
    bool hold(std::size_t bytes);
    // The connection was authorized or closed. Idempotent.
    void release();
    [[nodiscard]] bool active() const { return budget_ != nullptr; }

   private:
    friend class ConnectionBudget;
    Ticket(ConnectionBudget* budget, std::string address) : budget_(budget), address_(std::move(address)) {}
    ConnectionBudget* budget_ = nullptr;
    std::string address_;
    std::size_t held_ = 0;
  };

  // A ticket, or nothing when the global or the address's count is used up.
  std::optional<Ticket> admit(const std::string& address);

  [[nodiscard]] std::size_t connections() const;
  [[nodiscard]] std::size_t heldBytes() const;
  [[nodiscard]] std::size_t refused() const;
  [[nodiscard]] const ConnectionBudgetOptions& options() const { return options_; }

 private:
  const ConnectionBudgetOptions options_;
  mutable std::mutex mu_;
  std::size_t connections_ = 0;
  std::size_t heldBytes_ = 0;
  std::size_t refused_ = 0;
  std::unordered_map<std::string, std::size_t> perAddress_;
};

}  // namespace ls::media_server
