// TeamService on a real SQLite store with an injected clock: the last-owner
// rule, admins and owners, invitations (expiry, accept, revoke, email
// mismatch) and the audit trail.
#include "control/team_service.hpp"

#include <gtest/gtest.h>

#include <map>

#include "store/sqlite/sqlite_store.hpp"
#include "support/temp_dir.hpp"

namespace ls::control {
namespace {

constexpr auth::PasswordHashParams kCheap{.timeCost = 1, .memoryKiB = 64, .parallelism = 1};
constexpr UnixMillis kStart = 1'800'000'000'000;
constexpr UnixMillis kHour = 3'600'000;

class TeamServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::open(dir_.path() / "test.db");
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
    projects_ = std::make_unique<ProjectService>(*store_, clock_, random_);
    users_ = std::make_unique<UserService>(*store_, clock_, random_, kCheap);
    SessionOptions options;
    options.passwordParams = kCheap;
    auto sessions = SessionService::create(*store_, clock_, random_, options);
    ASSERT_TRUE(sessions.ok());
    sessions_ = std::move(*sessions);
    teams_ = std::make_unique<TeamService>(*store_, *projects_, *users_, sessions_.get(), clock_, random_,
                                           TeamOptions{.invitationTtlHours = 2});
    for (const char* name : {"owner", "admin", "member", "viewer", "outsider"}) {
      auto u = users_->create(std::string(name) + "@example.com", "long enough", false);
      ASSERT_TRUE(u.ok()) << u.status().message();
      acting_[name] = Acting{Actor{ActorType::kUser, u->id, u->email}, u->id, false};
      ids_[name] = u->id;
    }
    auto team = teams_->createTeam(acting_["owner"], "Blue");
    ASSERT_TRUE(team.ok()) << team.status().message();
    team_ = team->team.id;
    for (const char* name : {"admin", "member", "viewer"}) {
      auto added = teams_->addMember(acting_["owner"], team_, std::string(name) + "@example.com", *parseTeamRole(name));
      ASSERT_TRUE(added.ok()) << added.status().message();
    }
  }

  testing::TempDir dir_;
  ManualClock clock_{kStart};
  SecureRandom random_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<ProjectService> projects_;
  std::unique_ptr<UserService> users_;
  std::unique_ptr<SessionService> sessions_;
  std::unique_ptr<TeamService> teams_;
  std::map<std::string, Acting> acting_;
  std::map<std::string, std::string> ids_;
  std::string team_;
};

TEST_F(TeamServiceTest, TheLastOwnerCannotLeaveOrStepDown) {
  const Status leave = teams_->removeMember(acting_["owner"], team_, ids_["owner"]);
  EXPECT_EQ(leave.code(), Code::kConflict);
  EXPECT_EQ(leave.message(), kNeedsOwner);
  EXPECT_EQ(teams_->changeRole(acting_["owner"], team_, ids_["owner"], TeamRole::kAdmin).status().code(),
            Code::kConflict);
  // With a second owner the first may go.
  ASSERT_TRUE(teams_->changeRole(acting_["owner"], team_, ids_["admin"], TeamRole::kOwner).ok());
  EXPECT_TRUE(teams_->removeMember(acting_["owner"], team_, ids_["owner"]).isOk());
}

TEST_F(TeamServiceTest, AdminsDoNotTouchOwnersAndLowerRolesChangeNobody) {
  auto promote = teams_->changeRole(acting_["admin"], team_, ids_["member"], TeamRole::kOwner);
  EXPECT_EQ(promote.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(teams_->removeMember(acting_["admin"], team_, ids_["owner"]).code(), Code::kPermissionDenied);
  EXPECT_EQ(teams_->invite(acting_["admin"], team_, "new@example.com", TeamRole::kOwner).status().code(),
            Code::kPermissionDenied);
  EXPECT_TRUE(teams_->changeRole(acting_["admin"], team_, ids_["viewer"], TeamRole::kMember).ok());
  auto denied = teams_->removeMember(acting_["member"], team_, ids_["viewer"]);
  EXPECT_EQ(denied.code(), Code::kPermissionDenied);
  EXPECT_EQ(denied.message(), "member may not remove members");
  // Outside the team: not found, whatever the action.
  EXPECT_EQ(teams_->listMembers(acting_["outsider"], team_).status().code(), Code::kNotFound);
  EXPECT_EQ(teams_->removeMember(acting_["outsider"], team_, ids_["viewer"]).code(), Code::kNotFound);
  // Unknown users are not added: they are invited.
  auto unknown = teams_->addMember(acting_["owner"], team_, "nobody@example.com", TeamRole::kViewer);
  EXPECT_EQ(unknown.status().code(), Code::kNotFound);
  EXPECT_EQ(unknown.status().message(), kNoSuchUser);
  // The CLI is a system administrator.
  EXPECT_TRUE(teams_->changeRole(actingCli("root"), team_, ids_["member"], TeamRole::kOwner).ok());
}

TEST_F(TeamServiceTest, AnInvitationMakesANewUserWhoIsLoggedIn) {
  auto issued = teams_->invite(acting_["admin"], team_, " New@Example.com ", TeamRole::kMember);
  ASSERT_TRUE(issued.ok()) << issued.status().message();
  EXPECT_TRUE(issued->token.starts_with(kInvitationTokenPrefix));
  EXPECT_NE(issued->invitation.tokenHash, issued->token);
  EXPECT_EQ(issued->invitation.email, "new@example.com");
  EXPECT_EQ(issued->invitation.expiresAt, kStart + 2 * kHour);
  EXPECT_EQ(teams_->accept(issued->token, std::nullopt, "short").status().code(), Code::kInvalidArgument);
  auto accepted = teams_->accept(issued->token, std::nullopt, "long enough");
  ASSERT_TRUE(accepted.ok()) << accepted.status().message();
  ASSERT_TRUE(accepted->session.has_value());
  EXPECT_EQ(accepted->user.email, "new@example.com");
  EXPECT_EQ(*store_->findTeamRole(team_, accepted->user.id), std::optional<TeamRole>(TeamRole::kMember));
  EXPECT_EQ(teams_->accept(issued->token, std::nullopt, "long enough").status().code(), Code::kNotFound);
  auto audit = store_->listAuditEntries(AuditQuery{.teamId = team_, .page = 1, .limit = 100});
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->items.front().action, audit::kInvitationAccepted);
  EXPECT_EQ(audit->items.front().actor.id, accepted->user.id);
}

TEST_F(TeamServiceTest, InvitationsExpireAndCanBeRevoked) {
  auto late = teams_->invite(acting_["owner"], team_, "late@example.com", TeamRole::kViewer);
  auto revoked = teams_->invite(acting_["owner"], team_, "gone@example.com", TeamRole::kViewer);
  ASSERT_TRUE(late.ok() && revoked.ok());
  auto pending = teams_->listInvitations(acting_["admin"], team_);
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->size(), 2u);
  EXPECT_EQ(teams_->listInvitations(acting_["member"], team_).status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(teams_->revokeInvitation(acting_["admin"], team_, revoked->invitation.id).isOk());
  EXPECT_EQ(teams_->revokeInvitation(acting_["admin"], team_, revoked->invitation.id).code(), Code::kNotFound);
  EXPECT_EQ(teams_->accept(revoked->token, std::nullopt, "long enough").status().code(), Code::kNotFound);
  clock_.advance(2 * kHour);
  EXPECT_EQ(teams_->accept(late->token, std::nullopt, "long enough").status().code(), Code::kNotFound);
  pending = teams_->listInvitations(acting_["admin"], team_);
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());
  EXPECT_EQ(teams_->accept("ls_inv_garbage", std::nullopt, "long enough").status().code(), Code::kNotFound);
}

TEST_F(TeamServiceTest, AnExistingUserJoinsOnlyWithTheirOwnEmail) {
  auto issued = teams_->invite(acting_["owner"], team_, "outsider@example.com", TeamRole::kAdmin);
  ASSERT_TRUE(issued.ok());
  const Principal wrong{ids_["member"], "member@example.com", false, "sid"};
  EXPECT_EQ(teams_->accept(issued->token, wrong, std::nullopt).status().code(), Code::kPermissionDenied);
  // Without logging in, an existing account's email is refused (log in first).
  EXPECT_EQ(teams_->accept(issued->token, std::nullopt, "long enough").status().code(), Code::kConflict);
  const Principal right{ids_["outsider"], "outsider@example.com", false, "sid"};
  auto joined = teams_->accept(issued->token, right, std::nullopt);
  ASSERT_TRUE(joined.ok()) << joined.status().message();
  EXPECT_FALSE(joined->session.has_value());
  EXPECT_EQ(*store_->findTeamRole(team_, ids_["outsider"]), std::optional<TeamRole>(TeamRole::kAdmin));
}

}  // namespace
}  // namespace ls::control
