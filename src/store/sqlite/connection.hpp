// One SQLite connection with its prepared-statement cache. Not thread-safe:
// a connection is used by one thread at a time (ConnectionPool hands it out),
// which is why it is opened with SQLITE_OPEN_NOMUTEX.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.hpp"
#include "store/sqlite/statement.hpp"

struct sqlite3;

namespace ls::sqlite {

struct ConnectionSettings {
  int busyTimeoutMs = 5000;
  bool readOnly = false;  // SQLITE_OPEN_READONLY; otherwise read-write, created if missing
  std::string vfs;        // a registered SQLite VFS by name (tests: FaultVfs); empty = the default
};

// Process-wide SQLite settings that must precede the library's initialization;
// every path that may initialize it (opening, registering a VFS) calls this first.
void configureLibraryOnce();

class Connection {
 public:
  // Opens (creating unless read-only) and applies the per-connection pragmas:
  // busy_timeout, foreign_keys=ON, synchronous=NORMAL.
  static Result<std::unique_ptr<Connection>> open(const std::filesystem::path& file,
                                                  const ConnectionSettings& settings);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The cached prepared form of `q`, prepared on first use.
  Result<StatementHandle> prepare(const NamedSql& q);
  // Runs SQL text that may hold several statements (pragmas, migrations); not cached.
  Status exec(const char* sql, std::string_view what);
  // Steps a statement that returns no rows (INSERT/UPDATE/DELETE).
  Status run(StatementHandle& s);
  // Steps to the next row: true for a row, false at the end.
  Result<bool> nextRow(StatementHandle& s);
  // Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  [[nodiscard]] std::int64_t changes() const;
  // Rows changed by every INSERT/UPDATE/DELETE since the connection opened
  // (rolled-back ones included).
  [[nodiscard]] std::int64_t totalChanges() const;
  // True while a transaction is open (SQLite may roll one back by itself on
  // BUSY/FULL/IOERR, so the guard asks instead of assuming).
  [[nodiscard]] bool inTransaction() const;
  // Maps `rc` to a Status carrying this connection's error message, and
  // remembers a storage fault (see reusable()).
  [[nodiscard]] Status error(int rc, std::string_view what);
  // False once this connection met a storage fault (read-only, disk full, I/O
  // error, cannot open), or when it should write but SQLite opened the file
  // read-only (it does so silently when the file is not writable at open time,
  // and the handle stays read-only for its whole life). The pool closes such a
  // connection instead of lending it again, so writes work as soon as the disk does.
  [[nodiscard]] bool reusable() const;

 private:
  Connection(sqlite3* db, bool expectWritable) : db_(db), expectWritable_(expectWritable) {}

  sqlite3* db_;
  const bool expectWritable_;
  bool faulted_ = false;
  std::unordered_map<const NamedSql*, std::unique_ptr<Statement>> cache_;
};

}  // namespace ls::sqlite
