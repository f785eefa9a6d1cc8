#include "app/admin_commands.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>

#include "app/cli_args.hpp"
#include "app/cli_common.hpp"
#include "app/config.hpp"
#include "app/data_dir.hpp"
#include "control/project_service.hpp"

namespace ls::app {

namespace {

constexpr const char* kApiKeyHelp = R"(Usage: lunarstream apikey regenerate --project ID [--data-dir DIR | --database URL] [--json]

Replaces a project's API key and prints the new one (shown only now). The
old key is refused from this moment, also by every server that is running
(keys are looked up by hash on each request; nothing caches them); live
publishers are not interrupted. Recorded in the audit log.

Options:
  --project ID     project id (UUID)
  --data-dir DIR   data directory of the server (default: ./data)
  --database URL   the server's PostgreSQL database, postgres://USER:PASS@HOST:PORT/DB
                   (default: LUNARSTREAM_DATABASE_URL, else SQLite in the data dir)
  --json           print {"projectId", "apiKey"} as JSON
)";

}  // namespace

int runApiKeyCommand(const std::vector<std::string>& argv) {
  if (argv.empty() || wantsHelp(argv) || argv[0] != "regenerate") {
    std::cout << kApiKeyHelp;
    return argv.empty() || !wantsHelp(argv) ? 2 : 0;
  }
  auto args = CliArgs::parse({argv.begin() + 1, argv.end()}, {{"project"}, {"data-dir"}, {"database"}, {"config"}, {"json", false}});
  if (!args.ok()) return fail(args.status());
  const std::optional<std::string> projectId = args->get("project");
  if (!projectId || !isUuid(*projectId)) return fail(invalidArgument("--project must be a project id (UUID)"));
  auto dir = openFromArgs(*args);
  if (!dir.ok()) return fail(dir.status());
  SystemClock clock;
  SecureRandom random;
  control::ProjectService projects(*dir->store, clock, random);
  auto key = projects.regenerateApiKey(*projectId, cliActor());
  if (!key.ok()) return fail(key.status());
  if (args->has("json")) {
    std::cout << boost::json::serialize(boost::json::object{{"projectId", *projectId}, {"apiKey", *key}}) << "\n";
  } else {
    std::cout << "New API key (shown once): " << *key << "\n";
  }
  return 0;
}

}  // namespace ls::app
