// Who may do what in a team: the one table of actions and the least
// powerful role allowed each, and the rules for changing memberships. Every
// administration route asks decide() before it acts; nothing else decides.
//
// Roles are ordered owner > admin > member > viewer, and a role may do what
// every less powerful role may. A system administrator (User::isAdmin) may do
// everything in every team. A user outside the team learns nothing about it:
// the answer is kHidden (the routes say 404), not kForbidden (403).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/model.hpp"

namespace ls::control {

enum class TeamAction {
  kViewTeam,
  kRenameTeam,
  kDeleteTeam,
  kViewMembers,
  kAddMember,
  kInviteMember,
  kChangeMemberRole,
  kRemoveMember,
  kViewProjects,
  kCreateProject,
  kUpdateProject,
  kDeleteProject,
  kRegenerateApiKey,
  kViewLivestreams,
  kCreateLivestream,
  kUpdateLivestream,
  kRegeneratePushToken,
  kDeleteLivestream,
  kViewUsage,
  kViewAuditLog,
  // A project's webhook endpoints, their delivery log and events.
  kViewWebhooks,
  // Add, change, remove endpoints, rotate their secrets, resend, send a test event.
  kManageWebhooks,
};

// Every action, in declaration order (for listings and exhaustive tests).
std::span<const TeamAction> allTeamActions();
// Stable dotted name, e.g. "project.api_key.regenerate" (logs, audit).
std::string_view toString(TeamAction action);
// The least powerful role that may do it.
TeamRole minimumRole(TeamAction action);

enum class Access { kAllowed, kForbidden, kHidden };

// `role` is the user's role in the team that owns the resource, nullopt when
// not a member.
Access decide(bool systemAdmin, std::optional<TeamRole> role, TeamAction action);

// The 403 message: "viewer may not regenerate API keys".
std::string forbiddenMessage(TeamRole role, TeamAction action);

// Whether a member with role `actor` may move a member from `from` (nullopt:
// not yet a member) to `to` (nullopt: removed). Owners may make any change;
// admins may change only non-owners, and only to non-owner roles; members
// and viewers change nobody. The team keeping at least one owner is the
// team service's check, as it needs the member list.
bool mayChangeMembership(TeamRole actor, std::optional<TeamRole> from, std::optional<TeamRole> to);

}  // namespace ls::control
