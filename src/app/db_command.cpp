#include "app/db_command.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <iostream>

#include "app/cli_args.hpp"
#include "app/cli_common.hpp"
#include "app/data_dir.hpp"
#include "store/postgres/errors.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ls::app {

namespace {

constexpr const char* kDbHelp = R"(Usage: lunarstream db migrate [--database URL | --data-dir DIR] [--json]

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

}  // namespace

int runDbCommand(const std::vector<std::string>& argv) {
  if (argv.empty() || wantsHelp(argv) || argv[0] != "migrate") {
    std::cout << kDbHelp;
    return argv.empty() || !wantsHelp(argv) ? 2 : 0;
  }
  auto args = CliArgs::parse({argv.begin() + 1, argv.end()}, {{"data-dir"}, {"database"}, {"json", false}});
  if (!args.ok()) return fail(args.status());
  return migrate(*args);
}

}  // namespace ls::app
