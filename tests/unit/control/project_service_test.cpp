// ProjectService on a real SQLite store: team and project administration,
// key regeneration, rate limits, delete through LivestreamService, and the
// audit entries each change leaves (an audit failure never fails a change).
#include <gtest/gtest.h>

#include <sqlite3.h>

#include "control/audit_log.hpp"
#include "support/control_fixture.hpp"
#include "support/log_capture.hpp"

namespace ls::testing {
namespace {

using control::DeletedProject;

class ProjectServiceTest : public ControlFixture {
 protected:
  std::vector<AuditEntry> audit(const std::string& teamId = "") {
    auto page = projects_->auditLog(AuditQuery{.teamId = teamId, .page = 1, .limit = 100});
    EXPECT_TRUE(page.ok()) << page.status().message();
    return page.ok() ? page->items : std::vector<AuditEntry>{};
  }

  // Runs SQL behind the store's back.
  void execRaw(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_.path() / "test.db").c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  const Actor user_{ActorType::kUser, "user-1", "ann@example.com"};
};

TEST_F(ProjectServiceTest, TeamLifecycleIsAuditedWithItsActor) {
  auto team = projects_->createTeam("Ops", user_);
  ASSERT_TRUE(team.ok()) << team.status().message();
  EXPECT_EQ(projects_->createTeam("Ops", user_).status().code(), Code::kConflict);
  EXPECT_EQ(projects_->createTeam("", user_).status().code(), Code::kInvalidArgument);
  auto renamed = projects_->renameTeam(team->id, "Operations", user_);
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(renamed->name, "Operations");
  EXPECT_EQ(projects_->renameTeam(team->id, "team", user_).status().code(), Code::kConflict);  // the fixture's
  EXPECT_EQ(projects_->renameTeam("00000000-0000-4000-8000-000000000000", "x", user_).status().code(),
            Code::kNotFound);
  EXPECT_EQ(projects_->deleteTeam(project_.teamId, user_).code(), Code::kConflict);  // it has projects
  ASSERT_TRUE(projects_->deleteTeam(team->id, user_).isOk());

  const std::vector<AuditEntry> entries = audit(team->id);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].action, control::audit::kTeamDeleted);
  EXPECT_EQ(entries[1].action, control::audit::kTeamRenamed);
  EXPECT_EQ(entries[1].detailsJson, R"({"from":"Ops","to":"Operations"})");
  EXPECT_EQ(entries[2].action, control::audit::kTeamCreated);
  for (const AuditEntry& e : entries) {
    EXPECT_EQ(e.actor.type, ActorType::kUser);
    EXPECT_EQ(e.actor.id, "user-1");
    EXPECT_EQ(e.actor.label, "ann@example.com");
    EXPECT_EQ(e.targetType, "team");
    EXPECT_EQ(e.targetId, team->id);
  }
}

TEST_F(ProjectServiceTest, RegeneratedKeyIsTheOnlyOneAtOnce) {
  auto created = projects_->createInTeam(project_.teamId, "keys", false, user_);
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_FALSE(created->project.abrEnabled);
  auto fresh = projects_->regenerateApiKey(created->project.id, user_);
  ASSERT_TRUE(fresh.ok());
  EXPECT_NE(*fresh, created->apiKey);
  EXPECT_EQ(projects_->authenticate(created->apiKey).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(projects_->authenticate(*fresh)->id, created->project.id);
  EXPECT_EQ(projects_->regenerateApiKey("00000000-0000-4000-8000-000000000000", user_).status().code(),
            Code::kNotFound);

  const std::vector<AuditEntry> entries = audit(project_.teamId);
  ASSERT_GE(entries.size(), 2u);
  EXPECT_EQ(entries[0].action, control::audit::kApiKeyRegenerated);
  EXPECT_EQ(entries[0].projectId, created->project.id);
  EXPECT_EQ(entries[0].detailsJson, "{}");  // never the key
  EXPECT_EQ(entries[1].action, control::audit::kProjectCreated);
}

TEST_F(ProjectServiceTest, RateLimitIsValidatedStoredAndAudited) {
  auto bad = projects_->setRateLimit(project_.id, ProjectRateLimit{0, 2'000'000'000}, user_);
  ASSERT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(bad.status().details().size(), 2u);
  auto set = projects_->setRateLimit(project_.id, ProjectRateLimit{5, 100}, user_);
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(*projects_->get(project_.id)->rateLimit, (ProjectRateLimit{5, 100}));
  ASSERT_TRUE(projects_->setRateLimit(project_.id, std::nullopt, user_).ok());
  EXPECT_FALSE(projects_->get(project_.id)->rateLimit.has_value());

  const std::vector<AuditEntry> entries = audit(project_.teamId);
  ASSERT_GE(entries.size(), 2u);
  EXPECT_EQ(entries[0].action, control::audit::kProjectRateLimitChanged);
  EXPECT_EQ(entries[0].detailsJson, R"({"from":{"perMinute":5,"perHour":100},"to":null})");
  EXPECT_EQ(entries[1].detailsJson, R"({"from":null,"to":{"perMinute":5,"perHour":100}})");
}

TEST_F(ProjectServiceTest, RenameAndAbrAreAudited) {
  auto renamed = projects_->rename(project_.id, "Renamed", cliActor_);
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(projects_->get(project_.id)->name, "Renamed");
  EXPECT_EQ(projects_->rename(project_.id, std::string(256, 'x'), cliActor_).status().code(),
            Code::kInvalidArgument);
  ASSERT_TRUE(projects_->setAbrEnabled(project_.id, false, cliActor_).ok());
  EXPECT_FALSE(projects_->get(project_.id)->abrEnabled);
  const std::vector<AuditEntry> entries = audit(project_.teamId);
  ASSERT_GE(entries.size(), 2u);
  EXPECT_EQ(entries[0].action, control::audit::kProjectAbrChanged);
  EXPECT_EQ(entries[0].detailsJson, R"({"from":true,"to":false})");
  EXPECT_EQ(entries[1].action, control::audit::kProjectRenamed);
  EXPECT_EQ(entries[1].actor.type, ActorType::kCli);
  EXPECT_EQ(entries[1].actor.label, "tester");
}

TEST_F(ProjectServiceTest, DeleteCutsAndRemovesItsLivestreamsThenTheProject) {
  struct Recorder : ingest::StreamCutter {
    std::vector<std::string> keys;
    void cutStream(std::string_view key, std::string_view) override { keys.push_back(std::string(key)); }
  } recorder;
  livestreams_->addStreamCutter(&recorder);
  const control::LivestreamRecord live = createStream("live");
  const control::LivestreamRecord idle = createStream("idle");
  ASSERT_TRUE(
      store_->startLivestream(live.livestream.id, live.livestream.currentTokenId, clock_.now(), {}).isOk());
  auto other = livestreams_->create(otherProject_, {"other", server_.id, std::nullopt});
  ASSERT_TRUE(other.ok());

  auto deleted = projects_->remove(project_.id, *livestreams_, user_);
  ASSERT_TRUE(deleted.ok()) << deleted.status().message();
  EXPECT_EQ(deleted->livestreamsDeleted, 2);
  EXPECT_EQ(deleted->publishersCut, 1);  // the embedded plane's cut
  EXPECT_TRUE(deleted->problems.empty());
  EXPECT_EQ(recorder.keys.size(), 2u);
  EXPECT_FALSE(store_->findLivestream(live.livestream.id)->has_value());
  EXPECT_FALSE(store_->findLivestream(idle.livestream.id)->has_value());
  EXPECT_TRUE(store_->findLivestream(other->livestream.id)->has_value());
  EXPECT_EQ(projects_->get(project_.id).status().code(), Code::kNotFound);
  EXPECT_EQ(projects_->remove(project_.id, *livestreams_, user_).status().code(), Code::kNotFound);

  const std::vector<AuditEntry> entries = audit(project_.teamId);
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries[0].action, control::audit::kProjectDeleted);
  EXPECT_EQ(entries[0].detailsJson, R"({"name":"project","livestreamsDeleted":2,"publishersCut":1})");
}

TEST_F(ProjectServiceTest, ConsoleLivestreamDeleteIsAuditedAndThePartnersIsNot) {
  const control::LivestreamRecord a = createStream("a");
  const control::LivestreamRecord b = createStream("b");
  ASSERT_TRUE(livestreams_->remove(project_, a.livestream.id).ok());           // partner API
  ASSERT_TRUE(livestreams_->remove(project_, b.livestream.id, user_).ok());    // console / CLI
  std::vector<AuditEntry> deletes;
  for (const AuditEntry& e : audit()) {
    if (e.action == control::audit::kLivestreamDeleted) deletes.push_back(e);
  }
  ASSERT_EQ(deletes.size(), 1u);
  EXPECT_EQ(deletes[0].targetId, b.livestream.id);
  EXPECT_EQ(deletes[0].projectId, project_.id);
  EXPECT_EQ(deletes[0].teamId, project_.teamId);
}

TEST_F(ProjectServiceTest, MediaServerChangesAreAuditedWithoutATeam) {
  control::MediaServerInput in;
  in.name = "edge";
  in.type = MediaServerType::kZlMediaKit;
  in.rtmpBaseUrl = "rtmp://edge.example.com:1935/live";
  in.hlsBaseUrl = "http://edge.example.com:8080";
  auto added = servers_->add(in, user_);
  ASSERT_TRUE(added.ok()) << added.status().message();
  in.name = "edge-2";
  ASSERT_TRUE(servers_->update(added->server.id, in, user_).ok());
  ASSERT_TRUE(servers_->remove(added->server.id, user_).isOk());
  EXPECT_EQ(servers_->remove(added->server.id, user_).code(), Code::kNotFound);
  const std::vector<AuditEntry> entries = audit();
  ASSERT_GE(entries.size(), 3u);
  EXPECT_EQ(entries[0].action, control::audit::kMediaServerRemoved);
  EXPECT_EQ(entries[1].action, control::audit::kMediaServerUpdated);
  EXPECT_EQ(entries[1].detailsJson, R"({"name":"edge-2","type":"ZLMEDIAKIT"})");
  EXPECT_EQ(entries[2].action, control::audit::kMediaServerCreated);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(entries[static_cast<std::size_t>(i)].teamId, "");
    EXPECT_EQ(entries[static_cast<std::size_t>(i)].targetId, added->server.id);
  }
}

TEST_F(ProjectServiceTest, AFailedAuditAppendIsLoggedAndTheChangeStands) {
  execRaw("DROP TABLE audit_log");
  LogCapture logs;
  auto renamed = projects_->rename(project_.id, "Still renamed", user_);
  ASSERT_TRUE(renamed.ok()) << renamed.status().message();
  EXPECT_EQ(projects_->get(project_.id)->name, "Still renamed");
  EXPECT_EQ(logs.count("audit log: could not record project.renamed"), 1u);
}

TEST(AuditDetails, JsonEscapesTextAndKeepsLiterals) {
  EXPECT_EQ(control::detailsJson({control::textDetail("name", "a\"b\\c\n\x01"), control::numberDetail("n", -3),
                                  control::boolDetail("on", true)}),
            R"({"name":"a\"b\\c\n\u0001","n":-3,"on":true})");
  EXPECT_EQ(control::detailsJson({}), "{}");
}

}  // namespace
}  // namespace ls::testing
