// /api/v1/admin/teams (list, create, get, rename, delete), their members and
// invitations, and POST /api/v1/auth/invitations/accept (docs/admin-api.md). Every admin route goes through api/admin_access.hpp: Bearer
// first (401), then the role table (404 for a team the user is not in, 403
// for a role too low); control::TeamService then applies the membership rules
// (admins do not touch owners, a team keeps an owner) and audits the change.
// Handlers block on the Store (and accepting as a new user on argon2id):
// they run on the server's workers.
#pragma once

#include "control/session_service.hpp"
#include "control/team_service.hpp"
#include "core/time.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace ls::api {

struct TeamRouteDeps {
  control::TeamService& teams;
  control::SessionService& sessions;
  Store& store;
  const Clock& clock;
  // Cookies of a login made by accepting an invitation get "; Secure".
  bool cookieSecure = false;
};

void registerTeamMemberRoutes(http::Router& router, TeamRouteDeps& deps);

}  // namespace ls::api
