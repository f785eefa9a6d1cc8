// Opening a database file: creation, WAL, migrations, refusal of newer schemas.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store_test_support.hpp"

namespace ls::testing {
namespace {

TEST(SqliteOpen, CreatesFileInWalModeAtLatestVersion) {
  TempDir dir;
  const auto file = dir.path() / "new.db";
  auto store = openStore(file);
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(std::filesystem::exists(file));
  EXPECT_TRUE(store->ping().isOk());
  Result<std::int64_t> version = store->schemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, sqlite::latestSchemaVersion());

  RawDb raw(file);
  EXPECT_EQ(raw.queryInt("SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
  EXPECT_EQ(raw.queryInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                         "('teams', 'projects', 'media_servers', 'livestreams')"),
            4);
  EXPECT_EQ(raw.queryInt("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = "
                         "'livestreams_project_created'"),
            1);
}

TEST(SqliteOpen, ReopenKeepsDataAndAppliesMigrationsOnce) {
  TempDir dir;
  const auto file = dir.path() / "db.sqlite";
  {
    auto store = openStore(file);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->insertTeam(sampleTeam()).ok());
  }
  auto store = openStore(file);
  ASSERT_NE(store, nullptr);
  Result<std::optional<Team>> team = store->findTeam("team-1");
  ASSERT_TRUE(team.ok());
  ASSERT_TRUE(team->has_value());
  EXPECT_EQ((*team)->name, "Acme");
  Result<std::int64_t> version = store->schemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, sqlite::latestSchemaVersion());

  RawDb raw(file);
  EXPECT_EQ(raw.queryInt("SELECT count(*) FROM schema_migrations"), sqlite::latestSchemaVersion());
  EXPECT_EQ(raw.queryInt("SELECT length(applied_at) FROM schema_migrations WHERE version = 1"), 24);
}

// A file of schema 1 (as the first release wrote it) gains every later
// table and column on open, its data kept and read with the new defaults.
TEST(SqliteOpen, UpgradesAVersion1File) {
  TempDir dir;
  const auto file = dir.path() / "v1.db";
  {
    RawDb raw(file, true);
    ASSERT_EQ(raw.exec(sqlite::migrationScripts()[0]), SQLITE_OK);
    ASSERT_EQ(raw.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);"
                       "INSERT INTO schema_migrations VALUES (1, '2026-01-01T00:00:00.000Z');"
                       "INSERT INTO teams VALUES ('team-1', 'Acme', 1000);"
                       "INSERT INTO media_servers VALUES ('ms-1', 'zlm', 'ZLMEDIAKIT', 'rtmp://z/live', 'http://z', "
                       "'[]', 'hash', 2000);"),
              SQLITE_OK);
  }
  auto store = openStore(file);
  ASSERT_NE(store, nullptr);
  Result<std::int64_t> version = store->schemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, sqlite::latestSchemaVersion());
  EXPECT_TRUE(store->probeWrite().isOk());
  Result<std::optional<Team>> team = store->findTeam("team-1");
  ASSERT_TRUE(team.ok());
  EXPECT_TRUE(team->has_value());
  auto server = store->findMediaServer("ms-1");
  ASSERT_TRUE(server.ok());
  ASSERT_TRUE(server->has_value());
  EXPECT_EQ((*server)->hookSecretHash, "hash");
  EXPECT_TRUE((*server)->hookAllow.empty());
  EXPECT_TRUE((*server)->apiUrl.empty());
  EXPECT_FALSE((*server)->liveness.lastSeenAt.has_value());
  EXPECT_EQ((*server)->liveness.lastHookIndex, -1);
}

TEST(SqliteOpen, RefusesDatabaseFromNewerBinary) {
  TempDir dir;
  const auto file = dir.path() / "db.sqlite";
  ASSERT_NE(openStore(file), nullptr);
  {
    RawDb raw(file);
    ASSERT_EQ(raw.exec("INSERT INTO schema_migrations VALUES (99, '2030-01-01T00:00:00.000Z')"), SQLITE_OK);
  }
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::open(file, {});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Code::kUnavailable);
  EXPECT_NE(store.status().message().find("schema version 99 is newer"), std::string::npos) << store.status().message();

  Result<std::unique_ptr<SqliteStore>> readOnly = SqliteStore::open(file, readOnlyOptions());
  ASSERT_FALSE(readOnly.ok());
  EXPECT_EQ(readOnly.status().code(), Code::kUnavailable);

  RawDb raw(file);
  EXPECT_EQ(raw.queryInt("SELECT MAX(version) FROM schema_migrations"), 99);
}

TEST(SqliteOpen, MissingDirectoryIsUnavailable) {
  TempDir dir;
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::open(dir.path() / "no" / "such" / "db.sqlite", {});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Code::kUnavailable);
  EXPECT_NE(store.status().message().find("cannot be opened"), std::string::npos) << store.status().message();
}

TEST(SqliteOpen, ReadOnlyOpenOfMissingFileIsUnavailableAndCreatesNothing) {
  TempDir dir;
  const auto file = dir.path() / "absent.db";
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::open(file, readOnlyOptions());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Code::kUnavailable);
  EXPECT_FALSE(std::filesystem::exists(file));
}

TEST(SqliteOpen, ReadOnlyOpenRefusesUnmigratedFile) {
  TempDir dir;
  const auto file = dir.path() / "empty.db";
  // An empty but existing SQLite file: version 0, which a read-only open cannot migrate.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE unrelated (x)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::open(file, readOnlyOptions());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Code::kUnavailable);
  EXPECT_NE(store.status().message().find("older"), std::string::npos) << store.status().message();
}

TEST(SqliteOpen, NotADatabaseIsRefused) {
  TempDir dir;
  const auto file = dir.path() / "garbage.db";
  {
    std::FILE* f = std::fopen(file.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    const std::string junk(4096, 'x');
    ASSERT_EQ(std::fwrite(junk.data(), 1, junk.size(), f), junk.size());
    std::fclose(f);
  }
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::open(file, {});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Code::kInternal);
  EXPECT_NE(store.status().message().find("not a database"), std::string::npos) << store.status().message();
}

}  // namespace
}  // namespace ls::testing
