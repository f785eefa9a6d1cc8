#include "store/sqlite/connection_pool.hpp"

#include <utility>

namespace ls::sqlite {

ConnectionPool::Lease::~Lease() {
  if (conn_ != nullptr) pool_->release(std::move(conn_));
}

ConnectionPool::ConnectionPool(std::filesystem::path file, ConnectionSettings settings, std::size_t maxConnections)
    : file_(std::move(file)), settings_(std::move(settings)), max_(maxConnections == 0 ? 1 : maxConnections) {
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
      // Opened read-only while the file was not writable (by a reader, which
      // did not notice): a fresh connection takes its slot.
      stale = std::move(conn);
    } else {
      ++opened_;  // reserve the slot; open outside the lock (it touches the disk)
    }
  }
  stale.reset();  // closing may touch the disk too
  Result<std::unique_ptr<Connection>> conn = Connection::open(file_, settings_);
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
  // Transaction guards end their transactions; this is the backstop so a
  // connection never goes back to the pool holding a lock or a snapshot.
  bool keep = conn->reusable();
  if (keep && conn->inTransaction()) keep = conn->exec("ROLLBACK", "rollback on release").isOk();
  if (!keep) {
    conn.reset();  // closing rolls back whatever is still open
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

}  // namespace ls::sqlite
