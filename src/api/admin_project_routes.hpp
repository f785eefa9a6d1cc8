// The administration API's project routes (platform contract "Admin API"):
//   GET    /api/v1/admin/projects?teamId=      the caller's teams' projects (all for isAdmin)
//   POST   /api/v1/admin/projects              {teamId, name, abrEnabled?} -> project + apiKey (shown once)
//   GET    /api/v1/admin/projects/:id
//   PATCH  /api/v1/admin/projects/:id          {name?, abrEnabled?, rateLimit?: {perMinute, perHour} | null}
//   DELETE /api/v1/admin/projects/:id
//   POST   /api/v1/admin/projects/:id/api-key  -> {apiKey}
//   GET    /api/v1/admin/projects/:id/usage    (api/usage_routes.hpp, wired here behind the same gate)
// Every route authenticates the Bearer access token, then asks the role
// table (control/team_policy.hpp) about the project's team: 403 with the
// policy's message, 404 "project <id> not found" for a team the caller is not
// in. Mutations go through ProjectService with the user as the audit actor.
// Every answer carries Cache-Control: no-store.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_deps.hpp"
#include "control/principal.hpp"
#include "control/team_policy.hpp"
#include "control/usage_service.hpp"
#include "core/model.hpp"
#include "core/status.hpp"
#include "http/router.hpp"

namespace ls::api {

// Team membership as the admin routes need it. app/ binds these to the
// Store's membership queries (team_members); each is one Store read.
struct TeamMembership {
  // The user's role in the team, nullopt when not a member.
  std::function<Result<std::optional<TeamRole>>(std::string_view userId, std::string_view teamId)> roleIn;
  // The ids of the teams the user is a member of.
  std::function<Result<std::vector<std::string>>(std::string_view userId)> teamsOf;
};

struct AdminDeps {
  ApiDeps& api;
  control::SessionService& sessions;
  control::UsageService& usage;
  TeamMembership membership;
};

// OK when `principal` may do `action` in team `teamId`; kPermissionDenied
// with the policy's message; kNotFound `hiddenMessage` outside the team.
Status checkTeamAction(const AdminDeps& deps, const control::Principal& principal, std::string_view teamId,
                       control::TeamAction action, std::string_view hiddenMessage);

// principalEndpoint (Bearer gate, Cache-Control: no-store) around `fn`.
using AdminHandler = http::Response (*)(AdminDeps&, const http::Request&, const control::Principal&);
http::Handler adminEndpoint(AdminDeps& deps, AdminHandler fn);

void registerAdminProjectRoutes(http::Router& router, AdminDeps& deps);

}  // namespace ls::api
