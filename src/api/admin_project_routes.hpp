// The administration API's project routes (docs/admin-api-resources.md):
//   GET    /api/v1/admin/projects?teamId=      the caller's teams' projects (all for isAdmin)
//   POST   /api/v1/admin/projects              {teamId, name, abrEnabled?} -> project + apiKey (shown once)
//   GET    /api/v1/admin/projects/:id
//   PATCH  /api/v1/admin/projects/:id          {name?, abrEnabled?, rateLimit?: {perMinute, perHour} | null}
//   DELETE /api/v1/admin/projects/:id
//   POST   /api/v1/admin/projects/:id/api-key  -> {apiKey}
//   GET    /api/v1/admin/projects/:id/usage    (api/usage_routes.hpp, wired here behind the same gate)
// Every route authenticates the Bearer access token, then asks the admin
// access gate (api/admin_access.hpp) about the project's team: 403 with the
// policy's message, 404 "project <id> not found" for a team the caller is not
// in. Mutations go through ProjectService with the user as the audit actor.
// Every answer carries Cache-Control: no-store.
#pragma once

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
#include "store/store.hpp"
#include "http/router.hpp"

namespace ls::api {

struct AdminDeps {
  ApiDeps& api;
  control::SessionService& sessions;
  control::UsageService& usage;
  // Team memberships (read by api/admin_access.hpp's gate).
  Store& store;
};

// api/admin_access.hpp's requireTeamAction, with the resource's own 404
// message for a team the user is not in: OK, kPermissionDenied with the
// policy's message, or kNotFound `hiddenMessage`.
Status checkTeamAction(const AdminDeps& deps, const control::Principal& principal, std::string_view teamId,
                       control::TeamAction action, std::string_view hiddenMessage);

// The ids of the teams the user is a member of (oldest first).
Result<std::vector<std::string>> teamsOf(const AdminDeps& deps, std::string_view userId);

// principalEndpoint (Bearer gate, Cache-Control: no-store) around `fn`.
using AdminHandler = http::Response (*)(AdminDeps&, const http::Request&, const control::Principal&);
http::Handler adminEndpoint(AdminDeps& deps, AdminHandler fn);

void registerAdminProjectRoutes(http::Router& router, AdminDeps& deps);

}  // namespace ls::api
