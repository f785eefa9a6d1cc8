#include "app/db_command.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <utility>
#include <vector>

#include "app/cli_args.hpp"
#include "app/cli_common.hpp"
#include "app/config.hpp"
#include "app/data_dir.hpp"
#include "auth/signing_key.hpp"
#include "core/time.hpp"
#include "store/postgres/errors.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ls::app {

namespace {

constexpr const char* kDbHelp = R"(Usage: lunarstream db migrate [--database URL | --data-dir DIR] [--json]
       lunarstream db copy --from DATA_DIR --to postgres://...

  migrate  Brings the database's schema up to the one this binary uses and
           prints its version; nothing to do is success too. `serve` migrates
           on start as well: run this to upgrade before rolling out new
           servers, or to create the schema of an empty PostgreSQL database.
           A database written by a newer binary is refused.

Options:
  --database URL   PostgreSQL, postgres://USER:PASS@HOST:PORT/DB
                   (default: LUNARSTREAM_DATABASE_URL, else SQLite in the data dir)
  --data-dir DIR   data directory holding lunarstream.db (default: ./data)
  --json           print {"database", "schemaVersion"} as JSON

  copy     Moves an install off SQLite: copies every team, project (with its
           API key hash), media server, livestream and push-token key of
           DATA_DIR/lunarstream.db into the PostgreSQL database (migrated
           first; it must hold no such rows), in one transaction, then
           checks and prints the row counts. A data dir whose keys are still
           only in keys/push-token-key.pem has that key copied. API keys and
           push tokens keep working. Stop the servers on DATA_DIR first.
)";

int migrate(const CliArgs& args) {
  auto dir = openFromArgs(args);  // opening applies the migrations
  if (!dir.ok()) return fail(dir.status());
  Result<std::int64_t> version = invalidArgument("unknown store");
  std::string database;
  if (auto* pg = dynamic_cast<PostgresStore*>(dir->store.get()); pg != nullptr) {
    version = pg->schemaVersion();
    const char* env = std::getenv("LUNARSTREAM_DATABASE_URL");
    database = postgres::redactedTarget(args.get("database").value_or(env == nullptr ? "" : env));
  } else if (auto* lite = dynamic_cast<SqliteStore*>(dir->store.get()); lite != nullptr) {
    version = lite->schemaVersion();
    database = (dir->root / "lunarstream.db").string();
  }
  if (!version.ok()) return fail(version.status());
  if (args.has("json")) {
    std::cout << boost::json::serialize(boost::json::object{{"database", database}, {"schemaVersion", *version}})
              << "\n";
  } else {
    std::cout << "database " << database << ": schema version " << *version << " (current)\n";
  }
  return 0;
}

// The row counts of a snapshot, per table.
std::vector<std::pair<const char*, std::size_t>> counts(const StoreSnapshot& s) {
  return {{"teams", s.teams.size()},
          {"projects", s.projects.size()},
          {"media_servers", s.mediaServers.size()},
          {"livestreams", s.livestreams.size()},
          {"signing_keys", s.signingKeys.size()},
          {"audit_log", s.auditEntries.size()},
          {"usage_counts", s.usage.size()},
          {"users", s.users.size()},
          {"webhook_endpoints", s.webhookEndpoints.size()}};
}

int copy(const CliArgs& args) {
  const auto from = args.get("from");
  const auto to = args.get("to");
  if (!from || from->empty() || !to || to->empty()) {
    return fail(invalidArgument("db copy needs --from DATA_DIR and --to postgres://..."));
  }
  Config cfg;
  if (Status s = applyConfigValue(cfg, "database.url", *to); !s.isOk()) return fail(invalidArgument("--to: " + s.message()));
  if (cfg.databaseUrl.empty()) return fail(invalidArgument("--to: must be a postgres:// URL"));
  const std::filesystem::path dbFile = std::filesystem::path(*from) / "lunarstream.db";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(dbFile, ec)) {
    return fail(invalidArgument("--from: " + dbFile.string() + " does not exist (give the SQLite data directory)"));
  }
  auto source = SqliteStore::open(dbFile);
  if (!source.ok()) return fail(source.status());
  auto snapshot = (*source)->exportAll();
  if (!snapshot.ok()) return fail(snapshot.status());
  if (snapshot->signingKeys.empty()) {
    // A data dir last served by a version that kept the key in a file.
    const std::filesystem::path keyFile = legacySigningKeyFile(*from);
    auto pem = auth::SigningKey::readPemFile(keyFile);
    if (!pem.ok()) return fail(pem.status());
    if (pem->has_value()) {
      auto key = auth::SigningKey::fromPem(**pem, keyFile.string());
      if (!key.ok()) return fail(key.status());
      const UnixMillis now = SystemClock().now();
      snapshot->signingKeys.push_back({key->kid(), std::move(**pem), now, now, std::nullopt});
    }
  }
  auto target = PostgresStore::open(cfg.databaseUrl);
  if (!target.ok()) return fail(target.status());
  if (Status s = (*target)->importAll(*snapshot); !s.isOk()) {
    return fail(Status(s.code(), postgres::redactedTarget(cfg.databaseUrl) + ": " + s.message()));
  }
  auto copied = (*target)->exportAll();
  if (!copied.ok()) return fail(copied.status());
  const auto expected = counts(*snapshot);
  const auto found = counts(*copied);
  bool same = true;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    std::cout << expected[i].first << ": " << expected[i].second << " copied, " << found[i].second << " in "
              << postgres::redactedTarget(cfg.databaseUrl) << "\n";
    same = same && expected[i].second == found[i].second;
  }
  if (!same) return fail(internalError("the row counts differ after the copy"));
  return 0;
}

}  // namespace

int runDbCommand(const std::vector<std::string>& argv) {
  if (argv.empty() || wantsHelp(argv) || (argv[0] != "migrate" && argv[0] != "copy")) {
    std::cout << kDbHelp;
    return argv.empty() || !wantsHelp(argv) ? 2 : 0;
  }
  if (argv[0] == "copy") {
    auto args = CliArgs::parse({argv.begin() + 1, argv.end()}, {{"from"}, {"to"}});
    if (!args.ok()) return fail(args.status());
    return copy(*args);
  }
  auto args = CliArgs::parse({argv.begin() + 1, argv.end()}, {{"data-dir"}, {"database"}, {"json", false}});
  if (!args.ok()) return fail(args.status());
  return migrate(*args);
}

}  // namespace ls::app
