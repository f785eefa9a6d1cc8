// Rows <-> domain types, and small query helpers over a Connection. The
// readers expect the column order of the SELECTs in queries.hpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.hpp"
#include "core/status.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/statement.hpp"

namespace ls::sqlite {

Result<Team> readTeam(const Statement& row);
Result<Project> readProject(const Statement& row);
Result<MediaServer> readMediaServer(const Statement& row);
Result<Livestream> readLivestream(const Statement& row);

// media_servers.cdns_json: an ordered [{"name": ..., "baseUrl": ...}].
std::string encodeCdns(const std::vector<CdnEndpoint>& cdns);
Result<std::vector<CdnEndpoint>> decodeCdns(std::string_view json);

// The value when the work succeeded, else its status.
template <typename T>
Result<T> valueOr(const Status& s, T value) {
  if (!s.isOk()) return s;
  return value;
}

// "<what> <id> not found"
std::string missing(std::string_view what, std::string_view id);

// media_servers.hook_allow: items without commas, stored comma-separated.
std::string joinList(const std::vector<std::string>& items);
std::vector<std::string> splitList(std::string_view text);

// `%text%` for LIKE ... ESCAPE '\': the search is a plain substring, so the
// user's % _ and \ match themselves.
std::string likeContainsPattern(std::string_view text);

// Binds with `bind(Statement&)`, then reads at most one row with `read`.
template <typename T, typename Bind, typename Read>
Status selectOne(Connection& conn, const NamedSql& q, Bind&& bind, Read&& read, std::optional<T>& out) {
  Result<StatementHandle> st = conn.prepare(q);
  if (!st.ok()) return st.status();
  bind(**st);
  Result<bool> row = conn.nextRow(*st);
  if (!row.ok()) return row.status();
  out.reset();
  if (!*row) return Status::ok();
  Result<T> value = read(**st);
  if (!value.ok()) return value.status();
  out = std::move(value).value();
  return Status::ok();
}

// Binds with `bind(Statement&)`, then appends every row read with `read`.
template <typename T, typename Bind, typename Read>
Status selectAll(Connection& conn, const NamedSql& q, Bind&& bind, Read&& read, std::vector<T>& out) {
  Result<StatementHandle> st = conn.prepare(q);
  if (!st.ok()) return st.status();
  bind(**st);
  for (;;) {
    Result<bool> row = conn.nextRow(*st);
    if (!row.ok()) return row.status();
    if (!*row) return Status::ok();
    Result<T> value = read(**st);
    if (!value.ok()) return value.status();
    out.push_back(std::move(value).value());
  }
}

// True when `q` (after `bind`) returns at least one row.
template <typename Bind>
Result<bool> exists(Connection& conn, const NamedSql& q, Bind&& bind) {
  Result<StatementHandle> st = conn.prepare(q);
  if (!st.ok()) return st.status();
  bind(**st);
  return conn.nextRow(*st);
}

// Binds, then runs a statement that returns no rows; the changed row count.
template <typename Bind>
Result<std::int64_t> change(Connection& conn, const NamedSql& q, Bind&& bind) {
  Result<StatementHandle> st = conn.prepare(q);
  if (!st.ok()) return st.status();
  bind(**st);
  LS_RETURN_IF_ERROR(conn.run(*st));
  return conn.changes();
}

}  // namespace ls::sqlite
