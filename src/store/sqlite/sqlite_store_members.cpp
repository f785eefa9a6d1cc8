// SqliteStore: team memberships (team_members). Writes run in BEGIN
// IMMEDIATE, so a check of the member list and the change it allows are one
// step for every writer of the file.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/sqlite/queries.hpp"
#include "store/sqlite/rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ls {

using sqlite::Connection;
using sqlite::NamedSql;
using sqlite::Statement;
using sqlite::missing;
using sqlite::valueOr;

namespace {

constexpr NamedSql kInsertMember{
    "add team member", "INSERT INTO team_members (team_id, user_id, role, created_at) VALUES (?1, ?2, ?3, ?4)"};
constexpr NamedSql kMemberExists{"check team member",
                                 "SELECT 1 FROM team_members WHERE team_id = ?1 AND user_id = ?2"};
constexpr NamedSql kFindRole{"find team role", "SELECT role FROM team_members WHERE team_id = ?1 AND user_id = ?2"};
constexpr NamedSql kListMembers{
    "list team members",
    "SELECT m.team_id, m.user_id, u.email, m.role, m.created_at FROM team_members m JOIN users u ON u.id = m.user_id "
    "WHERE m.team_id = ?1 ORDER BY m.created_at, u.email"};
constexpr NamedSql kListUserTeams{
    "list user teams",
    "SELECT t.id, t.name, t.created_at, m.role FROM team_members m JOIN teams t ON t.id = m.team_id "
    "WHERE m.user_id = ?1 ORDER BY t.created_at, t.id"};

constexpr NamedSql kSetRole{"set team member role",
                            "UPDATE team_members SET role = ?3 WHERE team_id = ?1 AND user_id = ?2"};
constexpr NamedSql kRemoveMember{"remove team member",
                                 "DELETE FROM team_members WHERE team_id = ?1 AND user_id = ?2"};
constexpr NamedSql kCountOwners{"count team owners",
                                "SELECT count(*) FROM team_members WHERE team_id = ?1 AND role = 'owner'"};
constexpr NamedSql kListAllMembers{
    "list all team members",
    "SELECT m.team_id, m.user_id, u.email, m.role, m.created_at FROM team_members m JOIN users u ON u.id = m.user_id "
    "ORDER BY m.created_at, m.team_id, m.user_id"};

#define LS_INVITATION_COLUMNS \
  "id, team_id, email, role, token_hash, invited_by, created_at, expires_at, accepted_at, revoked_at "
constexpr NamedSql kInsertInvitation{
    "insert invitation",
    "INSERT INTO team_invitations (" LS_INVITATION_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"};
constexpr NamedSql kFindInvitationByHash{"find invitation",
                                         "SELECT " LS_INVITATION_COLUMNS "FROM team_invitations WHERE token_hash = ?1"};
constexpr NamedSql kListPendingInvitations{
    "list invitations",
    "SELECT " LS_INVITATION_COLUMNS
    "FROM team_invitations WHERE team_id = ?1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?2 "
    "ORDER BY created_at, id"};
constexpr NamedSql kListAllInvitations{"list all invitations",
                                       "SELECT " LS_INVITATION_COLUMNS "FROM team_invitations ORDER BY created_at, id"};
constexpr NamedSql kRevokeInvitation{
    "revoke invitation",
    "UPDATE team_invitations SET revoked_at = ?3 WHERE team_id = ?1 AND id = ?2 AND accepted_at IS NULL "
    "AND revoked_at IS NULL AND expires_at > ?3"};
constexpr NamedSql kMarkInvitationAccepted{
    "accept invitation",
    "UPDATE team_invitations SET accepted_at = ?2 WHERE id = ?1 AND accepted_at IS NULL AND revoked_at IS NULL "
    "AND expires_at > ?2"};
constexpr NamedSql kPurgeInvitations{
    "purge invitations",
    "DELETE FROM team_invitations WHERE expires_at < ?1 OR accepted_at < ?1 OR revoked_at < ?1"};
#undef LS_INVITATION_COLUMNS

Result<TeamRole> readRole(const Statement& row, int column) {
  const std::string text = row.text(column);
  std::optional<TeamRole> role = parseTeamRole(text);
  if (!role) return internalError("team_members holds an unknown role: " + text);
  return *role;
}

Result<TeamMember> readMember(const Statement& row) {
  Result<TeamRole> role = readRole(row, 3);
  if (!role.ok()) return role.status();
  return TeamMember{.teamId = row.text(0),
                    .userId = row.text(1),
                    .email = row.text(2),
                    .role = *role,
                    .createdAt = row.int64(4)};
}

Result<UserTeam> readUserTeam(const Statement& row) {
  Result<TeamRole> role = readRole(row, 3);
  if (!role.ok()) return role.status();
  return UserTeam{.team = Team{.id = row.text(0), .name = row.text(1), .createdAt = row.int64(2)}, .role = *role};
}

Result<TeamInvitation> readInvitation(const Statement& row) {
  Result<TeamRole> role = readRole(row, 3);
  if (!role.ok()) return role.status();
  return TeamInvitation{.id = row.text(0),
                        .teamId = row.text(1),
                        .email = row.text(2),
                        .role = *role,
                        .tokenHash = row.text(4),
                        .invitedBy = row.text(5),
                        .createdAt = row.int64(6),
                        .expiresAt = row.int64(7),
                        .acceptedAt = row.optionalInt64(8),
                        .revokedAt = row.optionalInt64(9)};
}

Status insertInvitationRow(Connection& c, const TeamInvitation& i) {
  return sqlite::change(c, kInsertInvitation,
                        [&](Statement& st) {
                          st.bindText(1, i.id)
                              .bindText(2, i.teamId)
                              .bindText(3, i.email)
                              .bindText(4, toString(i.role))
                              .bindText(5, i.tokenHash)
                              .bindText(6, i.invitedBy)
                              .bindInt64(7, i.createdAt)
                              .bindInt64(8, i.expiresAt)
                              .bindOptionalInt64(9, i.acceptedAt)
                              .bindOptionalInt64(10, i.revokedAt);
                        })
      .status();
}

Result<std::int64_t> countOwners(Connection& c, std::string_view teamId) {
  std::optional<std::int64_t> n;
  LS_RETURN_IF_ERROR(sqlite::selectOne(
      c, kCountOwners, [&](Statement& st) { st.bindText(1, teamId); },
      [](const Statement& row) -> Result<std::int64_t> { return row.int64(0); }, n));
  return n.value_or(0);
}

// Inside a write transaction (BEGIN IMMEDIATE: no other writer between the
// read and the change): kNotFound when not a member, kConflict when the
// change would leave the team without an owner.
Status changeMember(Connection& c, std::string_view teamId, std::string_view userId, std::optional<TeamRole> to) {
  std::optional<TeamRole> from;
  LS_RETURN_IF_ERROR(sqlite::selectOne(
      c, kFindRole, [&](Statement& st) { st.bindText(1, teamId).bindText(2, userId); },
      [](const Statement& row) { return readRole(row, 0); }, from));
  if (!from) return notFound("not a member of this team");
  if (*from == TeamRole::kOwner && to != TeamRole::kOwner) {
    Result<std::int64_t> owners = countOwners(c, teamId);
    if (!owners.ok()) return owners.status();
    if (*owners <= 1) return Status(Code::kConflict, "A team needs at least one owner");
  }
  if (!to) {
    return sqlite::change(c, kRemoveMember, [&](Statement& st) { st.bindText(1, teamId).bindText(2, userId); })
        .status();
  }
  return sqlite::change(c, kSetRole, [&](Statement& st) {
           st.bindText(1, teamId).bindText(2, userId).bindText(3, toString(*to));
         }).status();
}

}  // namespace

namespace sqlite {

Status exportTeamMemberships(Connection& c, StoreSnapshot& out) {
  const auto none = [](Statement&) {};
  LS_RETURN_IF_ERROR(sqlite::selectAll(c, kListAllMembers, none, readMember, out.teamMembers));
  return sqlite::selectAll(c, kListAllInvitations, none, readInvitation, out.invitations);
}

Status importTeamMemberships(Connection& c, const StoreSnapshot& snapshot) {
  for (const TeamMember& m : snapshot.teamMembers) LS_RETURN_IF_ERROR(insertTeamMemberRow(c, m));
  for (const TeamInvitation& i : snapshot.invitations) LS_RETURN_IF_ERROR(insertInvitationRow(c, i));
  return Status::ok();
}

// Adds a membership inside the caller's write transaction: kNotFound for an
// unknown team or user, kConflict for a member already.
Status insertTeamMemberRow(Connection& c, const TeamMember& m) {
  Result<bool> team = sqlite::exists(c, sqlite::sql::kTeamExists, [&](Statement& st) { st.bindText(1, m.teamId); });
  if (!team.ok()) return team.status();
  if (!*team) return notFound(missing("team", m.teamId));
  Result<bool> user = sqlite::exists(c, sqlite::sql::kUserExists, [&](Statement& st) { st.bindText(1, m.userId); });
  if (!user.ok()) return user.status();
  if (!*user) return notFound(missing("user", m.userId));
  Result<bool> member =
      sqlite::exists(c, kMemberExists, [&](Statement& st) { st.bindText(1, m.teamId).bindText(2, m.userId); });
  if (!member.ok()) return member.status();
  if (*member) return Status(Code::kConflict, "the user is a member of this team already");
  return sqlite::change(c, kInsertMember,
                        [&](Statement& st) {
                          st.bindText(1, m.teamId)
                              .bindText(2, m.userId)
                              .bindText(3, toString(m.role))
                              .bindInt64(4, m.createdAt);
                        })
      .status();
}

}  // namespace sqlite

Status SqliteStore::addTeamMember(const TeamMember& member) {
  return withWriteTransaction("add team member",
                              [&](Connection& c) { return sqlite::insertTeamMemberRow(c, member); });
}

Result<std::optional<TeamRole>> SqliteStore::findTeamRole(std::string_view teamId, std::string_view userId) {
  std::optional<TeamRole> out;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectOne(
        c, kFindRole, [&](Statement& st) { st.bindText(1, teamId).bindText(2, userId); },
        [](const Statement& row) { return readRole(row, 0); }, out);
  });
  return valueOr(s, std::move(out));
}

Result<std::vector<TeamMember>> SqliteStore::listTeamMembers(std::string_view teamId) {
  std::vector<TeamMember> out;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectAll(c, kListMembers, [&](Statement& st) { st.bindText(1, teamId); }, readMember, out);
  });
  return valueOr(s, std::move(out));
}

Result<std::vector<UserTeam>> SqliteStore::listUserTeams(std::string_view userId) {
  std::vector<UserTeam> out;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectAll(c, kListUserTeams, [&](Statement& st) { st.bindText(1, userId); }, readUserTeam, out);
  });
  return valueOr(s, std::move(out));
}

Result<Team> SqliteStore::insertTeamWithOwner(const Team& team, const TeamMember& owner) {
  const Status s = withWriteTransaction("insert team", [&](Connection& c) -> Status {
    LS_RETURN_IF_ERROR(sqlite::change(c, sqlite::sql::kInsertTeam, [&](Statement& st) {
                         st.bindText(1, team.id).bindText(2, team.name).bindInt64(3, team.createdAt);
                       }).status());
    return sqlite::insertTeamMemberRow(c, owner);
  });
  return valueOr(s, team);
}

Status SqliteStore::setTeamMemberRole(std::string_view teamId, std::string_view userId, TeamRole role) {
  return withWriteTransaction("set team member role",
                              [&](Connection& c) { return changeMember(c, teamId, userId, role); });
}

Status SqliteStore::removeTeamMember(std::string_view teamId, std::string_view userId) {
  return withWriteTransaction("remove team member",
                              [&](Connection& c) { return changeMember(c, teamId, userId, std::nullopt); });
}

Status SqliteStore::insertInvitation(const TeamInvitation& invitation) {
  return withWriteTransaction("insert invitation", [&](Connection& c) -> Status {
    Result<bool> team =
        sqlite::exists(c, sqlite::sql::kTeamExists, [&](Statement& st) { st.bindText(1, invitation.teamId); });
    if (!team.ok()) return team.status();
    if (!*team) return notFound(missing("team", invitation.teamId));
    return insertInvitationRow(c, invitation);
  });
}

Result<std::optional<TeamInvitation>> SqliteStore::findInvitationByTokenHash(std::string_view tokenHash) {
  std::optional<TeamInvitation> out;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectOne(c, kFindInvitationByHash, [&](Statement& st) { st.bindText(1, tokenHash); },
                             readInvitation, out);
  });
  return valueOr(s, std::move(out));
}

Result<std::vector<TeamInvitation>> SqliteStore::listPendingInvitations(std::string_view teamId, UnixMillis now) {
  std::vector<TeamInvitation> out;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectAll(
        c, kListPendingInvitations, [&](Statement& st) { st.bindText(1, teamId).bindInt64(2, now); }, readInvitation,
        out);
  });
  return valueOr(s, std::move(out));
}

Status SqliteStore::revokeInvitation(std::string_view teamId, std::string_view invitationId, UnixMillis at) {
  return withWriteTransaction("revoke invitation", [&](Connection& c) -> Status {
    Result<std::int64_t> n = sqlite::change(c, kRevokeInvitation, [&](Statement& st) {
      st.bindText(1, teamId).bindText(2, invitationId).bindInt64(3, at);
    });
    if (!n.ok()) return n.status();
    return *n == 0 ? notFound(missing("invitation", invitationId)) : Status::ok();
  });
}

Status SqliteStore::acceptInvitation(std::string_view invitationId, const std::optional<UserRecord>& newUser,
                                     const TeamMember& member, UnixMillis at) {
  return withWriteTransaction("accept invitation", [&](Connection& c) -> Status {
    Result<std::int64_t> n = sqlite::change(
        c, kMarkInvitationAccepted, [&](Statement& st) { st.bindText(1, invitationId).bindInt64(2, at); });
    if (!n.ok()) return n.status();
    if (*n == 0) return notFound(missing("invitation", invitationId));
    if (newUser) LS_RETURN_IF_ERROR(sqlite::insertUserRow(c, *newUser));
    return sqlite::insertTeamMemberRow(c, member);
  });
}

Result<std::int64_t> SqliteStore::purgeInvitations(UnixMillis before) {
  std::int64_t purged = 0;
  const Status s = withWriteTransaction("purge invitations", [&](Connection& c) -> Status {
    Result<std::int64_t> n = sqlite::change(c, kPurgeInvitations, [&](Statement& st) { st.bindInt64(1, before); });
    if (!n.ok()) return n.status();
    purged = *n;
    return Status::ok();
  });
  return valueOr(s, purged);
}

}  // namespace ls
