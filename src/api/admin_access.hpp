// The one access gate of the /api/v1/admin routes (docs/admin-api.md):
// requirePrincipal turns `Authorization: Bearer <access token>` into the
// acting user (kUnauthenticated "Invalid or expired access token"
// otherwise), and requireTeamAction asks control::decide() whether that user
// may do `action` in the team: a team the user is not in is kNotFound
// ("Team not found"; callers may put their resource's name instead), an
// action above the user's role kPermissionDenied ("viewer may not ...").
// Both block on the Store: call them from handlers that run on workers.
#pragma once

#include <string_view>

#include "control/principal.hpp"
#include "control/session_service.hpp"
#include "control/team_policy.hpp"
#include "core/status.hpp"
#include "core/time.hpp"
#include "http/request.hpp"
#include "store/store.hpp"

namespace ls::api {

inline constexpr std::string_view kTeamNotFound = "Team not found";

Result<control::Principal> requirePrincipal(const http::Request& request, control::SessionService& sessions,
                                            const Clock& clock);

// The principal's role in the team (nullopt: not a member) decides; a
// system administrator may do everything in every existing team.
Status requireTeamAction(const control::Principal& principal, std::string_view teamId, control::TeamAction action,
                         Store& store);

}  // namespace ls::api
