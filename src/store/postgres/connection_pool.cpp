#include "store/postgres/connection_pool.hpp"

#include <utility>

namespace ls::postgres {

ConnectionPool::Lease::~Lease() {
  if (conn_ != nullptr) pool_->release(std::move(conn_));
}

ConnectionPool::ConnectionPool(ConnectionSettings settings, std::size_t maxConnections)
    : settings_(std::move(settings)), max_(maxConnections == 0 ? 1 : maxConnections) {
  idle_.reserve(max_);  // release() is noexcept: returning a connection never allocates
}

Result<ConnectionPool::Lease> ConnectionPool::acquire() {
  std::unique_ptr<Connection> stale;
  {
    std::unique_lock lock(mu_);
    available_.wait(lock, [&] { return !idle_.empty() || opened_ < max_; });
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      if (conn->reusable()) return Lease(this, std::move(conn));
      stale = std::move(conn);  // its slot goes to a fresh connection
    } else {
      ++opened_;  // reserve the slot; connect outside the lock (it waits on the network)
    }
  }
  stale.reset();
  Result<std::unique_ptr<Connection>> conn = Connection::open(settings_);
  if (!conn.ok()) {
    {
      std::lock_guard lock(mu_);
      --opened_;
    }
    available_.notify_one();
    return conn.status();
  }
  return Lease(this, std::move(conn).value());
}

void ConnectionPool::release(std::unique_ptr<Connection> conn) noexcept {
  // The store ends its transactions; this is the backstop so a connection
  // never goes back to the pool inside one (holding locks or a snapshot).
  bool keep = conn->reusable();
  if (keep && conn->inTransaction()) keep = conn->exec("ROLLBACK", "rollback on release").ok();
  if (!keep) {
    conn.reset();
    {
      std::lock_guard lock(mu_);
      --opened_;
    }
    available_.notify_one();
    return;
  }
  {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(conn));
  }
  available_.notify_one();
}

}  // namespace ls::postgres
