#include "api/admin_access.hpp"

#include <optional>
#include <string>

namespace ls::api {

Result<control::Principal> requirePrincipal(const http::Request& request, control::SessionService& sessions,
                                            const Clock& clock) {
  return sessions.authenticate(request.bearerToken(), clock.now());
}

Status requireTeamAction(const control::Principal& principal, std::string_view teamId, control::TeamAction action,
                         Store& store) {
  Result<std::optional<TeamRole>> role = store.findTeamRole(teamId, principal.userId);
  if (!role.ok()) return role.status();
  if (principal.isAdmin) {
    // Everything is allowed, but only in a team that exists.
    Result<std::optional<Team>> team = store.findTeam(teamId);
    if (!team.ok()) return team.status();
    if (!team->has_value()) return notFound(std::string(kTeamNotFound));
  }
  switch (control::decide(principal.isAdmin, *role, action)) {
    case control::Access::kAllowed: return Status::ok();
    case control::Access::kHidden: return notFound(std::string(kTeamNotFound));
    case control::Access::kForbidden:
      return Status(Code::kPermissionDenied, control::forbiddenMessage(role->value_or(TeamRole::kViewer), action));
  }
  return notFound(std::string(kTeamNotFound));
}

}  // namespace ls::api
