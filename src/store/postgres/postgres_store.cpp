// PostgresStore: opening, the transaction helpers, teams and projects. Media
// servers and nodes are in postgres_store_media_servers.cpp, livestreams in
// postgres_store_livestreams.cpp.
#include "store/postgres/postgres_store.hpp"

#include <string>
#include <thread>
#include <utility>

#include "store/postgres/connection.hpp"
#include "store/postgres/connection_pool.hpp"
#include "store/postgres/errors.hpp"
#include "store/postgres/migrations.hpp"
#include "store/postgres/queries.hpp"
#include "store/postgres/rows.hpp"

namespace ls {

using postgres::Connection;
using postgres::missing;
using postgres::Params;
using postgres::PgResult;
using postgres::valueOr;

namespace {

Status endTransaction(Connection& c, Status s, const char* what) {
  if (s.isOk()) {
    Result<PgResult> commit = c.exec("COMMIT", what);
    if (!commit.ok()) return commit.status();
    return Status::ok();
  }
  if (c.reusable() && c.inTransaction()) (void)c.exec("ROLLBACK", what);  // no partial rows
  return s;
}

}  // namespace

Result<std::unique_ptr<PostgresStore>> PostgresStore::open(std::string_view url, PostgresOptions options) {
  postgres::ConnectionSettings settings{
      .url = std::string(url), .connectTimeout = options.connectTimeout, .statementTimeout = options.statementTimeout};
  auto pool = std::make_unique<postgres::ConnectionPool>(std::move(settings), options.maxConnections);
  {
    Result<postgres::ConnectionPool::Lease> lease = pool->acquire();
    if (!lease.ok()) return lease.status();
    if (Status s = postgres::migrate(**lease); !s.isOk()) {
      return Status(s.code(), "database " + postgres::redactedTarget(url) + ": " + s.message());
    }
  }
  return std::unique_ptr<PostgresStore>(new PostgresStore(std::move(pool), options));
}

PostgresStore::PostgresStore(std::unique_ptr<postgres::ConnectionPool> pool, const PostgresOptions& options)
    : pool_(std::move(pool)),
      writeProbeCache_(options.writeProbeCache),
      maxAttempts_(options.maxAttempts < 1 ? 1 : options.maxAttempts) {}

PostgresStore::~PostgresStore() = default;

Status PostgresStore::withConnection(const Work& work) {
  Result<postgres::ConnectionPool::Lease> lease = pool_->acquire();
  if (!lease.ok()) return lease.status();
  return work(**lease);
}

Status PostgresStore::withTransaction(const char* what, Txn kind, const Work& work) {
  const char* begin = kind == Txn::kSnapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN";
  for (int attempt = 1;; ++attempt) {
    Result<postgres::ConnectionPool::Lease> lease = pool_->acquire();
    if (!lease.ok()) return kind == Txn::kWrite ? noteWrite(lease.status(), false) : lease.status();
    Connection& c = **lease;
    const std::int64_t changesBefore = c.totalChanges();
    Status s = [&]() -> Status {
      if (Result<PgResult> b = c.exec(begin, what); !b.ok()) return b.status();
      return endTransaction(c, work(c), what);
    }();
    const bool retry = !s.isOk() && attempt < maxAttempts_ && postgres::isRetryable(c.lastSqlstate());
    if (!retry) return kind == Txn::kWrite ? noteWrite(std::move(s), c.totalChanges() != changesBefore) : s;
    // Lost a race with another transaction on the same rows: it has
    // committed or is about to; run again after a short, growing pause.
    std::this_thread::sleep_for(std::chrono::milliseconds(2 * attempt));
  }
}

Status PostgresStore::noteWrite(Status s, bool changedRows) {
  if (s.isOk()) {
    // A commit that changed nothing wrote nothing, so it proves nothing.
    if (changedRows) lastWrite_.store(std::chrono::steady_clock::now().time_since_epoch().count());
  } else if (s.code() == Code::kUnavailable) {
    lastWrite_.store(kNoWrite);  // the next probe must write again
  }
  return s;
}

Result<std::int64_t> PostgresStore::schemaVersion() {
  std::int64_t version = 0;
  const Status s = withConnection([&](Connection& c) -> Status {
    Result<std::int64_t> v = postgres::readSchemaVersion(c);
    if (!v.ok()) return v.status();
    version = *v;
    return Status::ok();
  });
  return valueOr(s, version);
}

Status PostgresStore::ping() {
  // Reads a table (not just `SELECT 1`), so missing privileges or schema show.
  return withConnection(
      [&](Connection& c) -> Status { return postgres::exists(c, postgres::sql::kPing, {}).status(); });
}

Status PostgresStore::probeWrite() {
  const std::int64_t last = lastWrite_.load();
  if (last != kNoWrite) {
    const std::chrono::steady_clock::duration since =
        std::chrono::steady_clock::now().time_since_epoch() - std::chrono::steady_clock::duration(last);
    if (since < writeProbeCache_) return Status::ok();
  }
  return withTransaction("probe write", Txn::kWrite, [](Connection& c) -> Status {
    return postgres::change(c, postgres::sql::kProbeWrite, {}).status();
  });
}

// Teams ---------------------------------------------------------------------

Result<Team> PostgresStore::insertTeam(const Team& team) {
  const Status s = withTransaction("insert team", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(team.id).text(team.name).int64(team.createdAt);
    return postgres::change(c, postgres::sql::kInsertTeam, p).status();
  });
  return valueOr(s, team);
}

Result<std::optional<Team>> PostgresStore::findTeam(std::string_view id) {
  std::optional<Team> team;
  const Status s = withConnection([&](Connection& c) {
    Params p;
    p.text(id);
    return postgres::selectOne(c, postgres::sql::kFindTeam, p, postgres::readTeam, team);
  });
  return valueOr(s, std::move(team));
}

Result<std::optional<Team>> PostgresStore::findTeamByName(std::string_view name) {
  std::optional<Team> team;
  const Status s = withConnection([&](Connection& c) {
    Params p;
    p.text(name);
    return postgres::selectOne(c, postgres::sql::kFindTeamByName, p, postgres::readTeam, team);
  });
  return valueOr(s, std::move(team));
}

// Projects ------------------------------------------------------------------

Result<Project> PostgresStore::insertProject(const Project& project) {
  const Status s = withTransaction("insert project", Txn::kWrite, [&](Connection& c) -> Status {
    Params team;
    team.text(project.teamId);
    Result<bool> teamExists = postgres::exists(c, postgres::sql::kTeamExists, team);
    if (!teamExists.ok()) return teamExists.status();
    if (!*teamExists) return notFound(missing("team", project.teamId));
    return postgres::insertProjectRow(c, project);
  });
  return valueOr(s, project);
}

Result<std::optional<Project>> PostgresStore::findProject(std::string_view id) {
  std::optional<Project> project;
  const Status s = withConnection([&](Connection& c) {
    Params p;
    p.text(id);
    return postgres::selectOne(c, postgres::sql::kFindProject, p, postgres::readProject, project);
  });
  return valueOr(s, std::move(project));
}

Result<std::optional<Project>> PostgresStore::findProjectByApiKeyHash(std::string_view apiKeyHash) {
  std::optional<Project> project;
  if (apiKeyHash.empty()) return project;  // "no key" matches nothing
  const Status s = withConnection([&](Connection& c) {
    Params p;
    p.text(apiKeyHash);
    return postgres::selectOne(c, postgres::sql::kFindProjectByApiKeyHash, p, postgres::readProject, project);
  });
  return valueOr(s, std::move(project));
}

Result<std::vector<Project>> PostgresStore::listProjects() {
  std::vector<Project> projects;
  const Status s = withConnection([&](Connection& c) {
    return postgres::selectAll(c, postgres::sql::kListProjects, {}, postgres::readProject, projects);
  });
  return valueOr(s, std::move(projects));
}

Status PostgresStore::setProjectApiKeyHash(std::string_view projectId, std::string_view apiKeyHash) {
  return withTransaction("set project api key", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(projectId).textOrNull(apiKeyHash);
    Result<std::int64_t> changed = postgres::change(c, postgres::sql::kSetProjectApiKeyHash, p);
    if (!changed.ok()) return changed.status();
    return *changed == 0 ? notFound(missing("project", projectId)) : Status::ok();
  });
}

Status PostgresStore::setProjectAbrEnabled(std::string_view projectId, bool enabled) {
  return withTransaction("set project abr", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(projectId).boolean(enabled);
    Result<std::int64_t> changed = postgres::change(c, postgres::sql::kSetProjectAbrEnabled, p);
    if (!changed.ok()) return changed.status();
    return *changed == 0 ? notFound(missing("project", projectId)) : Status::ok();
  });
}

}  // namespace ls
