// Teams and their members: who may see and change a team, add and remove
// members, change roles, invite people by email and accept invitations.
// Every check goes through team_policy (decide, mayChangeMembership); the
// store refuses atomically to leave a team without an owner. Every change is
// recorded in the audit log with the acting user (or the CLI).
//
// Invitation tokens are "ls_inv_" + base64url of 32 random bytes, shown once;
// the store keeps their SHA-256 only. An invitation is pending until it is
// accepted, revoked or expires (TeamOptions::invitationTtl).
//
// Threading: thread-safe; blocking (Store; accepting as a new user runs
// argon2id twice): never on an event loop.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "control/audit_log.hpp"
#include "control/principal.hpp"
#include "control/project_service.hpp"
#include "control/session_service.hpp"
#include "control/team_policy.hpp"
#include "control/user_service.hpp"
#include "core/model.hpp"
#include "core/random.hpp"
#include "core/status.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace ls::control {

inline constexpr std::string_view kInvitationTokenPrefix = "ls_inv_";
inline constexpr std::string_view kNeedsOwner = "A team needs at least one owner";
inline constexpr std::string_view kNoSuchUser = "No user with that email; send an invitation";
inline constexpr std::string_view kInvalidInvitation = "Invalid or expired invitation";

// Who acts: a dashboard user, or the CLI (which has the database and so acts
// as a system administrator).
struct Acting {
  Actor actor;             // for the audit log
  std::string userId;      // "" for the CLI
  bool systemAdmin = false;
};
Acting actingUser(const Principal& principal);
Acting actingCli(std::string osUser);

struct TeamOptions {
  std::int64_t invitationTtlHours = 168;  // teams.invitation_ttl_hours, 1..8760
};

// A team as its viewer sees it; role is nullopt for a system administrator
// who is not a member.
struct TeamView {
  Team team;
  std::optional<TeamRole> role;
};

struct IssuedInvitation {
  TeamInvitation invitation;
  std::string token;  // give to the invitee once; never log
};

struct AcceptedInvitation {
  TeamInvitation invitation;
  UserRecord user;
  std::optional<IssuedSession> session;  // a new account is logged in
};

class TeamService {
 public:
  TeamService(Store& store, ProjectService& projects, UserService& users, SessionService* sessions,
              const Clock& clock, Random& random, TeamOptions options);

  // kNotFound "Team not found" when the acting user may not see the team,
  // kPermissionDenied "<role> may not <action>" when their role is too low.
  Status authorize(const Acting& who, std::string_view teamId, TeamAction action);
  Result<std::optional<TeamRole>> roleOf(const Acting& who, std::string_view teamId);

  // The acting user's teams (every team for a system administrator).
  Result<std::vector<TeamView>> listTeams(const Acting& who);
  // The creator becomes its owner, in the same transaction (the CLI creates
  // a team without members).
  Result<TeamView> createTeam(const Acting& who, std::string_view name);
  Result<TeamView> getTeam(const Acting& who, std::string_view teamId);
  Result<TeamView> renameTeam(const Acting& who, std::string_view teamId, std::string_view name);
  // kConflict while the team has projects.
  Status deleteTeam(const Acting& who, std::string_view teamId);

  Result<std::vector<TeamMember>> listMembers(const Acting& who, std::string_view teamId);
  // An existing user (kNotFound kNoSuchUser otherwise); kConflict when a member already.
  Result<TeamMember> addMember(const Acting& who, std::string_view teamId, std::string_view email, TeamRole role);
  // kNotFound "Member not found"; kConflict kNeedsOwner.
  Result<TeamMember> changeRole(const Acting& who, std::string_view teamId, std::string_view userId, TeamRole role);
  Status removeMember(const Acting& who, std::string_view teamId, std::string_view userId);

  Result<IssuedInvitation> invite(const Acting& who, std::string_view teamId, std::string_view email, TeamRole role);
  // Pending ones (not accepted, revoked or expired), oldest first.
  Result<std::vector<TeamInvitation>> listInvitations(const Acting& who, std::string_view teamId);
  // kNotFound "Invitation not found" unless pending.
  Status revokeInvitation(const Acting& who, std::string_view teamId, std::string_view invitationId);
  // With a principal: that user joins (their email must be the invitation's,
  // else kPermissionDenied). Without: a new account with `password` (8..1024
  // bytes) is made for the invitation's email, joins and is logged in
  // (kConflict when the email has an account already: log in first). An
  // unknown, used, revoked or expired token is kNotFound kInvalidInvitation.
  Result<AcceptedInvitation> accept(std::string_view token, const std::optional<Principal>& principal,
                                    std::optional<std::string_view> password);

 private:
  Result<TeamMember> findMember(std::string_view teamId, std::string_view userId);
  Status mayChange(const Acting& who, std::string_view teamId, TeamAction action, std::optional<TeamRole> from,
                   std::optional<TeamRole> to);
  void audit(const Acting& who, std::string_view action, std::string_view teamId, std::string targetType,
             std::string targetId, std::vector<AuditDetail> details);

  Store& store_;
  ProjectService& projects_;
  UserService& users_;
  SessionService* sessions_;
  const Clock& clock_;
  Random& random_;
  TeamOptions options_;
  AuditLog audit_;
};

}  // namespace ls::control
