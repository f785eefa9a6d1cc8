// Teams, projects and media servers in every Store engine (SQLite and PostgreSQL).
#include <gtest/gtest.h>

#include "store_engines.hpp"

namespace ls::testing {
namespace {

using EntitiesTest = StoreContractTest;

TEST_P(EntitiesTest, TeamRoundTripAndLookups) {
  Result<std::optional<Team>> byId = store_->findTeam("team-1");
  ASSERT_TRUE(byId.ok());
  ASSERT_TRUE(byId->has_value());
  EXPECT_EQ((*byId)->name, "Acme");
  EXPECT_EQ((*byId)->createdAt, 1000);

  Result<std::optional<Team>> byName = store_->findTeamByName("Acme");
  ASSERT_TRUE(byName.ok());
  ASSERT_TRUE(byName->has_value());
  EXPECT_EQ((*byName)->id, "team-1");

  Result<std::optional<Team>> none = store_->findTeam("team-404");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  Result<std::optional<Team>> noName = store_->findTeamByName("acme");  // names compare exactly
  ASSERT_TRUE(noName.ok());
  EXPECT_FALSE(noName->has_value());
}

TEST_P(EntitiesTest, DuplicateTeamNameOrIdIsConflict) {
  Result<Team> sameName = store_->insertTeam(sampleTeam("team-2", "Acme"));
  ASSERT_FALSE(sameName.ok());
  EXPECT_EQ(sameName.status().code(), Code::kConflict);
  Result<Team> sameId = store_->insertTeam(sampleTeam("team-1", "Other"));
  ASSERT_FALSE(sameId.ok());
  EXPECT_EQ(sameId.status().code(), Code::kConflict);
  EXPECT_EQ(queryInt("SELECT count(*) FROM teams"), 1);
}

TEST_P(EntitiesTest, ProjectRoundTripAndApiKeyLookup) {
  Project p = sampleProject("project-2", "team-1", "hash-2");
  p.abrEnabled = false;
  p.name = "Second \"quoted\" ünïcode";
  Result<Project> inserted = store_->insertProject(p);
  ASSERT_TRUE(inserted.ok()) << inserted.status().message();
  EXPECT_EQ(inserted->id, "project-2");

  Result<std::optional<Project>> found = store_->findProject("project-2");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->teamId, "team-1");
  EXPECT_EQ((*found)->name, "Second \"quoted\" ünïcode");
  EXPECT_EQ((*found)->apiKeyHash, "hash-2");
  EXPECT_FALSE((*found)->abrEnabled);
  EXPECT_EQ((*found)->createdAt, 2000);

  Result<std::optional<Project>> byKey = store_->findProjectByApiKeyHash("hash-2");
  ASSERT_TRUE(byKey.ok());
  ASSERT_TRUE(byKey->has_value());
  EXPECT_EQ((*byKey)->id, "project-2");
  Result<std::optional<Project>> wrongKey = store_->findProjectByApiKeyHash("hash-3");
  ASSERT_TRUE(wrongKey.ok());
  EXPECT_FALSE(wrongKey->has_value());
}

TEST_P(EntitiesTest, ListProjectsOldestFirst) {
  Project later = sampleProject("project-0", "team-1", "hash-0");
  later.createdAt = 9000;
  ASSERT_TRUE(store_->insertProject(later).ok());
  Result<std::vector<Project>> all = store_->listProjects();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, "project-1");
  EXPECT_EQ((*all)[1].id, "project-0");
}

TEST_P(EntitiesTest, ProjectOfMissingTeamIsNotFoundAndInsertsNothing) {
  Result<Project> r = store_->insertProject(sampleProject("project-9", "team-404"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(queryInt("SELECT count(*) FROM projects"), 1);
}

TEST_P(EntitiesTest, DuplicateApiKeyHashIsConflictButEmptyHashesCoexist) {
  Result<Project> dup = store_->insertProject(sampleProject("project-2", "team-1", "hash-of-project-1"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), Code::kConflict);

  Project a = sampleProject("project-a");
  Project b = sampleProject("project-b");
  a.apiKeyHash.clear();
  b.apiKeyHash.clear();
  ASSERT_TRUE(store_->insertProject(a).ok());
  ASSERT_TRUE(store_->insertProject(b).ok());
  Result<std::optional<Project>> byEmpty = store_->findProjectByApiKeyHash("");
  ASSERT_TRUE(byEmpty.ok());
  EXPECT_FALSE(byEmpty->has_value());  // "no key" never authenticates
  Result<std::optional<Project>> readBack = store_->findProject("project-a");
  ASSERT_TRUE(readBack.ok());
  ASSERT_TRUE(readBack->has_value());
  EXPECT_EQ((*readBack)->apiKeyHash, "");
}

TEST_P(EntitiesTest, SetProjectApiKeyHashRetiresTheOldKey) {
  ASSERT_TRUE(store_->setProjectApiKeyHash("project-1", "new-hash").isOk());
  Result<std::optional<Project>> old = store_->findProjectByApiKeyHash("hash-of-project-1");
  ASSERT_TRUE(old.ok());
  EXPECT_FALSE(old->has_value());
  Result<std::optional<Project>> current = store_->findProjectByApiKeyHash("new-hash");
  ASSERT_TRUE(current.ok());
  ASSERT_TRUE(current->has_value());
  EXPECT_EQ((*current)->id, "project-1");

  EXPECT_EQ(store_->setProjectApiKeyHash("project-404", "x").code(), Code::kNotFound);
  ASSERT_TRUE(store_->insertProject(sampleProject("project-2", "team-1", "other-hash")).ok());
  EXPECT_EQ(store_->setProjectApiKeyHash("project-2", "new-hash").code(), Code::kConflict);
}

TEST_P(EntitiesTest, SetProjectAbrEnabledIsStored) {
  ASSERT_TRUE(store_->insertProject(sampleProject("project-2", "team-1", "other-hash")).ok());
  ASSERT_TRUE(store_->findProject("project-1").value()->abrEnabled);
  ASSERT_TRUE(store_->setProjectAbrEnabled("project-1", false).isOk());
  EXPECT_FALSE(store_->findProject("project-1").value()->abrEnabled);
  EXPECT_TRUE(store_->findProject("project-2").value()->abrEnabled) << "other projects are untouched";
  ASSERT_TRUE(store_->setProjectAbrEnabled("project-1", true).isOk());
  EXPECT_TRUE(store_->findProject("project-1").value()->abrEnabled);
  EXPECT_EQ(store_->setProjectAbrEnabled("project-404", false).code(), Code::kNotFound);
}

TEST_P(EntitiesTest, MediaServerRoundTripKeepsCdnOrderAndText) {
  MediaServer s = sampleMediaServer("ms-2");
  s.type = MediaServerType::kZlMediaKit;
  s.name = "zlm \"edge\"";
  s.cdns = {{"zeta", "https://z.example.com/a\\b"}, {"alpha \"q\"", "https://a.example.com/ü"}, {"mid", ""}};
  s.hookSecretHash = "secret-hash";
  s.createdAt = 4000;
  ASSERT_TRUE(store_->insertMediaServer(s).ok());

  Result<std::optional<MediaServer>> found = store_->findMediaServer("ms-2");
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_TRUE(found->has_value());
  const MediaServer& f = **found;
  EXPECT_EQ(f.name, "zlm \"edge\"");
  EXPECT_EQ(f.type, MediaServerType::kZlMediaKit);
  EXPECT_EQ(f.rtmpBaseUrl, "rtmp://localhost:1935/live");
  EXPECT_EQ(f.hlsBaseUrl, "http://localhost:8080");
  ASSERT_EQ(f.cdns.size(), 3u);
  EXPECT_EQ(f.cdns[0].name, "zeta");
  EXPECT_EQ(f.cdns[0].baseUrl, "https://z.example.com/a\\b");
  EXPECT_EQ(f.cdns[1].name, "alpha \"q\"");
  EXPECT_EQ(f.cdns[1].baseUrl, "https://a.example.com/ü");
  EXPECT_EQ(f.cdns[2].name, "mid");
  EXPECT_EQ(f.hookSecretHash, "secret-hash");
  EXPECT_EQ(f.createdAt, 4000);

  Result<std::optional<MediaServer>> none = store_->findMediaServer("ms-404");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(EntitiesTest, ListMediaServersOldestFirst) {
  MediaServer older = sampleMediaServer("ms-0");
  older.createdAt = 10;
  older.cdns.clear();
  ASSERT_TRUE(store_->insertMediaServer(older).ok());
  Result<std::vector<MediaServer>> all = store_->listMediaServers();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, "ms-0");
  EXPECT_TRUE((*all)[0].cdns.empty());
  EXPECT_EQ((*all)[1].id, "ms-1");
  EXPECT_EQ((*all)[1].cdns.size(), 2u);
}

TEST_P(EntitiesTest, UpdateMediaServer) {
  MediaServer s = sampleMediaServer();
  s.name = "renamed";
  s.type = MediaServerType::kMediaMtx;
  s.hlsBaseUrl = "https://origin.example.com";
  s.cdns = {{"only", "https://o.example.com"}};
  s.hookSecretHash = "h";
  s.createdAt = 777;  // not updatable
  ASSERT_TRUE(store_->updateMediaServer(s).isOk());
  Result<std::optional<MediaServer>> found = store_->findMediaServer("ms-1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->name, "renamed");
  EXPECT_EQ((*found)->type, MediaServerType::kMediaMtx);
  EXPECT_EQ((*found)->hlsBaseUrl, "https://origin.example.com");
  ASSERT_EQ((*found)->cdns.size(), 1u);
  EXPECT_EQ((*found)->cdns[0].name, "only");
  EXPECT_EQ((*found)->hookSecretHash, "h");
  EXPECT_EQ((*found)->createdAt, 3000);

  EXPECT_EQ(store_->updateMediaServer(sampleMediaServer("ms-404")).code(), Code::kNotFound);
}

TEST_P(EntitiesTest, DeleteMediaServerWhileUsedIsConflict) {
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  const Status used = store_->deleteMediaServer("ms-1");
  EXPECT_EQ(used.code(), Code::kConflict);
  EXPECT_NE(used.message().find("still used"), std::string::npos);
  Result<std::optional<MediaServer>> still = store_->findMediaServer("ms-1");
  ASSERT_TRUE(still.ok());
  EXPECT_TRUE(still->has_value());

  ASSERT_TRUE(store_->deleteLivestream("ls-1").isOk());
  EXPECT_TRUE(store_->deleteMediaServer("ms-1").isOk());
  Result<std::optional<MediaServer>> gone = store_->findMediaServer("ms-1");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  EXPECT_EQ(store_->deleteMediaServer("ms-1").code(), Code::kNotFound);
}

TEST_P(EntitiesTest, UnreadableCdnJsonIsInternalNotACrash) {
  {
    ASSERT_TRUE(exec("UPDATE media_servers SET cdns_json = '[{\"name\": 1}' WHERE id = 'ms-1'"));
  }
  Result<std::optional<MediaServer>> found = store_->findMediaServer("ms-1");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), Code::kInternal);
  EXPECT_NE(found.status().message().find("cdns_json"), std::string::npos);
}

LS_STORE_SUITE(EntitiesTest);

}  // namespace
}  // namespace ls::testing
