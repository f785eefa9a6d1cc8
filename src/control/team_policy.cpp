#include "control/team_policy.hpp"

#include <array>

namespace ls::control {

namespace {

struct ActionRule {
  TeamAction action;
  std::string_view name;
  std::string_view phrase;  // completes "<role> may not ..."
  TeamRole minimum;
};

// The table. Order matches the enum (checked by the unit test).
constexpr std::array<ActionRule, 22> kRules{{
    {TeamAction::kViewTeam, "team.view", "view this team", TeamRole::kViewer},
    {TeamAction::kRenameTeam, "team.rename", "rename the team", TeamRole::kOwner},
    {TeamAction::kDeleteTeam, "team.delete", "delete the team", TeamRole::kOwner},
    {TeamAction::kViewMembers, "member.view", "view members", TeamRole::kViewer},
    {TeamAction::kAddMember, "member.add", "add members", TeamRole::kAdmin},
    {TeamAction::kInviteMember, "member.invite", "invite members", TeamRole::kAdmin},
    {TeamAction::kChangeMemberRole, "member.change_role", "change roles", TeamRole::kAdmin},
    {TeamAction::kRemoveMember, "member.remove", "remove members", TeamRole::kAdmin},
    {TeamAction::kViewProjects, "project.view", "view projects", TeamRole::kViewer},
    {TeamAction::kCreateProject, "project.create", "create projects", TeamRole::kAdmin},
    {TeamAction::kUpdateProject, "project.update", "change projects", TeamRole::kAdmin},
    {TeamAction::kDeleteProject, "project.delete", "delete projects", TeamRole::kAdmin},
    {TeamAction::kRegenerateApiKey, "project.api_key.regenerate", "regenerate API keys", TeamRole::kAdmin},
    {TeamAction::kViewLivestreams, "livestream.view", "view livestreams", TeamRole::kViewer},
    {TeamAction::kCreateLivestream, "livestream.create", "create livestreams", TeamRole::kMember},
    {TeamAction::kUpdateLivestream, "livestream.update", "change livestreams", TeamRole::kMember},
    {TeamAction::kRegeneratePushToken, "livestream.push_token.regenerate", "regenerate push tokens",
     TeamRole::kMember},
    {TeamAction::kDeleteLivestream, "livestream.delete", "delete livestreams", TeamRole::kMember},
    {TeamAction::kViewUsage, "usage.view", "view usage", TeamRole::kViewer},
    {TeamAction::kViewAuditLog, "audit_log.view", "view the audit log", TeamRole::kAdmin},
    // Who may see the project (kViewProjects) sees its webhooks; who may
    // change the project's settings (kUpdateProject) manages them.
    {TeamAction::kViewWebhooks, "webhook.view", "view webhooks", TeamRole::kViewer},
    {TeamAction::kManageWebhooks, "webhook.manage", "manage webhooks", TeamRole::kAdmin},
}};

constexpr std::array<TeamAction, kRules.size()> kActions = [] {
  std::array<TeamAction, kRules.size()> actions{};
  for (std::size_t i = 0; i < kRules.size(); ++i) actions[i] = kRules[i].action;
  return actions;
}();

const ActionRule& ruleOf(TeamAction action) { return kRules[static_cast<std::size_t>(action)]; }

// Smaller is more powerful (the enum's order).
bool atLeast(TeamRole role, TeamRole minimum) { return static_cast<int>(role) <= static_cast<int>(minimum); }

}  // namespace

std::span<const TeamAction> allTeamActions() { return kActions; }

std::string_view toString(TeamAction action) { return ruleOf(action).name; }

TeamRole minimumRole(TeamAction action) { return ruleOf(action).minimum; }

Access decide(bool systemAdmin, std::optional<TeamRole> role, TeamAction action) {
  if (systemAdmin) return Access::kAllowed;
  if (!role) return Access::kHidden;
  return atLeast(*role, ruleOf(action).minimum) ? Access::kAllowed : Access::kForbidden;
}

std::string forbiddenMessage(TeamRole role, TeamAction action) {
  std::string message(toString(role));
  message += " may not ";
  message += ruleOf(action).phrase;
  return message;
}

bool mayChangeMembership(TeamRole actor, std::optional<TeamRole> from, std::optional<TeamRole> to) {
  if (actor == TeamRole::kOwner) return true;
  if (actor != TeamRole::kAdmin) return false;
  const bool touchesOwner = from == TeamRole::kOwner || to == TeamRole::kOwner;
  return !touchesOwner;
}

}  // namespace ls::control
