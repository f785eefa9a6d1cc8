// lunarstream team list|create|rename|delete and lunarstream audit-log: the
// team operations and the audit log of the administration API, from the
// shell, through the same control services (changes recorded with the CLI
// actor, the OS user name).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>

#include "app/admin_commands.hpp"
#include "app/cli_args.hpp"
#include "app/cli_common.hpp"
#include "app/data_dir.hpp"
#include "control/audit_log.hpp"
#include "control/project_service.hpp"

namespace ls::app {

namespace {

constexpr const char* kTeamHelp = R"(Usage: lunarstream team COMMAND [options]

  list                          every team (--json: an array of {id, name, createdAt})
  create --name NAME            a new team (names are unique)
  rename --team ID --name NAME
  delete --team ID              only a team without projects (delete those first)

  members --team ID                           its members (--json: [{teamId, userId, email, role, createdAt}])
  add-member --team ID --email E --role R     an existing user joins (R: owner, admin, member, viewer)
  set-role --team ID --email E --role R       a team always keeps at least one owner
  remove-member --team ID --email E
  invite --team ID --email E --role R         prints the invitation token once (--json: {id, teamId,
                                              email, role, expiresAt, token}); it is accepted in the
                                              dashboard (teams.invitation_ttl_hours, default 168)

The CLI acts as a system administrator.

Every change is recorded in the audit log (`lunarstream audit-log`).

Common options:
  --data-dir DIR   data directory of the server (default: ./data)
  --database URL   the server's PostgreSQL database, postgres://USER:PASS@HOST:PORT/DB
                   (default: LUNARSTREAM_DATABASE_URL, else SQLite in the data dir)
  --config FILE    a server config file (its data_dir and database.url)
  --json           JSON output
)";

constexpr const char* kAuditHelp = R"(Usage: lunarstream audit-log [--team ID] [--limit N] [--page N] [--json]

Prints who changed what, newest first: API key regenerations, team and
project changes, media servers, livestream deletes made from the console or
the CLI. (The partner API's own creates and deletes are not recorded.)

  --team ID        only the entries of that team
  --limit N        entries per page, 1..1000 (default 50)
  --page N         page, from 1 (default 1)
  --json           {"data": [{id, at, actor: {type, id, email?}, action, teamId,
                   projectId?, target: {type, id}, details}], "meta": {...}}

Common options: --data-dir DIR, --database URL, --config FILE (as for `project`).
)";

constexpr std::int64_t kMaxAuditLimit = 1000;

boost::json::object teamJson(const Team& t) {
  return {{"id", t.id}, {"name", t.name}, {"createdAt", formatIso8601(t.createdAt)}};
}

boost::json::object auditJson(const AuditEntry& e) {
  boost::json::object actor{{"type", toString(e.actor.type)}, {"id", e.actor.id}};
  if (e.actor.type == ActorType::kUser && !e.actor.label.empty()) {
    actor["email"] = e.actor.label;
  } else if (!e.actor.label.empty()) {
    actor["label"] = e.actor.label;
  }
  boost::json::object out{{"id", e.id},
                          {"at", formatIso8601(e.at)},
                          {"actor", std::move(actor)},
                          {"action", e.action},
                          {"teamId", e.teamId.empty() ? boost::json::value(nullptr) : boost::json::value(e.teamId)}};
  if (!e.projectId.empty()) out["projectId"] = e.projectId;
  out["target"] = boost::json::object{{"type", e.targetType}, {"id", e.targetId}};
  boost::system::error_code ec;
  boost::json::value details = boost::json::parse(e.detailsJson, ec);
  out["details"] = ec || !details.is_object() ? boost::json::value(boost::json::object{}) : std::move(details);
  return out;
}

int teamList(const CliArgs& args, control::ProjectService& projects) {
  auto teams = projects.listTeams();
  if (!teams.ok()) return fail(teams.status());
  if (args.has("json")) {
    boost::json::array out;
    for (const Team& t : *teams) out.emplace_back(teamJson(t));
    std::cout << boost::json::serialize(out) << "\n";
  } else {
    for (const Team& t : *teams) std::cout << t.id << "  " << t.name << "\n";
  }
  return 0;
}

int printTeam(const CliArgs& args, const Team& t, const std::string& text) {
  if (args.has("json")) {
    std::cout << boost::json::serialize(teamJson(t)) << "\n";
  } else {
    std::cout << text << "\n";
  }
  return 0;
}

}  // namespace

int runTeamCommand(const std::vector<std::string>& argv) {
  if (!argv.empty() && isTeamMemberCommand(argv[0]) && !wantsHelp(argv)) {
    return runTeamMemberCommand(argv[0], {argv.begin() + 1, argv.end()});
  }
  const bool known =
      !argv.empty() && (argv[0] == "list" || argv[0] == "create" || argv[0] == "rename" || argv[0] == "delete");
  if (!known || wantsHelp(argv)) {
    if (!argv.empty() && !known && !wantsHelp(argv)) {
      std::cerr << "error: unknown team command '" << argv[0] << "'\n\n";
    }
    std::cout << kTeamHelp;
    return argv.empty() || !wantsHelp(argv) ? 2 : 0;
  }
  auto args = CliArgs::parse({argv.begin() + 1, argv.end()},
                             {{"team"}, {"name"}, {"data-dir"}, {"database"}, {"config"}, {"json", false}});
  if (!args.ok()) return fail(args.status());
  if (!args->positional().empty()) {
    return fail(invalidArgument("unexpected argument '" + args->positional().front() + "' (see --help)"));
  }
  const std::string& command = argv[0];
  std::string teamId;
  if (command == "rename" || command == "delete") {
    auto id = idFlag(*args, "team", "team");
    if (!id.ok()) return fail(id.status());
    teamId = *id;
  }
  if ((command == "rename" || command == "create") && !args->get("name")) {
    return fail(invalidArgument("--name is required"));
  }
  auto dir = openFromArgs(*args);
  if (!dir.ok()) return fail(dir.status());
  SystemClock clock;
  SecureRandom random;
  control::ProjectService projects(*dir->store, clock, random);
  if (command == "list") return teamList(*args, projects);
  if (command == "create") {
    auto team = projects.createTeam(*args->get("name"), cliActor());
    if (!team.ok()) return fail(team.status());
    return printTeam(*args, *team, "Team " + team->name + " (" + team->id + ")");
  }
  if (command == "rename") {
    auto team = projects.renameTeam(teamId, *args->get("name"), cliActor());
    if (!team.ok()) return fail(team.status());
    return printTeam(*args, *team, "Team " + team->id + " is now named " + team->name);
  }
  if (Status s = projects.deleteTeam(teamId, cliActor()); !s.isOk()) return fail(s);
  if (args->has("json")) {
    std::cout << boost::json::serialize(boost::json::object{{"teamId", teamId}, {"deleted", true}}) << "\n";
  } else {
    std::cout << "Deleted team " << teamId << "\n";
  }
  return 0;
}

int runAuditLogCommand(const std::vector<std::string>& argv) {
  if (wantsHelp(argv)) {
    std::cout << kAuditHelp;
    return 0;
  }
  auto args = CliArgs::parse(argv, {{"team"}, {"limit"}, {"page"}, {"data-dir"}, {"database"}, {"config"}, {"json", false}});
  if (!args.ok()) return fail(args.status());
  if (!args->positional().empty()) {
    return fail(invalidArgument("unexpected argument '" + args->positional().front() + "' (see --help)"));
  }
  AuditQuery query;
  if (args->has("team")) {
    auto id = idFlag(*args, "team", "team");
    if (!id.ok()) return fail(id.status());
    query.teamId = *id;
  }
  auto limit = intFlag(*args, "limit", 1, kMaxAuditLimit);
  if (!limit.ok()) return fail(limit.status());
  auto page = intFlag(*args, "page", 1, 1'000'000'000);
  if (!page.ok()) return fail(page.status());
  query.limit = limit->value_or(50);
  query.page = page->value_or(1);
  auto dir = openFromArgs(*args);
  if (!dir.ok()) return fail(dir.status());
  SystemClock clock;
  SecureRandom random;
  control::AuditLog log(*dir->store, clock, random);
  auto entries = log.list(query);
  if (!entries.ok()) return fail(entries.status());
  if (args->has("json")) {
    boost::json::array data;
    for (const AuditEntry& e : entries->items) data.emplace_back(auditJson(e));
    boost::json::object meta{{"page", query.page}, {"limit", query.limit}, {"total", entries->total}};
    std::cout << boost::json::serialize(boost::json::object{{"data", std::move(data)}, {"meta", std::move(meta)}})
              << "\n";
  } else {
    for (const AuditEntry& e : entries->items) {
      std::cout << formatIso8601(e.at) << "  " << toString(e.actor.type) << ":"
                << (e.actor.label.empty() ? e.actor.id : e.actor.label) << "  " << e.action << "  " << e.targetType
                << " " << e.targetId << "  " << e.detailsJson << "\n";
    }
  }
  return 0;
}

}  // namespace ls::app
