// lunarstream team members|add-member|set-role|remove-member|invite: team
// memberships from the shell, through control::TeamService. The CLI has the
// database, so it acts as a system administrator (the audit log names the
// OS user); the rule that a team keeps an owner still holds.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>

#include "app/admin_commands.hpp"
#include "app/cli_args.hpp"
#include "app/cli_common.hpp"
#include "app/config.hpp"
#include "app/data_dir.hpp"
#include "control/project_service.hpp"
#include "control/team_service.hpp"
#include "control/user_service.hpp"

namespace ls::app {

namespace {

boost::json::object memberJson(const TeamMember& m) {
  return {{"teamId", m.teamId},
          {"userId", m.userId},
          {"email", m.email},
          {"role", toString(m.role)},
          {"createdAt", formatIso8601(m.createdAt)}};
}

Result<TeamRole> roleFlag(const CliArgs& args) {
  auto text = args.get("role");
  if (!text) return invalidArgument("--role is required (owner, admin, member or viewer)");
  auto role = parseTeamRole(*text);
  if (!role) return invalidArgument("--role must be owner, admin, member or viewer");
  return *role;
}

// The member's user id by email.
Result<std::string> userIdOf(Store& store, std::string_view email) {
  auto normalized = control::normalizeEmail(email);
  if (!normalized.ok()) return invalidArgument("--email: " + normalized.status().message());
  auto user = store.findUserByEmail(*normalized);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return notFound("no user with email " + *normalized);
  return (*user)->id;
}

int print(bool json, const boost::json::value& value, const std::string& text) {
  if (json) {
    std::cout << boost::json::serialize(value) << "\n";
  } else {
    std::cout << text << "\n";
  }
  return 0;
}

}  // namespace

bool isTeamMemberCommand(const std::string& verb) {
  return verb == "members" || verb == "add-member" || verb == "set-role" || verb == "remove-member" ||
         verb == "invite";
}

int runTeamMemberCommand(const std::string& verb, const std::vector<std::string>& argv) {
  auto args = CliArgs::parse(argv, {{"team"}, {"email"}, {"role"}, {"data-dir"}, {"database"}, {"config"}, {"json", false}});
  if (!args.ok()) return fail(args.status());
  if (!args->positional().empty()) {
    return fail(invalidArgument("unexpected argument '" + args->positional().front() + "' (see --help)"));
  }
  auto teamId = idFlag(*args, "team", "team");
  if (!teamId.ok()) return fail(teamId.status());
  const bool json = args->has("json");
  const bool needsEmail = verb != "members";
  if (needsEmail && !args->get("email")) return fail(invalidArgument("--email is required"));
  std::optional<TeamRole> role;
  if (verb == "add-member" || verb == "set-role" || verb == "invite") {
    auto r = roleFlag(*args);
    if (!r.ok()) return fail(r.status());
    role = *r;
  }
  Config cfg;
  if (auto file = args->get("config")) {
    auto values = readConfigFile(*file);
    if (!values.ok()) return fail(values.status());
    for (const auto& [key, value] : *values) {
      if (key == "teams.invitation_ttl_hours") {
        if (Status s = applyConfigValue(cfg, key, value); !s.isOk()) return fail(s);
      }
    }
  }
  auto dir = openFromArgs(*args);
  if (!dir.ok()) return fail(dir.status());
  SystemClock clock;
  SecureRandom random;
  control::ProjectService projects(*dir->store, clock, random);
  control::UserService users(*dir->store, clock, random, passwordHashParams(cfg));
  control::TeamService teams(*dir->store, projects, users, nullptr, clock, random,
                             control::TeamOptions{cfg.invitationTtlHours});
  const control::Acting cli = control::actingCli(cliActor().id);

  if (verb == "members") {
    auto members = teams.listMembers(cli, *teamId);
    if (!members.ok()) return fail(members.status());
    if (json) {
      boost::json::array out;
      for (const TeamMember& m : *members) out.emplace_back(memberJson(m));
      std::cout << boost::json::serialize(out) << "\n";
    } else {
      for (const TeamMember& m : *members) std::cout << m.userId << "  " << m.email << "  " << toString(m.role) << "\n";
    }
    return 0;
  }
  if (verb == "add-member") {
    auto m = teams.addMember(cli, *teamId, *args->get("email"), *role);
    if (!m.ok()) return fail(m.status());
    return print(json, memberJson(*m), "Added " + m->email + " as " + std::string(toString(m->role)));
  }
  if (verb == "invite") {
    auto issued = teams.invite(cli, *teamId, *args->get("email"), *role);
    if (!issued.ok()) return fail(issued.status());
    const TeamInvitation& inv = issued->invitation;
    boost::json::object out{{"id", inv.id},       {"teamId", inv.teamId},
                            {"email", inv.email}, {"role", toString(inv.role)},
                            {"expiresAt", formatIso8601(inv.expiresAt)}, {"token", issued->token}};
    return print(json, out,
                 "Invited " + inv.email + " as " + std::string(toString(inv.role)) + " until " +
                     formatIso8601(inv.expiresAt) + ".\nInvitation token (shown once): " + issued->token);
  }
  auto userId = userIdOf(*dir->store, *args->get("email"));
  if (!userId.ok()) return fail(userId.status());
  if (verb == "set-role") {
    auto m = teams.changeRole(cli, *teamId, *userId, *role);
    if (!m.ok()) return fail(m.status());
    return print(json, memberJson(*m), m->email + " is now " + std::string(toString(m->role)));
  }
  if (Status s = teams.removeMember(cli, *teamId, *userId); !s.isOk()) return fail(s);
  return print(json, boost::json::object{{"teamId", *teamId}, {"userId", *userId}, {"removed", true}},
               "Removed " + *args->get("email") + " from the team");
}

}  // namespace ls::app
