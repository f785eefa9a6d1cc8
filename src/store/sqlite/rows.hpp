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
#include "store/encoding.hpp"
#include "store/store.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/statement.hpp"

namespace ls::sqlite {

Result<Team> readTeam(const Statement& row);
// Usage rows (sqlite_store_usage.cpp): columns as in kListUsage; q is kAddUsage or kInsertUsage.
Result<usage::UsageRow> readUsageRow(const Statement& row);
Status writeUsageRow(Connection& c, const NamedSql& q, const usage::UsageRow& r);
Result<Project> readProject(const Statement& row);
// Every column of the project (a new one, or one carried over by importAll).
Status insertProjectRow(Connection& c, const Project& project);
Result<AuditEntry> readAuditEntry(const Statement& row);
Status insertAuditRow(Connection& c, const AuditEntry& entry);
Result<MediaServer> readMediaServer(const Statement& row);
Result<Livestream> readLivestream(const Statement& row);
Result<SigningKeyRecord> readSigningKey(const Statement& row);
Status insertSigningKeyRow(Connection& c, const SigningKeyRecord& key);
// A user's six columns starting at column `first` (sqlite_store_users.cpp).
Result<UserRecord> readUser(const Statement& row, int first);
Status insertUserRow(Connection& c, const UserRecord& user);
// A media server's configuration and project assignments (liveness is
// written apart); kNotFound for an unknown project. For insertMediaServer and importAll.
Status insertMediaServerRow(Connection& c, const MediaServer& server);
// Every column of the livestream (a new one, or one carried over by importAll).
Status insertLivestreamRow(Connection& c, const Livestream& l);
// A membership, in the caller's write transaction (*_store_members.cpp):
// kNotFound for an unknown team or user, kConflict for a member already.
Status insertTeamMemberRow(Connection& c, const TeamMember& member);
// Memberships and invitations for exportAll / importAll (after users).
Status exportTeamMemberships(Connection& c, StoreSnapshot& out);
Status importTeamMemberships(Connection& c, const StoreSnapshot& snapshot);
// Webhook endpoints, every column (sqlite_store_webhooks.cpp; insert and importAll).
Status insertWebhookEndpointRow(Connection& c, const WebhookEndpoint& endpoint);
Status exportWebhookEndpoints(Connection& c, StoreSnapshot& out);

using store::decodeCdns;
using store::encodeCdns;
using store::joinList;
using store::likeContainsPattern;
using store::missing;
using store::splitList;
using store::valueOr;

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
