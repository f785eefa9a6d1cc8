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

constexpr const char* kProjectHelp = R"(Usage: lunarstream project create|list|update [options]

  create --name NAME [--team NAME]
          Creates a project (and its team when no team of that name exists)
          and prints its API key. The key is shown only now; the database
          keeps only its hash. --json prints {"teamId", "projectId", "apiKey"}.
  list    Prints every project (--json: an array of {id, teamId, name, abrEnabled, createdAt}).
  update --project ID --abr on|off
          Switches the adaptive-bitrate ladder for the project's streams (off:
          the original rendition only), from their next publish on.

Common options:
  --data-dir DIR   data directory of the server (default: ./data)
  --database URL   the server's PostgreSQL database, postgres://USER:PASS@HOST:PORT/DB
                   (default: LUNARSTREAM_DATABASE_URL, else SQLite in the data dir)
  --json           JSON output
)";

constexpr const char* kApiKeyHelp = R"(Usage: lunarstream apikey regenerate --project ID [--data-dir DIR | --database URL] [--json]

Replaces a project's API key. The old key is refused from this moment, also
by a server that is running; live publishers are not interrupted.

Options:
  --project ID     project id (UUID)
  --data-dir DIR   data directory of the server (default: ./data)
  --database URL   the server's PostgreSQL database, postgres://USER:PASS@HOST:PORT/DB
                   (default: LUNARSTREAM_DATABASE_URL, else SQLite in the data dir)
  --json           print {"projectId", "apiKey"} as JSON
)";

}  // namespace

namespace {

int listProjects(const CliArgs& args) {
  auto dir = openFromArgs(args);
  if (!dir.ok()) return fail(dir.status());
  SystemClock clock;
  SecureRandom random;
  control::ProjectService projects(*dir->store, clock, random);
  auto list = projects.list();
  if (!list.ok()) return fail(list.status());
  boost::json::array out;
  for (const Project& p : *list) {
    out.emplace_back(boost::json::object{{"id", p.id},
                                         {"teamId", p.teamId},
                                         {"name", p.name},
                                         {"abrEnabled", p.abrEnabled},
                                         {"createdAt", formatIso8601(p.createdAt)}});
  }
  if (args.has("json")) {
    std::cout << boost::json::serialize(out) << "\n";
  } else {
    for (const Project& p : *list) {
      std::cout << p.id << "  " << p.name << (p.abrEnabled ? "" : "  (ABR off)") << "\n";
    }
  }
  return 0;
}

int updateProject(const CliArgs& args) {
  const std::optional<std::string> projectId = args.get("project");
  if (!projectId || !isUuid(*projectId)) return fail(invalidArgument("--project must be a project id (UUID)"));
  const std::optional<std::string> abr = args.get("abr");
  if (!abr || (*abr != "on" && *abr != "off")) return fail(invalidArgument("--abr must be on or off"));
  auto dir = openFromArgs(args);
  if (!dir.ok()) return fail(dir.status());
  SystemClock clock;
  SecureRandom random;
  control::ProjectService projects(*dir->store, clock, random);
  if (Status s = projects.setAbrEnabled(*projectId, *abr == "on"); !s.isOk()) return fail(s);
  if (args.has("json")) {
    std::cout << boost::json::serialize(boost::json::object{{"projectId", *projectId}, {"abrEnabled", *abr == "on"}})
              << "\n";
  } else {
    std::cout << "ABR " << *abr << " for project " << *projectId << "\n";
  }
  return 0;
}

}  // namespace

int runProjectCommand(const std::vector<std::string>& argv) {
  if (argv.empty() || wantsHelp(argv) || (argv[0] != "create" && argv[0] != "list" && argv[0] != "update")) {
    std::cout << kProjectHelp;
    return argv.empty() || !wantsHelp(argv) ? 2 : 0;
  }
  auto args = CliArgs::parse({argv.begin() + 1, argv.end()},
                             {{"name"}, {"team"}, {"project"}, {"abr"}, {"data-dir"}, {"database"}, {"json", false}});
  if (!args.ok()) return fail(args.status());
  if (argv[0] == "list") return listProjects(*args);
  if (argv[0] == "update") return updateProject(*args);
  if (!args->get("name")) return fail(invalidArgument("--name is required"));
  auto dir = openFromArgs(*args);
  if (!dir.ok()) return fail(dir.status());
  SystemClock clock;
  SecureRandom random;
  control::ProjectService projects(*dir->store, clock, random);
  auto created = projects.create(*args->get("name"), args->get("team").value_or("Default team"));
  if (!created.ok()) return fail(created.status());
  if (args->has("json")) {
    std::cout << boost::json::serialize(boost::json::object{
                     {"teamId", created->team.id}, {"projectId", created->project.id}, {"apiKey", created->apiKey}})
              << "\n";
  } else {
    std::cout << "Project " << created->project.name << " (" << created->project.id << ") in team "
              << created->team.name << "\nAPI key (shown once): " << created->apiKey << "\n";
  }
  return 0;
}

int runApiKeyCommand(const std::vector<std::string>& argv) {
  if (argv.empty() || wantsHelp(argv) || argv[0] != "regenerate") {
    std::cout << kApiKeyHelp;
    return argv.empty() || !wantsHelp(argv) ? 2 : 0;
  }
  auto args = CliArgs::parse({argv.begin() + 1, argv.end()}, {{"project"}, {"data-dir"}, {"database"}, {"json", false}});
  if (!args.ok()) return fail(args.status());
  const std::optional<std::string> projectId = args->get("project");
  if (!projectId || !isUuid(*projectId)) return fail(invalidArgument("--project must be a project id (UUID)"));
  auto dir = openFromArgs(*args);
  if (!dir.ok()) return fail(dir.status());
  SystemClock clock;
  SecureRandom random;
  control::ProjectService projects(*dir->store, clock, random);
  auto key = projects.regenerateApiKey(*projectId);
  if (!key.ok()) return fail(key.status());
  if (args->has("json")) {
    std::cout << boost::json::serialize(boost::json::object{{"projectId", *projectId}, {"apiKey", *key}}) << "\n";
  } else {
    std::cout << "New API key (shown once): " << *key << "\n";
  }
  return 0;
}

}  // namespace ls::app
