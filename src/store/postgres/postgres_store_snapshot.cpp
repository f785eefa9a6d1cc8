// PostgresStore: every row out (exportAll) and into an empty store (importAll).
#include <string>
#include <utility>
#include <vector>

#include "store/postgres/connection.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/postgres/queries.hpp"
#include "store/postgres/rows.hpp"

namespace ls {

using postgres::Connection;
using postgres::Params;
using postgres::PgResult;
using postgres::valueOr;
using store::kNotEmpty;

namespace {

using Assignment = std::pair<std::string, std::string>;  // media server id, project id

Status importMediaServer(Connection& c, const MediaServer& s) {
  LS_RETURN_IF_ERROR(postgres::insertMediaServerRow(c, s));
  Params live;
  live.text(s.id)
      .optionalInt64(s.liveness.lastSeenAt)
      .optionalInt64(s.liveness.heartbeatAt)
      .int64(s.liveness.keepaliveIntervalMs)
      .optionalInt64(s.liveness.offlineSince)
      .int64(s.liveness.lastHookIndex);
  LS_RETURN_IF_ERROR(postgres::change(c, postgres::sql::kWriteNodeLiveness, live).status());
  return Status::ok();
}

Status importLivestream(Connection& c, const Livestream& l) {
  if (l.phase == LivestreamStatus::kTokenExpired) return invalidArgument("TOKEN_EXPIRED cannot be stored as a phase");
  return postgres::insertLivestreamRow(c, l);
}

}  // namespace

Result<StoreSnapshot> PostgresStore::exportAll() {
  StoreSnapshot out;
  const Status s = withTransaction("export", Txn::kSnapshot, [&](Connection& c) -> Status {
    out = {};
    LS_RETURN_IF_ERROR(postgres::selectAll(c, postgres::sql::kListTeams, {}, postgres::readTeam, out.teams));
    LS_RETURN_IF_ERROR(postgres::selectAll(c, postgres::sql::kListProjects, {}, postgres::readProject, out.projects));
    LS_RETURN_IF_ERROR(
        postgres::selectAll(c, postgres::sql::kListMediaServers, {}, postgres::readMediaServer, out.mediaServers));
    std::vector<Assignment> assignments;
    LS_RETURN_IF_ERROR(postgres::selectAll(
        c, postgres::sql::kListMediaServerProjects, {},
        [](const PgResult& r, int row) -> Result<Assignment> { return Assignment{r.text(row, 0), r.text(row, 1)}; },
        assignments));
    for (MediaServer& server : out.mediaServers) {
      for (const Assignment& a : assignments) {
        if (a.first == server.id) server.projectIds.push_back(a.second);
      }
    }
    LS_RETURN_IF_ERROR(
        postgres::selectAll(c, postgres::sql::kListAllLivestreams, {}, postgres::readLivestream, out.livestreams));
    LS_RETURN_IF_ERROR(
        postgres::selectAll(c, postgres::sql::kListSigningKeys, {}, postgres::readSigningKey, out.signingKeys));
    LS_RETURN_IF_ERROR(postgres::selectAll(c, postgres::sql::kListAllAuditEntries, {}, postgres::readAuditEntry,
                                           out.auditEntries));
    LS_RETURN_IF_ERROR(postgres::selectAll(c, postgres::sql::kListAllUsage, {}, postgres::readUsageRow, out.usage));
    LS_RETURN_IF_ERROR(postgres::selectAll(
        c, postgres::sql::kListUsers, {}, [](const PgResult& r, int row) { return postgres::readUser(r, row, 0); },
        out.users));
    LS_RETURN_IF_ERROR(postgres::exportTeamMemberships(c, out));
    return postgres::exportWebhookEndpoints(c, out);
  });
  return valueOr(s, std::move(out));
}

Status PostgresStore::importAll(const StoreSnapshot& snapshot) {
  return withTransaction("import", Txn::kWrite, [&](Connection& c) -> Status {
    Result<PgResult> count = c.run(postgres::sql::kCountAllRows, {});
    if (!count.ok()) return count.status();
    if (count->rows() > 0 && count->int64(0, 0) != 0) return Status(Code::kConflict, std::string(kNotEmpty));
    for (const Team& t : snapshot.teams) {
      Params p;
      p.text(t.id).text(t.name).int64(t.createdAt);
      LS_RETURN_IF_ERROR(postgres::change(c, postgres::sql::kInsertTeam, p).status());
    }
    for (const Project& pr : snapshot.projects) LS_RETURN_IF_ERROR(postgres::insertProjectRow(c, pr));
    for (const MediaServer& s : snapshot.mediaServers) LS_RETURN_IF_ERROR(importMediaServer(c, s));
    for (const Livestream& l : snapshot.livestreams) LS_RETURN_IF_ERROR(importLivestream(c, l));
    for (const SigningKeyRecord& k : snapshot.signingKeys) LS_RETURN_IF_ERROR(postgres::insertSigningKeyRow(c, k));
    for (const AuditEntry& e : snapshot.auditEntries) LS_RETURN_IF_ERROR(postgres::insertAuditRow(c, e));
    for (const usage::UsageRow& u : snapshot.usage) {
      LS_RETURN_IF_ERROR(postgres::writeUsageRow(c, postgres::sql::kInsertUsage, u));
    }
    for (const UserRecord& u : snapshot.users) LS_RETURN_IF_ERROR(postgres::insertUserRow(c, u));
    LS_RETURN_IF_ERROR(postgres::importTeamMemberships(c, snapshot));
    for (const WebhookEndpoint& e : snapshot.webhookEndpoints) {
      LS_RETURN_IF_ERROR(postgres::insertWebhookEndpointRow(c, e));
    }
    // Tokens that expired before the copy were announced (or not) by the
    // source: the copy must not announce them again.
    Params now;
    now.int64(SystemClock().now());
    return postgres::change(c, postgres::sql::kMarkImportedExpiredTokens, now).status();
  });
}

}  // namespace ls
