// A small pool of connections to one database file: one connection per
// concurrent caller, opened lazily, capped. Thread-safe.
//
// Why a pool and not one connection behind a mutex: in WAL mode readers never
// block each other or the writer, so API reads (lists, lookups on publish)
// run in parallel and are not queued behind a write that is itself waiting up
// to busy_timeout for another process (the admin CLI) to release the lock.
// Writers are serialized by SqliteStore before they take a connection, so the
// pool's connections do not busy-poll each other for the write lock.
//
// A connection that met a storage fault, or that SQLite opened read-only
// because the file was not writable at the time, is closed instead of being
// lent again (Connection::reusable()), and the next caller opens a fresh one:
// writes work again as soon as the disk does, without a restart.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "core/status.hpp"
#include "store/sqlite/connection.hpp"

namespace ls::sqlite {

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

  ConnectionPool(std::filesystem::path file, ConnectionSettings settings, std::size_t maxConnections);

  // Blocks while `maxConnections` are on loan. Fails only when a new
  // connection cannot be opened.
  Result<Lease> acquire();

 private:
  void release(std::unique_ptr<Connection> conn) noexcept;

  const std::filesystem::path file_;
  const ConnectionSettings settings_;
  const std::size_t max_;
  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
  std::size_t opened_ = 0;                         // guarded by mu_: idle + on loan + being opened
};

}  // namespace ls::sqlite
