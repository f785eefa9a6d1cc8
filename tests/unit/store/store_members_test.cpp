// Team memberships in every Store engine (SQLite and PostgreSQL).
#include <gtest/gtest.h>

#include <latch>
#include <thread>
#include <vector>

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

TEST_P(MembersTest, RoleChangesAndRemovalsKeepAnOwner) {
  ASSERT_TRUE(store_->insertUser(user("u-1", "a@example.com")).ok());
  ASSERT_TRUE(store_->insertUser(user("u-2", "b@example.com")).ok());
  ASSERT_TRUE(store_->addTeamMember(member("team-1", "u-1", TeamRole::kOwner)).isOk());
  ASSERT_TRUE(store_->addTeamMember(member("team-1", "u-2", TeamRole::kMember)).isOk());

  const Status demote = store_->setTeamMemberRole("team-1", "u-1", TeamRole::kAdmin);
  EXPECT_EQ(demote.code(), Code::kConflict);
  EXPECT_EQ(demote.message(), "A team needs at least one owner");
  EXPECT_EQ(store_->removeTeamMember("team-1", "u-1").code(), Code::kConflict);
  EXPECT_EQ(*store_->findTeamRole("team-1", "u-1"), std::optional<TeamRole>(TeamRole::kOwner));

  ASSERT_TRUE(store_->setTeamMemberRole("team-1", "u-2", TeamRole::kOwner).isOk());
  ASSERT_TRUE(store_->setTeamMemberRole("team-1", "u-1", TeamRole::kViewer).isOk());
  EXPECT_EQ(store_->removeTeamMember("team-1", "u-2").code(), Code::kConflict);
  ASSERT_TRUE(store_->removeTeamMember("team-1", "u-1").isOk());
  EXPECT_FALSE(store_->findTeamRole("team-1", "u-1")->has_value());
  EXPECT_EQ(store_->removeTeamMember("team-1", "u-1").code(), Code::kNotFound);
  EXPECT_EQ(store_->setTeamMemberRole("team-1", "u-404", TeamRole::kAdmin).code(), Code::kNotFound);
}

TEST_P(MembersTest, ConcurrentDemotionsOfTheLastTwoOwnersLeaveOne) {
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    const std::string team = "race-" + std::to_string(round);
    ASSERT_TRUE(store_->insertTeam(sampleTeam(team, "Race " + std::to_string(round))).ok());
    const std::string a = team + "-a";
    const std::string b = team + "-b";
    ASSERT_TRUE(store_->insertUser(user(a, a + "@example.com")).ok());
    ASSERT_TRUE(store_->insertUser(user(b, b + "@example.com")).ok());
    ASSERT_TRUE(store_->addTeamMember(member(team, a, TeamRole::kOwner)).isOk());
    ASSERT_TRUE(store_->addTeamMember(member(team, b, TeamRole::kOwner)).isOk());

    // Two processes: one demotes a, the other removes b, at once.
    std::unique_ptr<Store> other = openStore(2);
    ASSERT_NE(other, nullptr);
    std::latch go(2);
    Status first;
    Status second;
    std::thread t1([&] {
      go.arrive_and_wait();
      first = store_->setTeamMemberRole(team, a, TeamRole::kMember);
    });
    std::thread t2([&] {
      go.arrive_and_wait();
      second = other->removeTeamMember(team, b);
    });
    t1.join();
    t2.join();
    EXPECT_NE(first.isOk(), second.isOk()) << first.message() << " / " << second.message();
    const Status& refused = first.isOk() ? second : first;
    EXPECT_EQ(refused.code(), Code::kConflict) << refused.message();
    auto members = store_->listTeamMembers(team);
    ASSERT_TRUE(members.ok());
    int owners = 0;
    for (const TeamMember& m : *members) owners += m.role == TeamRole::kOwner ? 1 : 0;
    EXPECT_EQ(owners, 1);
  }
}

TEST_P(MembersTest, TeamWithOwnerIsOneTransaction) {
  ASSERT_TRUE(store_->insertUser(user("u-1", "a@example.com")).ok());
  auto made = store_->insertTeamWithOwner(sampleTeam("team-2", "Beta"), member("team-2", "u-1", TeamRole::kOwner));
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_EQ(*store_->findTeamRole("team-2", "u-1"), std::optional<TeamRole>(TeamRole::kOwner));
  // An unknown owner: no team either.
  auto orphan = store_->insertTeamWithOwner(sampleTeam("team-3", "Gamma"), member("team-3", "u-404", TeamRole::kOwner));
  EXPECT_EQ(orphan.status().code(), Code::kNotFound);
  EXPECT_FALSE(store_->findTeam("team-3")->has_value());
  auto clash = store_->insertTeamWithOwner(sampleTeam("team-4", "Beta"), member("team-4", "u-1", TeamRole::kOwner));
  EXPECT_EQ(clash.status().code(), Code::kConflict);
}

TeamInvitation invitation(std::string id, std::string hash, UnixMillis expiresAt = 10'000) {
  return TeamInvitation{.id = std::move(id),
                        .teamId = "team-1",
                        .email = "new@example.com",
                        .role = TeamRole::kMember,
                        .tokenHash = std::move(hash),
                        .invitedBy = "",
                        .createdAt = 1000,
                        .expiresAt = expiresAt,
                        .acceptedAt = std::nullopt,
                        .revokedAt = std::nullopt};
}

TEST_P(MembersTest, InvitationsArePendingUntilAcceptedRevokedOrExpired) {
  ASSERT_TRUE(store_->insertInvitation(invitation("inv-1", "h1")).isOk());
  ASSERT_TRUE(store_->insertInvitation(invitation("inv-2", "h2")).isOk());
  ASSERT_TRUE(store_->insertInvitation(invitation("inv-3", "h3", 5000)).isOk());
  TeamInvitation elsewhere = invitation("inv-4", "h4");
  elsewhere.teamId = "team-404";
  EXPECT_EQ(store_->insertInvitation(elsewhere).code(), Code::kNotFound);

  auto pending = store_->listPendingInvitations("team-1", 4000);
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->size(), 3u);
  pending = store_->listPendingInvitations("team-1", 6000);  // inv-3 expired
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->size(), 2u);

  ASSERT_TRUE(store_->revokeInvitation("team-1", "inv-2", 6000).isOk());
  EXPECT_EQ(store_->revokeInvitation("team-1", "inv-2", 6000).code(), Code::kNotFound);
  EXPECT_EQ(store_->revokeInvitation("team-1", "inv-3", 6000).code(), Code::kNotFound);  // expired

  UserRecord fresh = user("u-new", "new@example.com");
  TeamMember joining = member("team-1", "u-new", TeamRole::kMember, 7000);
  EXPECT_EQ(store_->acceptInvitation("inv-2", fresh, joining, 7000).code(), Code::kNotFound);  // revoked
  EXPECT_FALSE(store_->findUser("u-new")->has_value());
  ASSERT_TRUE(store_->acceptInvitation("inv-1", fresh, joining, 7000).isOk());
  EXPECT_EQ(*store_->findTeamRole("team-1", "u-new"), std::optional<TeamRole>(TeamRole::kMember));
  EXPECT_EQ(store_->acceptInvitation("inv-1", std::nullopt, joining, 7001).code(), Code::kNotFound);  // used

  auto found = store_->findInvitationByTokenHash("h1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->acceptedAt, std::optional<UnixMillis>(7000));
  pending = store_->listPendingInvitations("team-1", 7000);
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());

  auto purged = store_->purgeInvitations(8000);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 3);
  EXPECT_FALSE(store_->findInvitationByTokenHash("h1")->has_value());
}

TEST_P(MembersTest, AcceptingForAnExistingMemberChangesNothing) {
  ASSERT_TRUE(store_->insertUser(user("u-1", "new@example.com")).ok());
  ASSERT_TRUE(store_->addTeamMember(member("team-1", "u-1", TeamRole::kViewer)).isOk());
  ASSERT_TRUE(store_->insertInvitation(invitation("inv-1", "h1")).isOk());
  EXPECT_EQ(store_->acceptInvitation("inv-1", std::nullopt, member("team-1", "u-1", TeamRole::kMember), 2000).code(),
            Code::kConflict);
  auto found = store_->findInvitationByTokenHash("h1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_FALSE((*found)->acceptedAt.has_value());  // rolled back
}

}  // namespace
LS_STORE_SUITE(MembersTest);
}  // namespace ls::testing
