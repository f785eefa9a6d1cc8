// PostgresStore: team memberships (team_members). A change that must keep
// an owner locks the team row first (FOR UPDATE), so changes of one team's
// members take turns in every API process.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/postgres/connection.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/postgres/queries.hpp"
#include "store/postgres/rows.hpp"

namespace ls {

using postgres::Connection;
using postgres::missing;
using postgres::NamedSql;
using postgres::Params;
using postgres::PgResult;
using postgres::valueOr;

namespace {

constexpr NamedSql kUserExists{"check user", "SELECT 1 FROM users WHERE id = $1::text FOR KEY SHARE"};
constexpr NamedSql kInsertMember{"add team member",
                                 "INSERT INTO team_members (team_id, user_id, role, created_at) "
                                 "VALUES ($1::text, $2::text, $3::text, $4::bigint) ON CONFLICT DO NOTHING"};
constexpr NamedSql kFindRole{"find team role",
                             "SELECT role FROM team_members WHERE team_id = $1::text AND user_id = $2::text"};
constexpr NamedSql kListMembers{
    "list team members",
    "SELECT m.team_id, m.user_id, u.email, m.role, m.created_at FROM team_members m JOIN users u ON u.id = m.user_id "
    "WHERE m.team_id = $1::text ORDER BY m.created_at, u.email"};
constexpr NamedSql kListUserTeams{
    "list user teams",
    "SELECT t.id, t.name, t.created_at, m.role FROM team_members m JOIN teams t ON t.id = m.team_id "
    "WHERE m.user_id = $1::text ORDER BY t.created_at, t.id"};

constexpr NamedSql kLockTeam{"lock team", "SELECT 1 FROM teams WHERE id = $1::text FOR UPDATE"};
constexpr NamedSql kInsertTeam{"insert team",
                               "INSERT INTO teams (id, name, created_at) VALUES ($1::text, $2::text, $3::bigint)"};
constexpr NamedSql kSetRole{
    "set team member role",
    "UPDATE team_members SET role = $3::text WHERE team_id = $1::text AND user_id = $2::text"};
constexpr NamedSql kRemoveMember{"remove team member",
                                 "DELETE FROM team_members WHERE team_id = $1::text AND user_id = $2::text"};
constexpr NamedSql kCountOwners{"count team owners",
                                "SELECT count(*) FROM team_members WHERE team_id = $1::text AND role = 'owner'"};
constexpr NamedSql kListAllMembers{
    "list all team members",
    "SELECT m.team_id, m.user_id, u.email, m.role, m.created_at FROM team_members m JOIN users u ON u.id = m.user_id "
    "ORDER BY m.created_at, m.team_id, m.user_id"};

#define LS_INVITATION_COLUMNS \
  "id, team_id, email, role, token_hash, invited_by, created_at, expires_at, accepted_at, revoked_at "
constexpr NamedSql kInsertInvitation{
    "insert invitation",
    "INSERT INTO team_invitations (" LS_INVITATION_COLUMNS
    ") VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::bigint, $8::bigint, $9::bigint, "
    "$10::bigint)"};
constexpr NamedSql kFindInvitationByHash{
    "find invitation", "SELECT " LS_INVITATION_COLUMNS "FROM team_invitations WHERE token_hash = $1::text"};
constexpr NamedSql kListPendingInvitations{
    "list invitations",
    "SELECT " LS_INVITATION_COLUMNS
    "FROM team_invitations WHERE team_id = $1::text AND accepted_at IS NULL AND revoked_at IS NULL "
    "AND expires_at > $2::bigint ORDER BY created_at, id"};
constexpr NamedSql kListAllInvitations{"list all invitations",
                                       "SELECT " LS_INVITATION_COLUMNS "FROM team_invitations ORDER BY created_at, id"};
constexpr NamedSql kRevokeInvitation{
    "revoke invitation",
    "UPDATE team_invitations SET revoked_at = $3::bigint WHERE team_id = $1::text AND id = $2::text "
    "AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $3::bigint"};
constexpr NamedSql kMarkInvitationAccepted{
    "accept invitation",
    "UPDATE team_invitations SET accepted_at = $2::bigint WHERE id = $1::text AND accepted_at IS NULL "
    "AND revoked_at IS NULL AND expires_at > $2::bigint"};
constexpr NamedSql kPurgeInvitations{
    "purge invitations",
    "DELETE FROM team_invitations WHERE expires_at < $1::bigint OR accepted_at < $1::bigint "
    "OR revoked_at < $1::bigint"};
#undef LS_INVITATION_COLUMNS

Result<TeamRole> readRole(const PgResult& r, int row, int column) {
  const std::string text = r.text(row, column);
  std::optional<TeamRole> role = parseTeamRole(text);
  if (!role) return internalError("team_members holds an unknown role: " + text);
  return *role;
}

Result<TeamMember> readMember(const PgResult& r, int row) {
  Result<TeamRole> role = readRole(r, row, 3);
  if (!role.ok()) return role.status();
  return TeamMember{.teamId = r.text(row, 0),
                    .userId = r.text(row, 1),
                    .email = r.text(row, 2),
                    .role = *role,
                    .createdAt = r.int64(row, 4)};
}

Result<UserTeam> readUserTeam(const PgResult& r, int row) {
  Result<TeamRole> role = readRole(r, row, 3);
  if (!role.ok()) return role.status();
  return UserTeam{.team = Team{.id = r.text(row, 0), .name = r.text(row, 1), .createdAt = r.int64(row, 2)},
                  .role = *role};
}

Params two(std::string_view a, std::string_view b) {
  Params p;
  p.text(a).text(b);
  return p;
}

Params one(std::string_view a) {
  Params p;
  p.text(a);
  return p;
}

Result<TeamInvitation> readInvitation(const PgResult& r, int row) {
  Result<TeamRole> role = readRole(r, row, 3);
  if (!role.ok()) return role.status();
  return TeamInvitation{.id = r.text(row, 0),
                        .teamId = r.text(row, 1),
                        .email = r.text(row, 2),
                        .role = *role,
                        .tokenHash = r.text(row, 4),
                        .invitedBy = r.text(row, 5),
                        .createdAt = r.int64(row, 6),
                        .expiresAt = r.int64(row, 7),
                        .acceptedAt = r.optionalInt64(row, 8),
                        .revokedAt = r.optionalInt64(row, 9)};
}

Status insertInvitationRow(Connection& c, const TeamInvitation& i) {
  Params p;
  p.text(i.id)
      .text(i.teamId)
      .text(i.email)
      .text(toString(i.role))
      .text(i.tokenHash)
      .text(i.invitedBy)
      .int64(i.createdAt)
      .int64(i.expiresAt)
      .optionalInt64(i.acceptedAt)
      .optionalInt64(i.revokedAt);
  return postgres::change(c, kInsertInvitation, p).status();
}

// Locks the team row first, so every change of one team's members that must
// keep an owner waits for the one before it and then counts afresh (READ
// COMMITTED reads the committed rows at each statement). kNotFound when not
// a member, kConflict when the change would leave no owner.
Status changeMember(Connection& c, std::string_view teamId, std::string_view userId, std::optional<TeamRole> to) {
  Result<bool> team = postgres::exists(c, kLockTeam, one(teamId));
  if (!team.ok()) return team.status();
  if (!*team) return notFound(missing("team", teamId));
  std::optional<TeamRole> from;
  LS_RETURN_IF_ERROR(postgres::selectOne(
      c, kFindRole, two(teamId, userId), [](const PgResult& r, int row) { return readRole(r, row, 0); }, from));
  if (!from) return notFound("not a member of this team");
  if (*from == TeamRole::kOwner && to != TeamRole::kOwner) {
    std::optional<std::int64_t> owners;
    LS_RETURN_IF_ERROR(postgres::selectOne(
        c, kCountOwners, one(teamId), [](const PgResult& r, int row) -> Result<std::int64_t> { return r.int64(row, 0); },
        owners));
    if (owners.value_or(0) <= 1) return Status(Code::kConflict, "A team needs at least one owner");
  }
  if (!to) return postgres::change(c, kRemoveMember, two(teamId, userId)).status();
  Params p;
  p.text(teamId).text(userId).text(toString(*to));
  return postgres::change(c, kSetRole, p).status();
}

}  // namespace

namespace postgres {

Status exportTeamMemberships(Connection& c, StoreSnapshot& out) {
  LS_RETURN_IF_ERROR(postgres::selectAll(c, kListAllMembers, {}, readMember, out.teamMembers));
  return postgres::selectAll(c, kListAllInvitations, {}, readInvitation, out.invitations);
}

Status importTeamMemberships(Connection& c, const StoreSnapshot& snapshot) {
  for (const TeamMember& m : snapshot.teamMembers) LS_RETURN_IF_ERROR(insertTeamMemberRow(c, m));
  for (const TeamInvitation& i : snapshot.invitations) LS_RETURN_IF_ERROR(insertInvitationRow(c, i));
  return Status::ok();
}

// Adds a membership inside the caller's write transaction: kNotFound for an
// unknown team or user, kConflict for a member already.
Status insertTeamMemberRow(Connection& c, const TeamMember& m) {
  Result<bool> team = postgres::exists(c, postgres::sql::kTeamExists, one(m.teamId));
  if (!team.ok()) return team.status();
  if (!*team) return notFound(missing("team", m.teamId));
  Result<bool> user = postgres::exists(c, kUserExists, one(m.userId));
  if (!user.ok()) return user.status();
  if (!*user) return notFound(missing("user", m.userId));
  Params p;
  p.text(m.teamId).text(m.userId).text(toString(m.role)).int64(m.createdAt);
  Result<std::int64_t> n = postgres::change(c, kInsertMember, p);
  if (!n.ok()) return n.status();
  return *n == 0 ? Status(Code::kConflict, "the user is a member of this team already") : Status::ok();
}

}  // namespace postgres

Status PostgresStore::addTeamMember(const TeamMember& member) {
  return withTransaction("add team member", Txn::kWrite,
                         [&](Connection& c) { return postgres::insertTeamMemberRow(c, member); });
}

Result<std::optional<TeamRole>> PostgresStore::findTeamRole(std::string_view teamId, std::string_view userId) {
  std::optional<TeamRole> out;
  const Status s = withConnection([&](Connection& c) {
    return postgres::selectOne(
        c, kFindRole, two(teamId, userId), [](const PgResult& r, int row) { return readRole(r, row, 0); }, out);
  });
  return valueOr(s, std::move(out));
}

Result<std::vector<TeamMember>> PostgresStore::listTeamMembers(std::string_view teamId) {
  std::vector<TeamMember> out;
  const Status s =
      withConnection([&](Connection& c) { return postgres::selectAll(c, kListMembers, one(teamId), readMember, out); });
  return valueOr(s, std::move(out));
}

Result<std::vector<UserTeam>> PostgresStore::listUserTeams(std::string_view userId) {
  std::vector<UserTeam> out;
  const Status s = withConnection(
      [&](Connection& c) { return postgres::selectAll(c, kListUserTeams, one(userId), readUserTeam, out); });
  return valueOr(s, std::move(out));
}

Result<Team> PostgresStore::insertTeamWithOwner(const Team& team, const TeamMember& owner) {
  const Status s = withTransaction("insert team", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(team.id).text(team.name).int64(team.createdAt);
    LS_RETURN_IF_ERROR(postgres::change(c, kInsertTeam, p).status());
    return postgres::insertTeamMemberRow(c, owner);
  });
  return valueOr(s, team);
}

Status PostgresStore::setTeamMemberRole(std::string_view teamId, std::string_view userId, TeamRole role) {
  return withTransaction("set team member role", Txn::kWrite,
                         [&](Connection& c) { return changeMember(c, teamId, userId, role); });
}

Status PostgresStore::removeTeamMember(std::string_view teamId, std::string_view userId) {
  return withTransaction("remove team member", Txn::kWrite,
                         [&](Connection& c) { return changeMember(c, teamId, userId, std::nullopt); });
}

Status PostgresStore::insertInvitation(const TeamInvitation& invitation) {
  return withTransaction("insert invitation", Txn::kWrite, [&](Connection& c) -> Status {
    Result<bool> team = postgres::exists(c, postgres::sql::kTeamExists, one(invitation.teamId));
    if (!team.ok()) return team.status();
    if (!*team) return notFound(missing("team", invitation.teamId));
    return insertInvitationRow(c, invitation);
  });
}

Result<std::optional<TeamInvitation>> PostgresStore::findInvitationByTokenHash(std::string_view tokenHash) {
  std::optional<TeamInvitation> out;
  const Status s = withConnection(
      [&](Connection& c) { return postgres::selectOne(c, kFindInvitationByHash, one(tokenHash), readInvitation, out); });
  return valueOr(s, std::move(out));
}

Result<std::vector<TeamInvitation>> PostgresStore::listPendingInvitations(std::string_view teamId, UnixMillis now) {
  std::vector<TeamInvitation> out;
  Params p;
  p.text(teamId).int64(now);
  const Status s = withConnection(
      [&](Connection& c) { return postgres::selectAll(c, kListPendingInvitations, p, readInvitation, out); });
  return valueOr(s, std::move(out));
}

Status PostgresStore::revokeInvitation(std::string_view teamId, std::string_view invitationId, UnixMillis at) {
  return withTransaction("revoke invitation", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(teamId).text(invitationId).int64(at);
    Result<std::int64_t> n = postgres::change(c, kRevokeInvitation, p);
    if (!n.ok()) return n.status();
    return *n == 0 ? notFound(missing("invitation", invitationId)) : Status::ok();
  });
}

Status PostgresStore::acceptInvitation(std::string_view invitationId, const std::optional<UserRecord>& newUser,
                                       const TeamMember& member, UnixMillis at) {
  return withTransaction("accept invitation", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(invitationId).int64(at);
    Result<std::int64_t> n = postgres::change(c, kMarkInvitationAccepted, p);
    if (!n.ok()) return n.status();
    if (*n == 0) return notFound(missing("invitation", invitationId));
    if (newUser) LS_RETURN_IF_ERROR(postgres::insertUserRow(c, *newUser));
    return postgres::insertTeamMemberRow(c, member);
  });
}

Result<std::int64_t> PostgresStore::purgeInvitations(UnixMillis before) {
  std::int64_t purged = 0;
  const Status s = withTransaction("purge invitations", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.int64(before);
    Result<std::int64_t> n = postgres::change(c, kPurgeInvitations, p);
    if (!n.ok()) return n.status();
    purged = *n;
    return Status::ok();
  });
  return valueOr(s, purged);
}

}  // namespace ls
