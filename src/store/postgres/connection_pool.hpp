// A small pool of libpq connections to one database: one per concurrent
// caller, opened lazily, capped. Thread-safe.
//
// A connection that was lost (the server restarted, the network dropped, an
// administrator terminated it) is closed instead of being lent again
// (Connection::reusable()): the call that met the loss fails with
// kUnavailable, and the next caller gets a freshly opened connection, so the
// store recovers by itself once the server is back.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "core/status.hpp"
#include "store/postgres/connection.hpp"

namespace ls::postgres {

class ConnectionPool {
 public:
  // A connection on loan; returned to the pool when the lease dies.
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Connection> conn) noexcept : pool_(pool), conn_(std::move(conn)) {}
    ~Lease();
    Lease(Lease&& o) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    Connection& operator*() const noexcept { return *conn_; }
    Connection* operator->() const noexcept { return conn_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  ConnectionPool(ConnectionSettings settings, std::size_t maxConnections);

  // Blocks while `maxConnections` are on loan. Fails (kUnavailable) only
  // when a new connection cannot be opened.
  Result<Lease> acquire();

 private:
  void release(std::unique_ptr<Connection> conn) noexcept;

  const ConnectionSettings settings_;
  const std::size_t max_;
  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
  std::size_t opened_ = 0;                         // guarded by mu_: idle + on loan + being opened
};

}  // namespace ls::postgres
