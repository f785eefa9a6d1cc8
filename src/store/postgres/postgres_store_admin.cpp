// PostgresStore: team and project administration (list, rename, delete, rate
// limits) and the audit log.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/postgres/postgres_store.hpp"
#include "store/postgres/queries.hpp"
#include "store/postgres/rows.hpp"

namespace ls {

using postgres::Connection;
using postgres::Params;
using postgres::PgResult;
using postgres::missing;
using postgres::valueOr;

namespace {

// Runs an UPDATE/DELETE of one row by id; kNotFound when it changed none.
Status changeOne(Connection& c, const postgres::NamedSql& q, std::string_view what, std::string_view id,
                 const Params& p) {
  Result<std::int64_t> changed = postgres::change(c, q, p);
  if (!changed.ok()) return changed.status();
  return *changed == 0 ? notFound(missing(what, id)) : Status::ok();
}

}  // namespace

Result<std::vector<Team>> PostgresStore::listTeams() {
  std::vector<Team> teams;
  const Status s = withConnection(
      [&](Connection& c) { return postgres::selectAll(c, postgres::sql::kListTeams, {}, postgres::readTeam, teams); });
  return valueOr(s, std::move(teams));
}

Status PostgresStore::renameTeam(std::string_view teamId, std::string_view name) {
  return withTransaction("rename team", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(teamId).text(name);
    return changeOne(c, postgres::sql::kRenameTeam, "team", teamId, p);
  });
}

Status PostgresStore::deleteTeam(std::string_view teamId) {
  return withTransaction("delete team", Txn::kWrite, [&](Connection& c) -> Status {
    Params id;
    id.text(teamId);
    // Locked first: a project insert for this team waits, then finds no team.
    Result<bool> found = postgres::exists(c, postgres::sql::kLockTeam, id);
    if (!found.ok()) return found.status();
    if (!*found) return notFound(missing("team", teamId));
    Result<bool> hasProjects = postgres::exists(c, postgres::sql::kTeamHasProjects, id);
    if (!hasProjects.ok()) return hasProjects.status();
    if (*hasProjects) return Status(Code::kConflict, "the team still has projects; delete them first");
    return changeOne(c, postgres::sql::kDeleteTeam, "team", teamId, id);
  });
}

Result<std::vector<Project>> PostgresStore::listProjectsOfTeam(std::string_view teamId) {
  std::vector<Project> projects;
  const Status s = withConnection([&](Connection& c) {
    Params p;
    p.text(teamId);
    return postgres::selectAll(c, postgres::sql::kListProjectsOfTeam, p, postgres::readProject, projects);
  });
  return valueOr(s, std::move(projects));
}

Status PostgresStore::renameProject(std::string_view projectId, std::string_view name) {
  return withTransaction("rename project", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(projectId).text(name);
    return changeOne(c, postgres::sql::kRenameProject, "project", projectId, p);
  });
}

Status PostgresStore::setProjectRateLimit(std::string_view projectId, const std::optional<ProjectRateLimit>& limit) {
  return withTransaction("set project rate limit", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(projectId)
        .optionalInt64(limit ? std::optional(limit->perMinute) : std::nullopt)
        .optionalInt64(limit ? std::optional(limit->perHour) : std::nullopt);
    return changeOne(c, postgres::sql::kSetProjectRateLimit, "project", projectId, p);
  });
}

Status PostgresStore::deleteProject(std::string_view projectId) {
  return withTransaction("delete project", Txn::kWrite, [&](Connection& c) -> Status {
    Params id;
    id.text(projectId);
    // Locked first: a livestream insert for it (FOR KEY SHARE) commits before
    // and is deleted here, or waits and then finds no project.
    Result<bool> found = postgres::exists(c, postgres::sql::kLockProject, id);
    if (!found.ok()) return found.status();
    if (!*found) return notFound(missing("project", projectId));
    if (emittingWebhooks()) {
      // livestream.deleted for each, before they go (their endpoints go too,
      // so in practice nothing is delivered).
      std::vector<Livestream> going;
      LS_RETURN_IF_ERROR(
          postgres::selectAll(c, postgres::sql::kLockProjectLivestreams, id, postgres::readLivestream, going));
      const UnixMillis now = SystemClock().now();
      for (const Livestream& l : going) {
        LS_RETURN_IF_ERROR(emitLivestreamEvent(c, webhook_event::kLivestreamDeleted, l, now));
      }
    }
    LS_RETURN_IF_ERROR(postgres::change(c, postgres::sql::kDeleteProjectLivestreams, id).status());
    return changeOne(c, postgres::sql::kDeleteProject, "project", projectId, id);
  });
}

Status PostgresStore::insertAuditEntry(const AuditEntry& entry) {
  return withTransaction("insert audit entry", Txn::kWrite,
                         [&](Connection& c) -> Status { return postgres::insertAuditRow(c, entry); });
}

Result<Page<AuditEntry>> PostgresStore::listAuditEntries(const AuditQuery& query) {
  Result<std::int64_t> offset = store::pageOffset(query.page, query.limit);
  if (!offset.ok()) return offset.status();
  Page<AuditEntry> page;
  // One snapshot for the total and the rows.
  const Status s = withTransaction("list audit entries", Txn::kSnapshot, [&](Connection& c) -> Status {
    Params filter;
    filter.text(query.teamId);
    Result<PgResult> total = c.run(postgres::sql::kCountAuditEntries, filter);
    if (!total.ok()) return total.status();
    page.total = total->rows() > 0 ? total->int64(0, 0) : 0;
    page.items.clear();
    Params p;
    p.text(query.teamId).int64(query.limit).int64(*offset);
    return postgres::selectAll(c, postgres::sql::kListAuditEntries, p, postgres::readAuditEntry, page.items);
  });
  return valueOr(s, std::move(page));
}

}  // namespace ls
