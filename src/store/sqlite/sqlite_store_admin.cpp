// SqliteStore: team and project administration (list, rename, delete, rate
// limits) and the audit log.
#include <optional>
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
using sqlite::missing;
using sqlite::valueOr;

namespace {

// Runs an UPDATE/DELETE of one row by id; kNotFound when it changed none.
template <typename Bind>
Status changeOne(Connection& c, const sqlite::NamedSql& q, std::string_view what, std::string_view id, Bind&& bind) {
  Result<std::int64_t> changed = sqlite::change(c, q, std::forward<Bind>(bind));
  if (!changed.ok()) return changed.status();
  return *changed == 0 ? notFound(missing(what, id)) : Status::ok();
}

}  // namespace

Result<std::vector<Team>> SqliteStore::listTeams() {
  std::vector<Team> teams;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectAll(c, sqlite::sql::kListTeams, [](Statement&) {}, sqlite::readTeam, teams);
  });
  return valueOr(s, std::move(teams));
}

Status SqliteStore::renameTeam(std::string_view teamId, std::string_view name) {
  return withWriteTransaction("rename team", [&](Connection& c) -> Status {
    return changeOne(c, sqlite::sql::kRenameTeam, "team", teamId,
                     [&](Statement& st) { st.bindText(1, teamId).bindText(2, name); });
  });
}

Status SqliteStore::deleteTeam(std::string_view teamId) {
  return withWriteTransaction("delete team", [&](Connection& c) -> Status {
    Result<bool> hasProjects =
        sqlite::exists(c, sqlite::sql::kTeamHasProjects, [&](Statement& st) { st.bindText(1, teamId); });
    if (!hasProjects.ok()) return hasProjects.status();
    if (*hasProjects) return Status(Code::kConflict, "the team still has projects; delete them first");
    return changeOne(c, sqlite::sql::kDeleteTeam, "team", teamId, [&](Statement& st) { st.bindText(1, teamId); });
  });
}

Result<std::vector<Project>> SqliteStore::listProjectsOfTeam(std::string_view teamId) {
  std::vector<Project> projects;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectAll(
        c, sqlite::sql::kListProjectsOfTeam, [&](Statement& st) { st.bindText(1, teamId); }, sqlite::readProject,
        projects);
  });
  return valueOr(s, std::move(projects));
}

Status SqliteStore::renameProject(std::string_view projectId, std::string_view name) {
  return withWriteTransaction("rename project", [&](Connection& c) -> Status {
    return changeOne(c, sqlite::sql::kRenameProject, "project", projectId,
                     [&](Statement& st) { st.bindText(1, projectId).bindText(2, name); });
  });
}

Status SqliteStore::setProjectRateLimit(std::string_view projectId, const std::optional<ProjectRateLimit>& limit) {
  return withWriteTransaction("set project rate limit", [&](Connection& c) -> Status {
    return changeOne(c, sqlite::sql::kSetProjectRateLimit, "project", projectId, [&](Statement& st) {
      st.bindText(1, projectId)
          .bindOptionalInt64(2, limit ? std::optional(limit->perMinute) : std::nullopt)
          .bindOptionalInt64(3, limit ? std::optional(limit->perHour) : std::nullopt);
    });
  });
}

Status SqliteStore::deleteProject(std::string_view projectId) {
  return withWriteTransaction("delete project", [&](Connection& c) -> Status {
    if (emittingWebhooks()) {
      // livestream.deleted for each, before they go (their endpoints go too,
      // so in practice nothing is delivered).
      std::vector<Livestream> going;
      LS_RETURN_IF_ERROR(sqlite::selectAll(
          c, sqlite::sql::kProjectLivestreams, [&](Statement& st) { st.bindText(1, projectId); },
          sqlite::readLivestream, going));
      const UnixMillis now = SystemClock().now();
      for (const Livestream& l : going) {
        LS_RETURN_IF_ERROR(emitLivestreamEvent(c, webhook_event::kLivestreamDeleted, l, now));
      }
    }
    LS_RETURN_IF_ERROR(sqlite::change(c, sqlite::sql::kDeleteProjectLivestreams, [&](Statement& st) {
                         st.bindText(1, projectId);
                       }).status());
    return changeOne(c, sqlite::sql::kDeleteProject, "project", projectId,
                     [&](Statement& st) { st.bindText(1, projectId); });
  });
}

Status SqliteStore::insertAuditEntry(const AuditEntry& entry) {
  return withWriteTransaction("insert audit entry",
                              [&](Connection& c) -> Status { return sqlite::insertAuditRow(c, entry); });
}

Result<Page<AuditEntry>> SqliteStore::listAuditEntries(const AuditQuery& query) {
  Result<std::int64_t> offset = store::pageOffset(query.page, query.limit);
  if (!offset.ok()) return offset.status();
  Page<AuditEntry> page;
  // One snapshot for the total and the rows.
  const Status s = withReadTransaction("list audit entries", [&](Connection& c) -> Status {
    std::optional<std::int64_t> total;
    LS_RETURN_IF_ERROR(sqlite::selectOne(
        c, sqlite::sql::kCountAuditEntries, [&](Statement& st) { st.bindText(1, query.teamId); },
        [](const Statement& row) -> Result<std::int64_t> { return row.int64(0); }, total));
    page.total = total.value_or(0);
    page.items.clear();
    return sqlite::selectAll(
        c, sqlite::sql::kListAuditEntries,
        [&](Statement& st) { st.bindText(1, query.teamId).bindInt64(2, query.limit).bindInt64(3, *offset); },
        sqlite::readAuditEntry, page.items);
  });
  return valueOr(s, std::move(page));
}

}  // namespace ls
