// Team memberships in every Store engine (SQLite and PostgreSQL).
#include <gtest/gtest.h>

#include "store_engines.hpp"

namespace ls::testing {
namespace {

using MembersTest = StoreContractTest;

UserRecord user(std::string id, std::string email) {
  return UserRecord{.id = std::move(id),
                    .email = std::move(email),
                    .passwordHash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA",
                    .isAdmin = false,
                    .createdAt = 1000,
                    .updatedAt = 1000};
}

TeamMember member(std::string teamId, std::string userId, TeamRole role, UnixMillis at = 2000) {
  return TeamMember{.teamId = std::move(teamId), .userId = std::move(userId), .email = "", .role = role, .createdAt = at};
}

TEST_P(MembersTest, AddFindAndListMembers) {
  ASSERT_TRUE(store_->insertUser(user("u-1", "a@example.com")).ok());
  ASSERT_TRUE(store_->insertUser(user("u-2", "b@example.com")).ok());
  Team beta = sampleTeam("team-2", "Beta");
  beta.createdAt = 500;
  ASSERT_TRUE(store_->insertTeam(beta).ok());

  ASSERT_TRUE(store_->addTeamMember(member("team-1", "u-1", TeamRole::kOwner, 2000)).isOk());
  ASSERT_TRUE(store_->addTeamMember(member("team-1", "u-2", TeamRole::kViewer, 3000)).isOk());
  ASSERT_TRUE(store_->addTeamMember(member("team-2", "u-1", TeamRole::kAdmin, 4000)).isOk());
  EXPECT_EQ(store_->addTeamMember(member("team-1", "u-2", TeamRole::kAdmin)).code(), Code::kConflict);
  EXPECT_EQ(store_->addTeamMember(member("team-404", "u-1", TeamRole::kAdmin)).code(), Code::kNotFound);
  EXPECT_EQ(store_->addTeamMember(member("team-1", "u-404", TeamRole::kAdmin)).code(), Code::kNotFound);

  auto role = store_->findTeamRole("team-1", "u-2");
  ASSERT_TRUE(role.ok());
  EXPECT_EQ(*role, std::optional<TeamRole>(TeamRole::kViewer));  // the conflict changed nothing
  auto none = store_->findTeamRole("team-2", "u-2");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  auto members = store_->listTeamMembers("team-1");
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].userId, "u-1");
  EXPECT_EQ((*members)[0].email, "a@example.com");
  EXPECT_EQ((*members)[0].role, TeamRole::kOwner);
  EXPECT_EQ((*members)[0].createdAt, 2000);
  EXPECT_EQ((*members)[1].email, "b@example.com");

  auto teams = store_->listUserTeams("u-1");
  ASSERT_TRUE(teams.ok());
  ASSERT_EQ(teams->size(), 2u);
  EXPECT_EQ((*teams)[0].team.id, "team-2");  // older team first
  EXPECT_EQ((*teams)[0].team.name, "Beta");
  EXPECT_EQ((*teams)[0].role, TeamRole::kAdmin);
  EXPECT_EQ((*teams)[1].team.id, "team-1");
  EXPECT_EQ((*teams)[1].role, TeamRole::kOwner);
}

TEST_P(MembersTest, DeletingAUserOrATeamDropsItsMemberships) {
  ASSERT_TRUE(store_->insertUser(user("u-1", "a@example.com")).ok());
  ASSERT_TRUE(store_->insertTeam(sampleTeam("team-2", "Beta")).ok());
  ASSERT_TRUE(store_->addTeamMember(member("team-1", "u-1", TeamRole::kOwner)).isOk());
  ASSERT_TRUE(store_->addTeamMember(member("team-2", "u-1", TeamRole::kMember)).isOk());
  ASSERT_TRUE(store_->deleteTeam("team-2").isOk());  // no projects
  EXPECT_EQ(queryInt("SELECT count(*) FROM team_members WHERE team_id = 'team-2'"), 0);
  ASSERT_TRUE(store_->deleteUser("u-1").isOk());
  EXPECT_EQ(queryInt("SELECT count(*) FROM team_members"), 0);
  auto members = store_->listTeamMembers("team-1");
  ASSERT_TRUE(members.ok());
  EXPECT_TRUE(members->empty());
}

}  // namespace
LS_STORE_SUITE(MembersTest);
}  // namespace ls::testing
