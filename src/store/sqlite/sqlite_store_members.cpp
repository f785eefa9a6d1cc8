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

}  // namespace

namespace sqlite {

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

}  // namespace ls
