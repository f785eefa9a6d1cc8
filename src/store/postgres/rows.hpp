// Rows <-> domain types, and small query helpers over a Connection. The
// readers expect the column order of the SELECTs in queries.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "core/model.hpp"
#include "core/status.hpp"
#include "store/encoding.hpp"
#include "store/store.hpp"
#include "store/postgres/connection.hpp"

namespace ls::postgres {

using store::missing;
using store::valueOr;

// The one parameter of a query by id.
Params idParam(std::string_view id);

Result<Team> readTeam(const PgResult& r, int row);
// Usage rows (postgres_store_usage.cpp): columns as in kListUsage; q is kAddUsage or kInsertUsage.
Result<usage::UsageRow> readUsageRow(const PgResult& r, int row);
Status writeUsageRow(Connection& c, const NamedSql& q, const usage::UsageRow& r);
Result<Project> readProject(const PgResult& r, int row);
// Every column of the project (a new one, or one carried over by importAll).
Status insertProjectRow(Connection& c, const Project& project);
Result<AuditEntry> readAuditEntry(const PgResult& r, int row);
Status insertAuditRow(Connection& c, const AuditEntry& entry);
Result<MediaServer> readMediaServer(const PgResult& r, int row);
Result<Livestream> readLivestream(const PgResult& r, int row);
Result<NodeLiveness> readLiveness(const PgResult& r, int row);
Result<SigningKeyRecord> readSigningKey(const PgResult& r, int row);
Status insertSigningKeyRow(Connection& c, const SigningKeyRecord& key);
// A user's six columns starting at column `first` (postgres_store_users.cpp).
Result<UserRecord> readUser(const PgResult& r, int row, int first);
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
// Webhook endpoints, every column (postgres_store_webhooks.cpp; insert and importAll).
Status insertWebhookEndpointRow(Connection& c, const WebhookEndpoint& endpoint);
Status exportWebhookEndpoints(Connection& c, StoreSnapshot& out);

// Runs `q`, then reads at most one row with `read(result, row)`.
template <typename T, typename Read>
Status selectOne(Connection& conn, const NamedSql& q, const Params& params, Read&& read, std::optional<T>& out) {
  Result<PgResult> r = conn.run(q, params);
  if (!r.ok()) return r.status();
  out.reset();
  if (r->rows() == 0) return Status::ok();
  Result<T> value = read(*r, 0);
  if (!value.ok()) return value.status();
  out = std::move(value).value();
  return Status::ok();
}

// Runs `q`, then appends every row read with `read(result, row)`.
template <typename T, typename Read>
Status selectAll(Connection& conn, const NamedSql& q, const Params& params, Read&& read, std::vector<T>& out) {
  Result<PgResult> r = conn.run(q, params);
  if (!r.ok()) return r.status();
  for (int i = 0; i < r->rows(); ++i) {
    Result<T> value = read(*r, i);
    if (!value.ok()) return value.status();
    out.push_back(std::move(value).value());
  }
  return Status::ok();
}

// True when `q` returns at least one row.
Result<bool> exists(Connection& conn, const NamedSql& q, const Params& params);

// Runs a statement that returns no rows; the changed row count.
Result<std::int64_t> change(Connection& conn, const NamedSql& q, const Params& params);

}  // namespace ls::postgres
