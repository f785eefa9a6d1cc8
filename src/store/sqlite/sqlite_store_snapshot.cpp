// SqliteStore: every row out (exportAll) and into an empty store (importAll).
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/sqlite/queries.hpp"
#include "store/sqlite/rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ls {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::valueOr;
using store::kNotEmpty;

namespace {

using Assignment = std::pair<std::string, std::string>;  // media server id, project id

Status importMediaServer(Connection& c, const MediaServer& s) {
  LS_RETURN_IF_ERROR(sqlite::insertMediaServerRow(c, s));
  LS_RETURN_IF_ERROR(sqlite::change(c, sqlite::sql::kWriteNodeLiveness, [&](Statement& st) {
                       st.bindText(1, s.id)
                           .bindOptionalInt64(2, s.liveness.lastSeenAt)
                           .bindOptionalInt64(3, s.liveness.heartbeatAt)
                           .bindInt64(4, s.liveness.keepaliveIntervalMs)
                           .bindOptionalInt64(5, s.liveness.offlineSince)
                           .bindInt64(6, s.liveness.lastHookIndex);
                     }).status());
  return Status::ok();
}

Status importLivestream(Connection& c, const Livestream& l) {
  if (l.phase == LivestreamStatus::kTokenExpired) return invalidArgument("TOKEN_EXPIRED cannot be stored as a phase");
  return sqlite::insertLivestreamRow(c, l);
}

}  // namespace

Result<StoreSnapshot> SqliteStore::exportAll() {
  StoreSnapshot out;
  const Status s = withReadTransaction("export", [&](Connection& c) -> Status {
    out = {};
    const auto none = [](Statement&) {};
    LS_RETURN_IF_ERROR(sqlite::selectAll(c, sqlite::sql::kListTeams, none, sqlite::readTeam, out.teams));
    LS_RETURN_IF_ERROR(sqlite::selectAll(c, sqlite::sql::kListProjects, none, sqlite::readProject, out.projects));
    LS_RETURN_IF_ERROR(
        sqlite::selectAll(c, sqlite::sql::kListMediaServers, none, sqlite::readMediaServer, out.mediaServers));
    std::vector<Assignment> assignments;
    LS_RETURN_IF_ERROR(sqlite::selectAll(
        c, sqlite::sql::kListMediaServerProjects, none,
        [](const Statement& row) -> Result<Assignment> { return Assignment{row.text(0), row.text(1)}; },
        assignments));
    for (MediaServer& server : out.mediaServers) {
      for (const Assignment& a : assignments) {
        if (a.first == server.id) server.projectIds.push_back(a.second);
      }
    }
    LS_RETURN_IF_ERROR(
        sqlite::selectAll(c, sqlite::sql::kListAllLivestreams, none, sqlite::readLivestream, out.livestreams));
    LS_RETURN_IF_ERROR(
        sqlite::selectAll(c, sqlite::sql::kListSigningKeys, none, sqlite::readSigningKey, out.signingKeys));
    LS_RETURN_IF_ERROR(
        sqlite::selectAll(c, sqlite::sql::kListAllAuditEntries, none, sqlite::readAuditEntry, out.auditEntries));
    LS_RETURN_IF_ERROR(sqlite::selectAll(c, sqlite::sql::kListAllUsage, none, sqlite::readUsageRow, out.usage));
    LS_RETURN_IF_ERROR(sqlite::selectAll(
        c, sqlite::sql::kListUsers, none, [](const Statement& row) { return sqlite::readUser(row, 0); }, out.users));
    LS_RETURN_IF_ERROR(sqlite::exportTeamMemberships(c, out));
    return sqlite::exportWebhookEndpoints(c, out);
  });
  return valueOr(s, std::move(out));
}

Status SqliteStore::importAll(const StoreSnapshot& snapshot) {
  return withWriteTransaction("import", [&](Connection& c) -> Status {
    Result<sqlite::StatementHandle> count = c.prepare(sqlite::sql::kCountAllRows);
    if (!count.ok()) return count.status();
    Result<bool> row = c.nextRow(*count);
    if (!row.ok()) return row.status();
    if (*row && (*count)->int64(0) != 0) {
      return Status(Code::kConflict, std::string(kNotEmpty));
    }
    for (const Team& t : snapshot.teams) {
      LS_RETURN_IF_ERROR(sqlite::change(c, sqlite::sql::kInsertTeam, [&](Statement& st) {
                           st.bindText(1, t.id).bindText(2, t.name).bindInt64(3, t.createdAt);
                         }).status());
    }
    for (const Project& p : snapshot.projects) LS_RETURN_IF_ERROR(sqlite::insertProjectRow(c, p));
    for (const MediaServer& s : snapshot.mediaServers) LS_RETURN_IF_ERROR(importMediaServer(c, s));
    for (const Livestream& l : snapshot.livestreams) LS_RETURN_IF_ERROR(importLivestream(c, l));
    for (const SigningKeyRecord& k : snapshot.signingKeys) LS_RETURN_IF_ERROR(sqlite::insertSigningKeyRow(c, k));
    for (const AuditEntry& e : snapshot.auditEntries) LS_RETURN_IF_ERROR(sqlite::insertAuditRow(c, e));
    for (const usage::UsageRow& u : snapshot.usage) {
      LS_RETURN_IF_ERROR(sqlite::writeUsageRow(c, sqlite::sql::kInsertUsage, u));
    }
    for (const UserRecord& u : snapshot.users) LS_RETURN_IF_ERROR(sqlite::insertUserRow(c, u));
    LS_RETURN_IF_ERROR(sqlite::importTeamMemberships(c, snapshot));
    for (const WebhookEndpoint& e : snapshot.webhookEndpoints) LS_RETURN_IF_ERROR(sqlite::insertWebhookEndpointRow(c, e));
    // Tokens that expired before the copy were announced (or not) by the
    // source: the copy must not announce them again.
    return sqlite::change(c, sqlite::sql::kMarkImportedExpiredTokens, [](Statement& st) {
             st.bindInt64(1, SystemClock().now());
           }).status();
  });
}

}  // namespace ls
