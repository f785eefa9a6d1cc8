#include "store/sqlite/transaction.hpp"

namespace ls::sqlite {

Result<Transaction> Transaction::begin(Connection& conn, Kind kind, const char* what) {
  LS_RETURN_IF_ERROR(conn.exec(kind == Kind::kWrite ? "BEGIN IMMEDIATE" : "BEGIN", what));
  return Transaction(&conn, what);
}

Transaction::~Transaction() {
  // SQLite rolls back by itself after some errors (BUSY, FULL, IOERR); a
  // second ROLLBACK would only fail with "no transaction is active".
  if (conn_ != nullptr && conn_->inTransaction()) {
    (void)conn_->exec("ROLLBACK", "rollback");
  }
}

Status Transaction::commit() {
  Connection* conn = conn_;
  Status s = conn->exec("COMMIT", what_);
  if (s.isOk()) conn_ = nullptr;
  return s;
}

}  // namespace ls::sqlite
