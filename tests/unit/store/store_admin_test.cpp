// Team and project administration (list, rename, delete, rate limits) and
// the audit log, in every Store engine (SQLite and PostgreSQL).
#include <gtest/gtest.h>

#include "store_engines.hpp"

namespace ls::testing {
namespace {

using AdminTest = StoreContractTest;

AuditEntry entry(std::string id, UnixMillis at, std::string teamId, std::string action = "project.renamed") {
  AuditEntry e;
  e.id = std::move(id);
  e.at = at;
  e.actor = Actor{ActorType::kCli, "alice", "alice"};
  e.action = std::move(action);
  e.teamId = std::move(teamId);
  e.projectId = "project-1";
  e.targetType = "project";
  e.targetId = "project-1";
  e.detailsJson = R"({"to":"ünï \"q\""})";
  return e;
}

TEST_P(AdminTest, TeamsListRenameAndDelete) {
  Team second = sampleTeam("team-2", "Beta");
  second.createdAt = 500;  // older than team-1: listed first
  ASSERT_TRUE(store_->insertTeam(second).ok());
  auto teams = store_->listTeams();
  ASSERT_TRUE(teams.ok());
  ASSERT_EQ(teams->size(), 2u);
  EXPECT_EQ((*teams)[0].id, "team-2");

  EXPECT_TRUE(store_->renameTeam("team-2", "Gamma").isOk());
  EXPECT_EQ((*store_->findTeam("team-2"))->name, "Gamma");
  EXPECT_EQ(store_->renameTeam("team-2", "Acme").code(), Code::kConflict);  // team-1's name
  EXPECT_EQ(store_->renameTeam("team-404", "X").code(), Code::kNotFound);

  // team-1 has project-1.
  const Status busy = store_->deleteTeam("team-1");
  EXPECT_EQ(busy.code(), Code::kConflict);
  EXPECT_NE(busy.message().find("projects"), std::string::npos);
  EXPECT_TRUE(store_->deleteTeam("team-2").isOk());
  EXPECT_EQ(store_->deleteTeam("team-2").code(), Code::kNotFound);
  EXPECT_EQ(queryInt("SELECT count(*) FROM teams"), 1);
}

TEST_P(AdminTest, ProjectsOfTeamRenameAndRateLimit) {
  ASSERT_TRUE(store_->insertTeam(sampleTeam("team-2", "Beta")).ok());
  ASSERT_TRUE(store_->insertProject(sampleProject("project-2", "team-2", "hash-2")).ok());
  auto ofTeam = store_->listProjectsOfTeam("team-2");
  ASSERT_TRUE(ofTeam.ok());
  ASSERT_EQ(ofTeam->size(), 1u);
  EXPECT_EQ((*ofTeam)[0].id, "project-2");
  EXPECT_FALSE((*ofTeam)[0].rateLimit.has_value());
  EXPECT_TRUE(store_->listProjectsOfTeam("team-404")->empty());

  EXPECT_TRUE(store_->renameProject("project-2", "Renamed").isOk());
  EXPECT_EQ((*store_->findProject("project-2"))->name, "Renamed");
  EXPECT_EQ(store_->renameProject("project-404", "X").code(), Code::kNotFound);

  ASSERT_TRUE(store_->setProjectRateLimit("project-2", ProjectRateLimit{5, 100}).isOk());
  auto byKey = store_->findProjectByApiKeyHash("hash-2");  // what the partner limiter reads
  ASSERT_TRUE(byKey.ok() && byKey->has_value());
  ASSERT_TRUE((*byKey)->rateLimit.has_value());
  EXPECT_EQ(*(*byKey)->rateLimit, (ProjectRateLimit{5, 100}));
  ASSERT_TRUE(store_->setProjectRateLimit("project-2", std::nullopt).isOk());
  EXPECT_FALSE((*store_->findProject("project-2"))->rateLimit.has_value());
  EXPECT_EQ(store_->setProjectRateLimit("project-404", std::nullopt).code(), Code::kNotFound);
}

TEST_P(AdminTest, ProjectDeleteTakesItsLivestreamsAndAssignments) {
  ASSERT_TRUE(store_->insertProject(sampleProject("project-2")).ok());
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-2", 5000, "project-2")).ok());
  MediaServer edge = sampleMediaServer("edge-1");
  edge.projectIds = {"project-1", "project-2"};
  ASSERT_TRUE(store_->insertMediaServer(edge).ok());

  ASSERT_TRUE(store_->deleteProject("project-1").isOk());
  EXPECT_FALSE(store_->findProject("project-1")->has_value());
  EXPECT_FALSE(store_->findLivestream("ls-1")->has_value());
  EXPECT_TRUE(store_->findLivestream("ls-2")->has_value());
  auto server = store_->findMediaServer("edge-1");
  ASSERT_TRUE(server.ok() && server->has_value());
  EXPECT_EQ((*server)->projectIds, std::vector<std::string>{"project-2"});
  EXPECT_EQ(store_->deleteProject("project-1").code(), Code::kNotFound);
  // Now the team may go once its other project does.
  ASSERT_TRUE(store_->deleteProject("project-2").isOk());
  EXPECT_TRUE(store_->deleteTeam("team-1").isOk());
}

TEST_P(AdminTest, AuditLogNewestFirstWithTeamFilterAndPages) {
  ASSERT_TRUE(store_->insertAuditEntry(entry("a-1", 1000, "team-1")).isOk());
  ASSERT_TRUE(store_->insertAuditEntry(entry("a-2", 3000, "team-2")).isOk());
  // Same time as a-2, inserted later: listed before it.
  ASSERT_TRUE(store_->insertAuditEntry(entry("a-3", 3000, "team-1")).isOk());
  ASSERT_TRUE(store_->insertAuditEntry(entry("a-4", 2000, "", "media_server.created")).isOk());
  EXPECT_EQ(store_->insertAuditEntry(entry("a-1", 5000, "team-1")).code(), Code::kConflict);

  auto all = store_->listAuditEntries(AuditQuery{});
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_EQ(all->total, 4);
  ASSERT_EQ(all->items.size(), 4u);
  EXPECT_EQ(all->items[0].id, "a-3");
  EXPECT_EQ(all->items[1].id, "a-2");
  EXPECT_EQ(all->items[2].id, "a-4");
  EXPECT_EQ(all->items[3].id, "a-1");
  const AuditEntry& e = all->items[3];
  EXPECT_EQ(e.at, 1000);
  EXPECT_EQ(e.actor.type, ActorType::kCli);
  EXPECT_EQ(e.actor.id, "alice");
  EXPECT_EQ(e.actor.label, "alice");
  EXPECT_EQ(e.action, "project.renamed");
  EXPECT_EQ(e.projectId, "project-1");
  EXPECT_EQ(e.targetType, "project");
  EXPECT_EQ(e.targetId, "project-1");
  EXPECT_EQ(e.detailsJson, R"({"to":"ünï \"q\""})");

  auto team1 = store_->listAuditEntries(AuditQuery{.teamId = "team-1", .page = 2, .limit = 1});
  ASSERT_TRUE(team1.ok());
  EXPECT_EQ(team1->total, 2);
  ASSERT_EQ(team1->items.size(), 1u);
  EXPECT_EQ(team1->items[0].id, "a-1");
  auto past = store_->listAuditEntries(AuditQuery{.teamId = "", .page = 99, .limit = 10});
  ASSERT_TRUE(past.ok());
  EXPECT_TRUE(past->items.empty());
  EXPECT_EQ(past->total, 4);
  EXPECT_EQ(store_->listAuditEntries(AuditQuery{.teamId = "", .page = 0, .limit = 10}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(store_->listAuditEntries(AuditQuery{.teamId = "", .page = 1, .limit = 0}).status().code(),
            Code::kInvalidArgument);
}

}  // namespace
LS_STORE_SUITE(AdminTest);
}  // namespace ls::testing
