// lunarstream project create|list|rename|delete|set-abr|set-rate-limit: the
// project operations of the administration API, from the shell, through the
// same control::ProjectService; each change lands in the audit log with the
// CLI actor (the OS user name).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>

#include "app/admin_commands.hpp"
#include "app/cli_args.hpp"
#include "app/cli_common.hpp"
#include "app/config.hpp"
#include "app/data_dir.hpp"
#include "control/key_ring.hpp"
#include "control/livestream_service.hpp"
#include "control/project_service.hpp"
#include "http_client/http_client.hpp"
#include "nodes/external_node_api.hpp"

namespace ls::app {

namespace {

constexpr const char* kProjectHelp = R"(Usage: lunarstream project COMMAND [options]

  create --name NAME [--team NAME | --team-id ID] [--abr on|off]
          Creates a project and prints its API key (shown only now; the
          database keeps only its hash). --team names the team (created when
          missing, default "Default team"); --team-id an existing team.
          --json prints {"teamId", "projectId", "apiKey"}.
  list [--team ID]
          Prints the projects (of one team). --json: an array of
          {id, teamId, name, abrEnabled, rateLimit: {perMinute, perHour} | null, createdAt}.
  rename --project ID --name NAME
  delete --project ID
          Deletes the project's livestreams (cutting live publishers, as the
          partner DELETE does) and then the project. Its usage rows are kept.
  set-abr --project ID --abr on|off
          Switches the adaptive-bitrate ladder for the project's streams (off:
          the original rendition only), from their next publish on.
          (`update --project ID --abr on|off` does the same.)
  set-rate-limit --project ID (--per-minute N --per-hour N | --default)
          The project's own partner API limits, enforced from its next request
          on; --default goes back to api.partner_requests_per_minute / _per_hour.

Every change is recorded in the audit log (`lunarstream audit-log`).

Common options:
  --data-dir DIR   data directory of the server (default: ./data)
  --database URL   the server's PostgreSQL database, postgres://USER:PASS@HOST:PORT/DB
                   (default: LUNARSTREAM_DATABASE_URL, else SQLite in the data dir)
  --config FILE    a server config file (its data_dir and database.url)
  --json           JSON output
)";

boost::json::value rateLimitJson(const std::optional<ProjectRateLimit>& limit) {
  if (!limit) return nullptr;
  return boost::json::object{{"perMinute", limit->perMinute}, {"perHour", limit->perHour}};
}

boost::json::object projectJson(const Project& p) {
  return {{"id", p.id},
          {"teamId", p.teamId},
          {"name", p.name},
          {"abrEnabled", p.abrEnabled},
          {"rateLimit", rateLimitJson(p.rateLimit)},
          {"createdAt", formatIso8601(p.createdAt)}};
}

std::string describeLimit(const std::optional<ProjectRateLimit>& limit) {
  if (!limit) return "default limits";
  return std::to_string(limit->perMinute) + "/min, " + std::to_string(limit->perHour) + "/h";
}

// The services a command needs, on the store the flags name.
struct Session {
  DataDir dir;
  SystemClock clock;
  SecureRandom random;
  std::unique_ptr<control::ProjectService> projects;
};

Result<std::unique_ptr<Session>> openSession(const CliArgs& args) {
  auto dir = openFromArgs(args);
  if (!dir.ok()) return dir.status();
  auto s = std::make_unique<Session>();
  s->dir = std::move(*dir);
  s->projects = std::make_unique<control::ProjectService>(*s->dir.store, s->clock, s->random);
  return s;
}

int printProject(const CliArgs& args, const Project& p, const std::string& text) {
  if (args.has("json")) {
    std::cout << boost::json::serialize(projectJson(p)) << "\n";
  } else {
    std::cout << text << "\n";
  }
  return 0;
}

int createProject(const CliArgs& args) {
  const std::optional<std::string> name = args.get("name");
  if (!name) return fail(invalidArgument("--name is required"));
  if (args.has("team") && args.has("team-id")) return fail(invalidArgument("give --team or --team-id, not both"));
  std::optional<std::string> teamId;
  if (args.has("team-id")) {
    auto id = idFlag(args, "team-id", "team");
    if (!id.ok()) return fail(id.status());
    teamId = *id;
  }
  const std::optional<std::string> abr = args.get("abr");
  if (abr && *abr != "on" && *abr != "off") return fail(invalidArgument("--abr must be on or off"));
  auto session = openSession(args);
  if (!session.ok()) return fail(session.status());
  control::ProjectService& projects = *(*session)->projects;
  const Actor actor = cliActor();
  auto created = teamId ? projects.createInTeam(*teamId, *name, abr.value_or("on") == "on", actor)
                        : projects.create(*name, args.get("team").value_or("Default team"), actor);
  if (!created.ok()) return fail(created.status());
  if (!teamId && abr == "off") {
    auto off = projects.setAbrEnabled(created->project.id, false, actor);
    if (!off.ok()) return fail(off.status());
  }
  if (args.has("json")) {
    std::cout << boost::json::serialize(boost::json::object{
                     {"teamId", created->team.id}, {"projectId", created->project.id}, {"apiKey", created->apiKey}})
              << "\n";
  } else {
    std::cout << "Project " << created->project.name << " (" << created->project.id << ") in team "
              << created->team.name << "\nAPI key (shown once): " << created->apiKey << "\n";
  }
  return 0;
}

int listProjects(const CliArgs& args) {
  std::optional<std::string> teamId;
  if (args.has("team")) {
    auto id = idFlag(args, "team", "team");
    if (!id.ok()) return fail(id.status());
    teamId = *id;
  }
  auto session = openSession(args);
  if (!session.ok()) return fail(session.status());
  control::ProjectService& projects = *(*session)->projects;
  auto list = teamId ? projects.listOfTeam(*teamId) : projects.list();
  if (!list.ok()) return fail(list.status());
  if (args.has("json")) {
    boost::json::array out;
    for (const Project& p : *list) out.emplace_back(projectJson(p));
    std::cout << boost::json::serialize(out) << "\n";
  } else {
    for (const Project& p : *list) {
      std::cout << p.id << "  " << p.name << "  team " << p.teamId << (p.abrEnabled ? "" : "  (ABR off)")
                << (p.rateLimit ? "  (" + describeLimit(p.rateLimit) + ")" : std::string()) << "\n";
    }
  }
  return 0;
}

int renameProject(const CliArgs& args) {
  auto id = idFlag(args, "project", "project");
  if (!id.ok()) return fail(id.status());
  const std::optional<std::string> name = args.get("name");
  if (!name) return fail(invalidArgument("--name is required"));
  auto session = openSession(args);
  if (!session.ok()) return fail(session.status());
  auto renamed = (*session)->projects->rename(*id, *name, cliActor());
  if (!renamed.ok()) return fail(renamed.status());
  return printProject(args, *renamed, "Project " + renamed->id + " is now named " + renamed->name);
}

int setAbr(const CliArgs& args) {
  auto id = idFlag(args, "project", "project");
  if (!id.ok()) return fail(id.status());
  const std::optional<std::string> abr = args.get("abr");
  if (!abr || (*abr != "on" && *abr != "off")) return fail(invalidArgument("--abr must be on or off"));
  auto session = openSession(args);
  if (!session.ok()) return fail(session.status());
  auto updated = (*session)->projects->setAbrEnabled(*id, *abr == "on", cliActor());
  if (!updated.ok()) return fail(updated.status());
  if (args.has("json")) {
    std::cout << boost::json::serialize(boost::json::object{{"projectId", *id}, {"abrEnabled", *abr == "on"}})
              << "\n";
  } else {
    std::cout << "ABR " << *abr << " for project " << *id << "\n";
  }
  return 0;
}

int setRateLimit(const CliArgs& args) {
  auto id = idFlag(args, "project", "project");
  if (!id.ok()) return fail(id.status());
  auto perMinute = intFlag(args, "per-minute", 1, control::kMaxRequestsPerWindow);
  if (!perMinute.ok()) return fail(perMinute.status());
  auto perHour = intFlag(args, "per-hour", 1, control::kMaxRequestsPerWindow);
  if (!perHour.ok()) return fail(perHour.status());
  std::optional<ProjectRateLimit> limit;
  if (args.has("default")) {
    if (*perMinute || *perHour) return fail(invalidArgument("--default takes no --per-minute or --per-hour"));
  } else {
    if (!*perMinute || !*perHour) {
      return fail(invalidArgument("give both --per-minute N and --per-hour N, or --default"));
    }
    limit = ProjectRateLimit{**perMinute, **perHour};
  }
  auto session = openSession(args);
  if (!session.ok()) return fail(session.status());
  auto updated = (*session)->projects->setRateLimit(*id, limit, cliActor());
  if (!updated.ok()) return fail(updated.status());
  return printProject(args, *updated, "Project " + updated->id + ": " + describeLimit(updated->rateLimit));
}

int deleteProject(const CliArgs& args) {
  auto id = idFlag(args, "project", "project");
  if (!id.ok()) return fail(id.status());
  auto session = openSession(args);
  if (!session.ok()) return fail(session.status());
  Session& s = **session;
  // Livestreams go through LivestreamService, so publishers on nodes with an
  // API (remote LunarStream nodes, ZLMediaKit, MediaMTX) are cut as by the
  // partner DELETE. No token is signed here, so the key ring is never loaded.
  control::StoreKeyRing keys(*s.dir.store, s.clock);
  control::LivestreamService livestreams(*s.dir.store, keys, s.clock, s.random, control::LivestreamOptions{});
  http_client::HttpClient http;
  nodes::ExternalNodeApi nodeApi(http);
  livestreams.setNodeApi(&nodeApi);
  auto deleted = s.projects->remove(*id, livestreams, cliActor());
  if (!deleted.ok()) return fail(deleted.status());
  for (const std::string& problem : deleted->problems) std::cerr << "warning: " << problem << "\n";
  if (args.has("json")) {
    boost::json::array problems(deleted->problems.begin(), deleted->problems.end());
    std::cout << boost::json::serialize(boost::json::object{{"projectId", deleted->project.id},
                                                            {"livestreamsDeleted", deleted->livestreamsDeleted},
                                                            {"publishersCut", deleted->publishersCut},
                                                            {"problems", std::move(problems)}})
              << "\n";
  } else {
    std::cout << "Deleted project " << deleted->project.name << " (" << deleted->project.id << ") with "
              << deleted->livestreamsDeleted << " livestream(s); " << deleted->publishersCut
              << " live publisher(s) cut\n";
  }
  return 0;
}

}  // namespace

int runProjectCommand(const std::vector<std::string>& argv) {
  static const std::vector<std::string> kCommands{"create", "list",   "update",        "rename",
                                                  "delete", "set-abr", "set-rate-limit"};
  if (argv.empty() || wantsHelp(argv) || std::find(kCommands.begin(), kCommands.end(), argv[0]) == kCommands.end()) {
    if (!argv.empty() && !wantsHelp(argv)) std::cerr << "error: unknown project command '" << argv[0] << "'\n\n";
    std::cout << kProjectHelp;
    return argv.empty() || !wantsHelp(argv) ? 2 : 0;
  }
  auto args = CliArgs::parse({argv.begin() + 1, argv.end()}, {{"name"},
                                                              {"team"},
                                                              {"team-id"},
                                                              {"project"},
                                                              {"abr"},
                                                              {"per-minute"},
                                                              {"per-hour"},
                                                              {"default", false},
                                                              {"data-dir"},
                                                              {"database"},
                                                              {"config"},
                                                              {"json", false}});
  if (!args.ok()) return fail(args.status());
  if (!args->positional().empty()) {
    return fail(invalidArgument("unexpected argument '" + args->positional().front() + "' (see --help)"));
  }
  const std::string& command = argv[0];
  if (command == "create") return createProject(*args);
  if (command == "list") return listProjects(*args);
  if (command == "rename") return renameProject(*args);
  if (command == "delete") return deleteProject(*args);
  if (command == "set-rate-limit") return setRateLimit(*args);
  return setAbr(*args);  // set-abr, update
}

}  // namespace ls::app
