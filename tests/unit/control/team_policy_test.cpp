// The role table, exhaustively: every action x every role x member or not x
// system administrator, against an expectation written out by hand per role
// (not derived from the table under test).
#include "control/team_policy.hpp"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>

namespace ls::control {
namespace {

const std::set<std::string> kViewerMay = {
    "team.view", "member.view", "project.view", "livestream.view", "usage.view", "webhook.view",
};
const std::set<std::string> kMemberMay = {
    "team.view",         "member.view",       "project.view",
    "livestream.view",   "usage.view",        "livestream.create",
    "livestream.update", "livestream.delete", "livestream.push_token.regenerate",
    "webhook.view",
};
const std::set<std::string> kAdminMay = {
    "team.view",         "member.view",       "project.view",
    "livestream.view",   "usage.view",        "livestream.create",
    "livestream.update", "livestream.delete", "livestream.push_token.regenerate",
    "project.create",    "project.update",    "project.delete",
    "project.api_key.regenerate",             "member.add",
    "member.invite",     "member.change_role", "member.remove",
    "audit_log.view",    "webhook.view",      "webhook.manage",
};

const std::set<std::string>* expectedFor(TeamRole role) {
  switch (role) {
    case TeamRole::kViewer: return &kViewerMay;
    case TeamRole::kMember: return &kMemberMay;
    case TeamRole::kAdmin: return &kAdminMay;
    case TeamRole::kOwner: return nullptr;  // everything
  }
  return nullptr;
}

constexpr std::array kRoles{TeamRole::kOwner, TeamRole::kAdmin, TeamRole::kMember, TeamRole::kViewer};

TEST(TeamPolicy, TheTableCoversEveryActionInOrderWithUniqueNames) {
  std::set<std::string> names;
  int index = 0;
  for (TeamAction action : allTeamActions()) {
    EXPECT_EQ(static_cast<int>(action), index++);
    EXPECT_TRUE(names.insert(std::string(toString(action))).second) << toString(action);
  }
  EXPECT_EQ(index, static_cast<int>(TeamAction::kManageWebhooks) + 1);
}

TEST(TeamPolicy, EveryRoleEveryActionOwnTeam) {
  for (TeamRole role : kRoles) {
    const auto* expected = expectedFor(role);
    for (TeamAction action : allTeamActions()) {
      const std::string name(toString(action));
      const bool allowed = expected == nullptr || expected->contains(name);
      EXPECT_EQ(decide(false, role, action), allowed ? Access::kAllowed : Access::kForbidden)
          << toString(role) << " " << name;
    }
  }
}

TEST(TeamPolicy, OutsidersSeeNothingAndSystemAdminsDoEverything) {
  for (TeamAction action : allTeamActions()) {
    EXPECT_EQ(decide(false, std::nullopt, action), Access::kHidden) << toString(action);
    EXPECT_EQ(decide(true, std::nullopt, action), Access::kAllowed) << toString(action);
    for (TeamRole role : kRoles) EXPECT_EQ(decide(true, role, action), Access::kAllowed);
  }
}

TEST(TeamPolicy, ForbiddenMessageNamesTheRoleAndTheAction) {
  EXPECT_EQ(forbiddenMessage(TeamRole::kViewer, TeamAction::kRegenerateApiKey),
            "viewer may not regenerate API keys");
  EXPECT_EQ(forbiddenMessage(TeamRole::kAdmin, TeamAction::kDeleteTeam), "admin may not delete the team");
  EXPECT_EQ(forbiddenMessage(TeamRole::kMember, TeamAction::kManageWebhooks), "member may not manage webhooks");
}

TEST(TeamPolicy, MembershipChanges) {
  using R = TeamRole;
  const std::array<std::optional<R>, 5> states{std::nullopt, R::kOwner, R::kAdmin, R::kMember, R::kViewer};
  for (auto from : states) {
    for (auto to : states) {
      // Owners may make every change.
      EXPECT_TRUE(mayChangeMembership(R::kOwner, from, to));
      // Members and viewers none.
      EXPECT_FALSE(mayChangeMembership(R::kMember, from, to));
      EXPECT_FALSE(mayChangeMembership(R::kViewer, from, to));
      // Admins any change that neither starts nor ends at owner.
      const bool ownerInvolved = from == R::kOwner || to == R::kOwner;
      EXPECT_EQ(mayChangeMembership(R::kAdmin, from, to), !ownerInvolved);
    }
  }
}

TEST(TeamRoleNames, RoundTrip) {
  for (TeamRole role : kRoles) EXPECT_EQ(parseTeamRole(toString(role)), role);
  EXPECT_EQ(parseTeamRole("Owner"), std::nullopt);
  EXPECT_EQ(parseTeamRole(""), std::nullopt);
}

}  // namespace
}  // namespace ls::control
