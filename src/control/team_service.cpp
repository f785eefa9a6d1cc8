#include "control/team_service.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <utility>

#include "auth/crypto.hpp"
#include "core/encoding.hpp"

namespace ls::control {

namespace {

constexpr std::size_t kMaxTeamName = 255;

Status teamHidden() { return notFound("Team not found"); }
Status memberNotFound() { return notFound("Member not found"); }
Status invitationNotFound() { return notFound("Invitation not found"); }
Status invalidInvitation() { return notFound(std::string(kInvalidInvitation)); }

Status validateTeamName(std::string_view name) {
  if (name.empty() || name.size() > kMaxTeamName) return invalidArgument("name must be 1 to 255 characters");
  return Status::ok();
}

std::string hashInvitationToken(std::string_view token) { return auth::sha256Hex(token); }

// A well-formed token: the prefix and 43 base64url characters.
bool wellFormedToken(std::string_view token) {
  if (!token.starts_with(kInvitationTokenPrefix) || token.size() != kInvitationTokenPrefix.size() + 43) return false;
  for (char c : token.substr(kInvitationTokenPrefix.size())) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Acting actingUser(const Principal& principal) {
  return Acting{.actor = Actor{ActorType::kUser, principal.userId, principal.email},
                .userId = principal.userId,
                .systemAdmin = principal.isAdmin};
}

Acting actingCli(std::string osUser) {
  return Acting{.actor = Actor{ActorType::kCli, osUser, osUser}, .userId = "", .systemAdmin = true};
}

TeamService::TeamService(Store& store, ProjectService& projects, UserService& users, SessionService* sessions,
                         const Clock& clock, Random& random, TeamOptions options)
    : store_(store),
      projects_(projects),
      users_(users),
      sessions_(sessions),
      clock_(clock),
      random_(random),
      options_(options),
      audit_(store, clock, random) {}

Result<std::optional<TeamRole>> TeamService::roleOf(const Acting& who, std::string_view teamId) {
  if (who.userId.empty()) return std::optional<TeamRole>{};
  return store_.findTeamRole(teamId, who.userId);
}

Status TeamService::authorize(const Acting& who, std::string_view teamId, TeamAction action) {
  auto role = roleOf(who, teamId);
  if (!role.ok()) return role.status();
  if (who.systemAdmin) {
    auto team = store_.findTeam(teamId);
    if (!team.ok()) return team.status();
    if (!team->has_value()) return teamHidden();
  }
  switch (decide(who.systemAdmin, *role, action)) {
    case Access::kAllowed: return Status::ok();
    case Access::kHidden: return teamHidden();
    case Access::kForbidden:
      return Status(Code::kPermissionDenied, forbiddenMessage(role->value_or(TeamRole::kViewer), action));
  }
  return teamHidden();
}

Status TeamService::mayChange(const Acting& who, std::string_view teamId, TeamAction action,
                              std::optional<TeamRole> from, std::optional<TeamRole> to) {
  LS_RETURN_IF_ERROR(authorize(who, teamId, action));
  if (who.systemAdmin) return Status::ok();
  auto role = roleOf(who, teamId);
  if (!role.ok()) return role.status();
  if (!role->has_value()) return teamHidden();
  if (!mayChangeMembership(**role, from, to)) {
    return Status(Code::kPermissionDenied, std::string(toString(**role)) + " may not change owners");
  }
  return Status::ok();
}

void TeamService::audit(const Acting& who, std::string_view action, std::string_view teamId, std::string targetType,
                        std::string targetId, std::vector<AuditDetail> details) {
  audit_.record(who.actor, AuditRecord{action, std::string(teamId), "", std::move(targetType), std::move(targetId),
                                       std::move(details)});
}

// Teams ---------------------------------------------------------------------

Result<std::vector<TeamView>> TeamService::listTeams(const Acting& who) {
  std::vector<TeamView> out;
  if (who.systemAdmin) {
    auto teams = store_.listTeams();
    if (!teams.ok()) return teams.status();
    std::vector<UserTeam> mine;
    if (!who.userId.empty()) {
      auto memberships = store_.listUserTeams(who.userId);
      if (!memberships.ok()) return memberships.status();
      mine = std::move(*memberships);
    }
    for (Team& team : *teams) {
      std::optional<TeamRole> role;
      for (const UserTeam& m : mine) {
        if (m.team.id == team.id) role = m.role;
      }
      out.push_back(TeamView{std::move(team), role});
    }
    return out;
  }
  auto memberships = store_.listUserTeams(who.userId);
  if (!memberships.ok()) return memberships.status();
  for (UserTeam& m : *memberships) out.push_back(TeamView{std::move(m.team), m.role});
  return out;
}

Result<TeamView> TeamService::createTeam(const Acting& who, std::string_view name) {
  LS_RETURN_IF_ERROR(validateTeamName(name));
  if (who.userId.empty()) {
    auto team = projects_.createTeam(name, who.actor);
    if (!team.ok()) return team.status();
    return TeamView{std::move(*team), std::nullopt};
  }
  const UnixMillis now = clock_.now();
  Team team{.id = newUuidV4(random_), .name = std::string(name), .createdAt = now};
  TeamMember owner{.teamId = team.id, .userId = who.userId, .email = "", .role = TeamRole::kOwner, .createdAt = now};
  auto inserted = store_.insertTeamWithOwner(team, owner);
  if (!inserted.ok()) {
    if (inserted.status().code() == Code::kConflict) return Status(Code::kConflict, "a team with that name exists");
    return inserted.status();
  }
  audit(who, audit::kTeamCreated, team.id, "team", team.id, {textDetail("name", team.name)});
  audit(who, audit::kMemberAdded, team.id, "member", who.userId,
        {textDetail("email", who.actor.label), textDetail("role", "owner")});
  return TeamView{std::move(team), TeamRole::kOwner};
}

Result<TeamView> TeamService::getTeam(const Acting& who, std::string_view teamId) {
  LS_RETURN_IF_ERROR(authorize(who, teamId, TeamAction::kViewTeam));
  auto team = projects_.getTeam(teamId);
  if (!team.ok()) return teamHidden();
  auto role = roleOf(who, teamId);
  if (!role.ok()) return role.status();
  return TeamView{std::move(*team), *role};
}

Result<TeamView> TeamService::renameTeam(const Acting& who, std::string_view teamId, std::string_view name) {
  LS_RETURN_IF_ERROR(validateTeamName(name));
  LS_RETURN_IF_ERROR(authorize(who, teamId, TeamAction::kRenameTeam));
  auto team = projects_.renameTeam(teamId, name, who.actor);
  if (!team.ok()) {
    if (team.status().code() == Code::kNotFound) return teamHidden();
    return team.status();
  }
  auto role = roleOf(who, teamId);
  if (!role.ok()) return role.status();
  return TeamView{std::move(*team), *role};
}

Status TeamService::deleteTeam(const Acting& who, std::string_view teamId) {
  LS_RETURN_IF_ERROR(authorize(who, teamId, TeamAction::kDeleteTeam));
  const Status s = projects_.deleteTeam(teamId, who.actor);
  if (s.code() == Code::kNotFound) return teamHidden();
  if (s.code() == Code::kConflict) return Status(Code::kConflict, "The team still has projects; delete them first");
  return s;
}

// Members -------------------------------------------------------------------

Result<std::vector<TeamMember>> TeamService::listMembers(const Acting& who, std::string_view teamId) {
  LS_RETURN_IF_ERROR(authorize(who, teamId, TeamAction::kViewMembers));
  return store_.listTeamMembers(teamId);
}

Result<TeamMember> TeamService::findMember(std::string_view teamId, std::string_view userId) {
  auto members = store_.listTeamMembers(teamId);
  if (!members.ok()) return members.status();
  for (TeamMember& m : *members) {
    if (m.userId == userId) return std::move(m);
  }
  return memberNotFound();
}

Result<TeamMember> TeamService::addMember(const Acting& who, std::string_view teamId, std::string_view email,
                                          TeamRole role) {
  auto normalized = normalizeEmail(email);
  if (!normalized.ok()) return normalized.status();
  LS_RETURN_IF_ERROR(mayChange(who, teamId, TeamAction::kAddMember, std::nullopt, role));
  auto user = store_.findUserByEmail(*normalized);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return notFound(std::string(kNoSuchUser));
  TeamMember member{.teamId = std::string(teamId),
                    .userId = (*user)->id,
                    .email = (*user)->email,
                    .role = role,
                    .createdAt = clock_.now()};
  const Status added = store_.addTeamMember(member);
  if (added.code() == Code::kConflict) return Status(Code::kConflict, "That user is a member of this team already");
  if (added.code() == Code::kNotFound) return teamHidden();
  LS_RETURN_IF_ERROR(added);
  audit(who, audit::kMemberAdded, teamId, "member", member.userId,
        {textDetail("email", member.email), textDetail("role", std::string(toString(role)))});
  return member;
}

Result<TeamMember> TeamService::changeRole(const Acting& who, std::string_view teamId, std::string_view userId,
                                           TeamRole role) {
  LS_RETURN_IF_ERROR(authorize(who, teamId, TeamAction::kChangeMemberRole));
  auto member = findMember(teamId, userId);
  if (!member.ok()) return member.status();
  LS_RETURN_IF_ERROR(mayChange(who, teamId, TeamAction::kChangeMemberRole, member->role, role));
  if (member->role == role) return member;
  const Status s = store_.setTeamMemberRole(teamId, userId, role);
  if (s.code() == Code::kNotFound) return memberNotFound();
  if (s.code() == Code::kConflict) return Status(Code::kConflict, std::string(kNeedsOwner));
  LS_RETURN_IF_ERROR(s);
  audit(who, audit::kMemberRoleChanged, teamId, "member", member->userId,
        {textDetail("email", member->email), textDetail("from", std::string(toString(member->role))),
         textDetail("to", std::string(toString(role)))});
  member->role = role;
  return member;
}

Status TeamService::removeMember(const Acting& who, std::string_view teamId, std::string_view userId) {
  LS_RETURN_IF_ERROR(authorize(who, teamId, TeamAction::kRemoveMember));
  auto member = findMember(teamId, userId);
  if (!member.ok()) return member.status();
  LS_RETURN_IF_ERROR(mayChange(who, teamId, TeamAction::kRemoveMember, member->role, std::nullopt));
  const Status s = store_.removeTeamMember(teamId, userId);
  if (s.code() == Code::kNotFound) return memberNotFound();
  if (s.code() == Code::kConflict) return Status(Code::kConflict, std::string(kNeedsOwner));
  LS_RETURN_IF_ERROR(s);
  audit(who, audit::kMemberRemoved, teamId, "member", member->userId,
        {textDetail("email", member->email), textDetail("role", std::string(toString(member->role)))});
  return Status::ok();
}

// Invitations ---------------------------------------------------------------

Result<IssuedInvitation> TeamService::invite(const Acting& who, std::string_view teamId, std::string_view email,
                                             TeamRole role) {
  auto normalized = normalizeEmail(email);
  if (!normalized.ok()) return normalized.status();
  LS_RETURN_IF_ERROR(mayChange(who, teamId, TeamAction::kInviteMember, std::nullopt, role));
  std::array<std::uint8_t, 32> bytes{};
  random_.fill(bytes);
  std::string token = std::string(kInvitationTokenPrefix) + base64UrlEncode(std::span<const std::uint8_t>(bytes));
  const UnixMillis now = clock_.now();
  TeamInvitation inv{.id = newUuidV4(random_),
                     .teamId = std::string(teamId),
                     .email = std::move(*normalized),
                     .role = role,
                     .tokenHash = hashInvitationToken(token),
                     .invitedBy = who.userId,
                     .createdAt = now,
                     .expiresAt = now + options_.invitationTtlHours * 3'600'000,
                     .acceptedAt = std::nullopt,
                     .revokedAt = std::nullopt};
  const Status s = store_.insertInvitation(inv);
  if (s.code() == Code::kNotFound) return teamHidden();
  LS_RETURN_IF_ERROR(s);
  audit(who, audit::kInvitationCreated, teamId, "invitation", inv.id,
        {textDetail("email", inv.email), textDetail("role", std::string(toString(role)))});
  return IssuedInvitation{std::move(inv), std::move(token)};
}

Result<std::vector<TeamInvitation>> TeamService::listInvitations(const Acting& who, std::string_view teamId) {
  LS_RETURN_IF_ERROR(authorize(who, teamId, TeamAction::kInviteMember));
  return store_.listPendingInvitations(teamId, clock_.now());
}

Status TeamService::revokeInvitation(const Acting& who, std::string_view teamId, std::string_view invitationId) {
  LS_RETURN_IF_ERROR(authorize(who, teamId, TeamAction::kInviteMember));
  auto pending = store_.listPendingInvitations(teamId, clock_.now());
  if (!pending.ok()) return pending.status();
  const TeamInvitation* found = nullptr;
  for (const TeamInvitation& inv : *pending) {
    if (inv.id == invitationId) found = &inv;
  }
  if (found == nullptr) return invitationNotFound();
  LS_RETURN_IF_ERROR(mayChange(who, teamId, TeamAction::kInviteMember, std::nullopt, found->role));
  const Status s = store_.revokeInvitation(teamId, invitationId, clock_.now());
  if (s.code() == Code::kNotFound) return invitationNotFound();
  LS_RETURN_IF_ERROR(s);
  audit(who, audit::kInvitationRevoked, teamId, "invitation", found->id,
        {textDetail("email", found->email), textDetail("role", std::string(toString(found->role)))});
  return Status::ok();
}

Result<AcceptedInvitation> TeamService::accept(std::string_view token, const std::optional<Principal>& principal,
                                               std::optional<std::string_view> password) {
  if (!wellFormedToken(token)) return invalidInvitation();
  auto found = store_.findInvitationByTokenHash(hashInvitationToken(token));
  if (!found.ok()) return found.status();
  const UnixMillis now = clock_.now();
  if (!found->has_value()) return invalidInvitation();
  TeamInvitation inv = std::move(**found);
  if (inv.acceptedAt || inv.revokedAt || inv.expiresAt <= now) return invalidInvitation();

  AcceptedInvitation out;
  std::optional<UserRecord> newUser;
  if (principal) {
    auto user = store_.findUser(principal->userId);
    if (!user.ok()) return user.status();
    if (!user->has_value()) return Status(Code::kUnauthenticated, "Invalid or expired access token");
    if ((*user)->email != inv.email) {
      return Status(Code::kPermissionDenied, "This invitation is for another email address");
    }
    out.user = std::move(**user);
  } else {
    if (!password) return invalidArgument("password is required to accept an invitation without logging in");
    auto existing = store_.findUserByEmail(inv.email);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return Status(Code::kConflict, "An account with this email exists; log in, then accept the invitation");
    }
    auto record = users_.newRecord(inv.email, *password, false);
    if (!record.ok()) return record.status();
    newUser = *record;
    out.user = std::move(*record);
  }
  TeamMember member{
      .teamId = inv.teamId, .userId = out.user.id, .email = out.user.email, .role = inv.role, .createdAt = now};
  const Status s = store_.acceptInvitation(inv.id, newUser, member, now);
  if (s.code() == Code::kNotFound) return invalidInvitation();
  if (s.code() == Code::kConflict && newUser) {
    return Status(Code::kConflict, "An account with this email exists; log in, then accept the invitation");
  }
  if (s.code() == Code::kConflict) return Status(Code::kConflict, "You are a member of this team already");
  LS_RETURN_IF_ERROR(s);
  inv.acceptedAt = now;
  const Acting who{.actor = Actor{ActorType::kUser, out.user.id, out.user.email},
                   .userId = out.user.id,
                   .systemAdmin = out.user.isAdmin};
  audit(who, audit::kInvitationAccepted, inv.teamId, "invitation", inv.id,
        {textDetail("email", inv.email), textDetail("role", std::string(toString(inv.role))),
         boolDetail("newUser", newUser.has_value())});
  if (newUser && sessions_ != nullptr) {
    auto session = sessions_->login(inv.email, *password);
    if (!session.ok()) return session.status();
    out.session = std::move(*session);
  }
  out.invitation = std::move(inv);
  return out;
}

}  // namespace ls::control
