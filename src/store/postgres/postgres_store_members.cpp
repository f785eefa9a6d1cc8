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

}  // namespace

namespace postgres {

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

}  // namespace ls
