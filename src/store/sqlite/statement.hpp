// A prepared SQLite statement with typed binds and columns. Owned by the
// Connection that prepared it (cached there for the connection's life) and
// used by one thread at a time, like its connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3_stmt;

namespace ls::sqlite {

// The SQL of one named statement. Instances are `inline constexpr` globals
// (store/sqlite/queries.hpp): a connection caches its prepared form by address.
struct NamedSql {
  const char* name;  // "insert team": what error messages call the operation
  const char* sql;
};

class Statement {
 public:
  Statement(sqlite3_stmt* stmt, const char* name) noexcept : stmt_(stmt), name_(name) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds are 1-based, as in the SQL (?1, ?2, ...). A failed bind is kept and
  // reported by the next step(), so call sites can chain binds without checks.
  Statement& bindText(int index, std::string_view text);
  Statement& bindInt64(int index, std::int64_t value);
  Statement& bindBool(int index, bool value) { return bindInt64(index, value ? 1 : 0); }
  Statement& bindNull(int index);
  Statement& bindOptionalInt64(int index, std::optional<std::int64_t> value);
  // NULL for an empty string: keeps empty secrets out of UNIQUE columns.
  Statement& bindTextOrNull(int index, std::string_view text);

  // SQLITE_ROW, SQLITE_DONE, or an (extended) error code.
  int step();
  // Ready for the next use: ends any read the statement holds open and clears binds.
  void reset() noexcept;

  // Columns are 0-based, as in sqlite3_column_*.
  [[nodiscard]] std::int64_t int64(int column) const;
  [[nodiscard]] std::optional<std::int64_t> optionalInt64(int column) const;
  [[nodiscard]] std::string text(int column) const;  // NULL reads as ""
  [[nodiscard]] bool isNull(int column) const;

  [[nodiscard]] const char* name() const noexcept { return name_; }

 private:
  void noteBind(int rc) noexcept;

  sqlite3_stmt* stmt_;
  const char* name_;
  int bindError_ = 0;
};

// Resets the statement when the caller is done with it, so a cached statement
// never keeps a read snapshot open between uses.
class StatementHandle {
 public:
  explicit StatementHandle(Statement* s) noexcept : s_(s) {}
  ~StatementHandle() {
    if (s_ != nullptr) s_->reset();
  }
  StatementHandle(StatementHandle&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  StatementHandle& operator=(StatementHandle&&) = delete;
  StatementHandle(const StatementHandle&) = delete;
  StatementHandle& operator=(const StatementHandle&) = delete;

  Statement* operator->() const noexcept { return s_; }
  Statement& operator*() const noexcept { return *s_; }

 private:
  Statement* s_;
};

}  // namespace ls::sqlite
