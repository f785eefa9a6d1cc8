// A transaction on one connection that rolls back unless committed.
#pragma once

#include "core/status.hpp"
#include "store/sqlite/connection.hpp"

namespace ls::sqlite {

class Transaction {
 public:
  // kRead: BEGIN (deferred), a consistent snapshot for several SELECTs.
  // kWrite: BEGIN IMMEDIATE, takes the write lock up front (waiting up to
  // busy_timeout), so a read-then-write never fails midway with
  // SQLITE_BUSY_SNAPSHOT when another process wrote in between.
  enum class Kind { kRead, kWrite };

  // `what` names the operation for errors of BEGIN and COMMIT.
  static Result<Transaction> begin(Connection& conn, Kind kind, const char* what);
  ~Transaction();
  Transaction(Transaction&& o) noexcept : conn_(o.conn_), what_(o.what_) { o.conn_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // On failure the transaction is rolled back (by SQLite or by the destructor).
  Status commit();

 private:
  Transaction(Connection* conn, const char* what) noexcept : conn_(conn), what_(what) {}

  Connection* conn_;  // null once committed or moved from
  const char* what_;
};

}  // namespace ls::sqlite
