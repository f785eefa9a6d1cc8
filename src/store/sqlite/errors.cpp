#include "store/sqlite/errors.hpp"

#include <sqlite3.h>

#include <string>

namespace ls::sqlite {

namespace {

std::string describe(std::string_view cause, std::string_view what, std::string_view detail) {
  std::string m(cause);
  if (!what.empty()) {
    m += " (";
    m += what;
    m += ')';
  }
  if (!detail.empty() && detail != cause) {
    m += ": ";
    m += detail;
  }
  return m;
}

}  // namespace

Status statusFromSqlite(int extendedCode, std::string_view what, std::string_view detail) {
  const int primary = extendedCode & 0xff;
  switch (primary) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE: return Status::ok();
    // BUSY arrives only after the busy timeout has run out (another process or
    // connection holds the write lock); LOCKED is the same within a process.
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return unavailable(describe("database is locked", what, detail));
    case SQLITE_READONLY: return unavailable(describe("database is read-only", what, detail));
    case SQLITE_CANTOPEN: return unavailable(describe("database file cannot be opened", what, detail));
    case SQLITE_IOERR: return unavailable(describe("database I/O error", what, detail));
    case SQLITE_FULL: return unavailable(describe("database or disk is full", what, detail));
    case SQLITE_PERM: return unavailable(describe("database access denied", what, detail));
    // WAL lock protocol failure: transient by SQLite's own description.
    case SQLITE_PROTOCOL: return unavailable(describe("database lock protocol error", what, detail));
    case SQLITE_NOMEM: return unavailable(describe("database is out of memory", what, detail));
    case SQLITE_CONSTRAINT:
      switch (extendedCode) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY: return {Code::kConflict, describe("already exists", what, detail)};
        case SQLITE_CONSTRAINT_FOREIGNKEY:
          return {Code::kConflict, describe("referenced row missing or still in use", what, detail)};
        default: return invalidArgument(describe("constraint failed", what, detail));
      }
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return internalError(describe("database file is corrupt or not a database", what, detail));
    default: return internalError(describe("database error", what, detail));
  }
}

bool isStorageFault(int extendedCode) {
  switch (extendedCode & 0xff) {
    case SQLITE_READONLY:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN: return true;
    default: return false;
  }
}

}  // namespace ls::sqlite
