#include "store/sqlite/statement.hpp"

#include <sqlite3.h>

namespace ls::sqlite {

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

void Statement::noteBind(int rc) noexcept {
  if (rc != SQLITE_OK && bindError_ == 0) bindError_ = rc;
}

Statement& Statement::bindText(int index, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies the bytes, so the view may die before step().
  noteBind(sqlite3_bind_text64(stmt_, index, text.data(), static_cast<sqlite3_uint64>(text.size()), SQLITE_TRANSIENT,
                               SQLITE_UTF8));
  return *this;
}

Statement& Statement::bindInt64(int index, std::int64_t value) {
  noteBind(sqlite3_bind_int64(stmt_, index, static_cast<sqlite3_int64>(value)));
  return *this;
}

Statement& Statement::bindNull(int index) {
  noteBind(sqlite3_bind_null(stmt_, index));
  return *this;
}

Statement& Statement::bindOptionalInt64(int index, std::optional<std::int64_t> value) {
  return value ? bindInt64(index, *value) : bindNull(index);
}

Statement& Statement::bindTextOrNull(int index, std::string_view text) {
  return text.empty() ? bindNull(index) : bindText(index, text);
}

int Statement::step() {
  if (bindError_ != 0) return bindError_;
  return sqlite3_step(stmt_);
}

void Statement::reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bindError_ = 0;
}

std::int64_t Statement::int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::optional<std::int64_t> Statement::optionalInt64(int column) const {
  if (isNull(column)) return std::nullopt;
  return int64(column);
}

std::string Statement::text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_, column);
  if (p == nullptr) return {};
  const int n = sqlite3_column_bytes(stmt_, column);
  return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)};
}

bool Statement::isNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

}  // namespace ls::sqlite
