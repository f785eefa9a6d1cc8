#include "store/sqlite/connection.hpp"

#include <sqlite3.h>

#include <mutex>
#include <string>

#include "store/sqlite/errors.hpp"

namespace ls::sqlite {

void configureLibraryOnce() {
  // SQLite's memory statistics take one global mutex on every allocation;
  // under concurrent API reads that lock was a top source of thread switches
  // (bench/RESULTS.md, API observations). Nothing here reads those statistics.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

Result<std::unique_ptr<Connection>> Connection::open(const std::filesystem::path& file,
                                                     const ConnectionSettings& settings) {
  // NOMUTEX: the pool guarantees one thread per connection at a time.
  const int flags =
      (settings.readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX;
  configureLibraryOnce();
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &db, flags, settings.vfs.empty() ? nullptr : settings.vfs.c_str());
  if (rc != SQLITE_OK) {
    Status s = statusFromSqlite(rc, "open " + file.string(), db != nullptr ? sqlite3_errmsg(db) : "");
    sqlite3_close_v2(db);  // a handle is allocated even when opening fails
    return s;
  }
  std::unique_ptr<Connection> conn(new Connection(db, !settings.readOnly));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, settings.busyTimeoutMs);
  LS_RETURN_IF_ERROR(conn->exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;", "configure connection"));
  return conn;
}

Connection::~Connection() {
  cache_.clear();  // statements must be finalized before the connection closes
  sqlite3_close_v2(db_);
}

Result<StatementHandle> Connection::prepare(const NamedSql& q) {
  auto it = cache_.find(&q);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, q.sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return error(rc, q.name);
    it = cache_.emplace(&q, std::make_unique<Statement>(stmt, q.name)).first;
  }
  return StatementHandle(it->second.get());
}

Status Connection::exec(const char* sql, std::string_view what) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return error(rc, what);
  return Status::ok();
}

Status Connection::run(StatementHandle& s) {
  const int rc = s->step();
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::ok();
  return error(rc, s->name());
}

Result<bool> Connection::nextRow(StatementHandle& s) {
  const int rc = s->step();
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return error(rc, s->name());
}

std::int64_t Connection::changes() const {
  return sqlite3_changes64(db_);
}

std::int64_t Connection::totalChanges() const {
  return sqlite3_total_changes64(db_);
}

bool Connection::inTransaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

bool Connection::reusable() const {
  return !faulted_ && !(expectWritable_ && sqlite3_db_readonly(db_, "main") == 1);
}

Status Connection::error(int rc, std::string_view what) {
  if (isStorageFault(rc)) faulted_ = true;
  // A bind error (SQLITE_RANGE, SQLITE_TOOBIG) never reaches the connection's
  // error state, so its message comes from the code itself.
  const char* message = sqlite3_extended_errcode(db_) == rc ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  return statusFromSqlite(rc, what, message != nullptr ? message : "");
}

}  // namespace ls::sqlite
