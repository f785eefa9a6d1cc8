// SqliteStore: opening, the transaction helpers, teams and projects. Media
// servers and nodes are in sqlite_store_media_servers.cpp, livestreams in
// sqlite_store_livestreams.cpp.
#include "store/sqlite/sqlite_store.hpp"

#include <algorithm>
#include <chrono>
#include <climits>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "store/sqlite/connection.hpp"
#include "store/sqlite/connection_pool.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/queries.hpp"
#include "store/sqlite/rows.hpp"
#include "store/sqlite/transaction.hpp"

namespace ls {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::Transaction;
using sqlite::missing;
using sqlite::valueOr;

namespace {

constexpr sqlite::NamedSql kEnableWal{"enable WAL", "PRAGMA journal_mode=WAL"};

// journal_mode is stored in the file, so setting it once per open is enough;
// it answers with the mode in effect, which is not WAL on some filesystems.
Status enableWal(Connection& conn) {
  Result<sqlite::StatementHandle> st = conn.prepare(kEnableWal);
  if (!st.ok()) return st.status();
  Result<bool> row = conn.nextRow(*st);
  if (!row.ok()) return row.status();
  const std::string mode = *row ? (*st)->text(0) : std::string();
  if (mode != "wal") return unavailable("database cannot use WAL journal mode (got '" + mode + "')");
  return Status::ok();
}

// Switching a file to WAL takes an exclusive lock, and SQLite answers BUSY at
// once, without its busy handler, when another process holds a lock on the
// file at that moment (two first starts on a new file). Retry within the
// busy timeout, as every other statement would wait.
Status enableWalWithin(Connection& conn, std::chrono::milliseconds busyTimeout) {
  const auto deadline = std::chrono::steady_clock::now() + busyTimeout;
  for (;;) {
    Status status = enableWal(conn);
    if (status.code() != Code::kUnavailable || std::chrono::steady_clock::now() >= deadline) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}


}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::filesystem::path& dbFile, SqliteOptions options) {
  const auto timeoutMs = std::clamp<std::chrono::milliseconds::rep>(options.busyTimeout.count(), 0, INT_MAX);
  const sqlite::ConnectionSettings settings{
      .busyTimeoutMs = static_cast<int>(timeoutMs), .readOnly = options.readOnly, .vfs = options.vfs};
  auto pool = std::make_unique<sqlite::ConnectionPool>(dbFile, settings, options.maxConnections);
  {
    Result<sqlite::ConnectionPool::Lease> lease = pool->acquire();
    if (!lease.ok()) return lease.status();
    if (options.readOnly) {
      LS_RETURN_IF_ERROR(sqlite::checkSchemaIsLatest(**lease));
    } else {
      LS_RETURN_IF_ERROR(enableWalWithin(**lease, options.busyTimeout));
      LS_RETURN_IF_ERROR(sqlite::migrate(**lease));
    }
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(pool), options.writeProbeCache));
}

SqliteStore::SqliteStore(std::unique_ptr<sqlite::ConnectionPool> pool, std::chrono::milliseconds writeProbeCache)
    : pool_(std::move(pool)), writeProbeCache_(writeProbeCache) {}

SqliteStore::~SqliteStore() = default;

Status SqliteStore::withConnection(const Work& work) {
  Result<sqlite::ConnectionPool::Lease> lease = pool_->acquire();
  if (!lease.ok()) return lease.status();
  return work(**lease);
}

Status SqliteStore::withReadTransaction(const char* what, const Work& work) {
  Result<sqlite::ConnectionPool::Lease> lease = pool_->acquire();
  if (!lease.ok()) return lease.status();
  Result<Transaction> txn = Transaction::begin(**lease, Transaction::Kind::kRead, what);
  if (!txn.ok()) return txn.status();
  LS_RETURN_IF_ERROR(work(**lease));
  return txn->commit();
}

Status SqliteStore::withWriteTransaction(const char* what, const Work& work) {
  std::lock_guard writer(writeMutex_);
  Result<sqlite::ConnectionPool::Lease> lease = pool_->acquire();
  if (!lease.ok()) return noteWrite(lease.status(), false);
  const std::int64_t changesBefore = (*lease)->totalChanges();
  Status s = [&]() -> Status {
    Result<Transaction> txn = Transaction::begin(**lease, Transaction::Kind::kWrite, what);
    if (!txn.ok()) return txn.status();
    LS_RETURN_IF_ERROR(work(**lease));  // on error the guard rolls back: no partial rows
    return txn->commit();
  }();
  return noteWrite(std::move(s), (*lease)->totalChanges() != changesBefore);
}

Status SqliteStore::noteWrite(Status s, bool changedRows) {
  if (s.isOk()) {
    // A commit that changed nothing wrote nothing to disk, so it proves nothing.
    if (changedRows) lastWrite_.store(std::chrono::steady_clock::now().time_since_epoch().count());
  } else if (s.code() == Code::kUnavailable) {
    lastWrite_.store(kNoWrite);  // the next probe must write again
  }
  return s;
}

Result<std::int64_t> SqliteStore::schemaVersion() {
  std::int64_t version = 0;
  const Status s = withConnection([&](Connection& c) -> Status {
    Result<std::int64_t> v = sqlite::readSchemaVersion(c);
    if (!v.ok()) return v.status();
    version = *v;
    return Status::ok();
  });
  return valueOr(s, version);
}

Status SqliteStore::ping() {
  // Reads a table (not just `SELECT 1`), so a file that cannot be read or locked shows.
  return withConnection([&](Connection& c) -> Status {
    Result<bool> any = sqlite::exists(c, sqlite::sql::kPing, [](Statement&) {});
    return any.status();
  });
}

Status SqliteStore::probeWrite() {
  const std::int64_t last = lastWrite_.load();
  if (last != kNoWrite) {
    const std::chrono::steady_clock::duration since =
        std::chrono::steady_clock::now().time_since_epoch() - std::chrono::steady_clock::duration(last);
    if (since < writeProbeCache_) return Status::ok();
  }
  return withWriteTransaction("probe write", [](Connection& c) -> Status {
    return sqlite::change(c, sqlite::sql::kProbeWrite, [](Statement&) {}).status();
  });
}

// Teams ---------------------------------------------------------------------

Result<Team> SqliteStore::insertTeam(const Team& team) {
  const Status s = withWriteTransaction("insert team", [&](Connection& c) -> Status {
    return sqlite::change(
               c, sqlite::sql::kInsertTeam,
               [&](Statement& st) { st.bindText(1, team.id).bindText(2, team.name).bindInt64(3, team.createdAt); })
        .status();
  });
  return valueOr(s, team);
}

Result<std::optional<Team>> SqliteStore::findTeam(std::string_view id) {
  std::optional<Team> team;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectOne(
        c, sqlite::sql::kFindTeam, [&](Statement& st) { st.bindText(1, id); }, sqlite::readTeam, team);
  });
  return valueOr(s, std::move(team));
}

Result<std::optional<Team>> SqliteStore::findTeamByName(std::string_view name) {
  std::optional<Team> team;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectOne(
        c, sqlite::sql::kFindTeamByName, [&](Statement& st) { st.bindText(1, name); }, sqlite::readTeam, team);
  });
  return valueOr(s, std::move(team));
}

// Projects ------------------------------------------------------------------

Result<Project> SqliteStore::insertProject(const Project& project) {
  const Status s = withWriteTransaction("insert project", [&](Connection& c) -> Status {
    Result<bool> teamExists =
        sqlite::exists(c, sqlite::sql::kTeamExists, [&](Statement& st) { st.bindText(1, project.teamId); });
    if (!teamExists.ok()) return teamExists.status();
    if (!*teamExists) return notFound(missing("team", project.teamId));
    return sqlite::insertProjectRow(c, project);
  });
  return valueOr(s, project);
}

Result<std::optional<Project>> SqliteStore::findProject(std::string_view id) {
  std::optional<Project> project;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectOne(
        c, sqlite::sql::kFindProject, [&](Statement& st) { st.bindText(1, id); }, sqlite::readProject, project);
  });
  return valueOr(s, std::move(project));
}

Result<std::optional<Project>> SqliteStore::findProjectByApiKeyHash(std::string_view apiKeyHash) {
  std::optional<Project> project;
  if (apiKeyHash.empty()) return project;  // "no key" matches nothing
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectOne(
        c, sqlite::sql::kFindProjectByApiKeyHash, [&](Statement& st) { st.bindText(1, apiKeyHash); },
        sqlite::readProject, project);
  });
  return valueOr(s, std::move(project));
}

Result<std::vector<Project>> SqliteStore::listProjects() {
  std::vector<Project> projects;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectAll(
        c, sqlite::sql::kListProjects, [](Statement&) {}, sqlite::readProject, projects);
  });
  return valueOr(s, std::move(projects));
}

Status SqliteStore::setProjectApiKeyHash(std::string_view projectId, std::string_view apiKeyHash) {
  return withWriteTransaction("set project api key", [&](Connection& c) -> Status {
    Result<std::int64_t> changed = sqlite::change(c, sqlite::sql::kSetProjectApiKeyHash, [&](Statement& st) {
      st.bindText(1, projectId).bindTextOrNull(2, apiKeyHash);
    });
    if (!changed.ok()) return changed.status();
    return *changed == 0 ? notFound(missing("project", projectId)) : Status::ok();
  });
}

Status SqliteStore::setProjectAbrEnabled(std::string_view projectId, bool enabled) {
  return withWriteTransaction("set project abr", [&](Connection& c) -> Status {
    Result<std::int64_t> changed = sqlite::change(c, sqlite::sql::kSetProjectAbrEnabled, [&](Statement& st) {
      st.bindText(1, projectId).bindBool(2, enabled);
    });
    if (!changed.ok()) return changed.status();
    return *changed == 0 ? notFound(missing("project", projectId)) : Status::ok();
  });
}

}  // namespace ls
