// SQLite specifics of concurrency: several processes on one file, and the
// failure modes callers must see as kUnavailable: a locked and a read-only
// database. Races every engine must settle the same way are in
// store_concurrency_test.cpp.
#include <gtest/gtest.h>

#include <cstdio>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "store/sqlite/migrations.hpp"
#include "store_test_support.hpp"

namespace ls::testing {
namespace {

std::int64_t countLivestreams(SqliteStore& store) {
  Result<Page<Livestream>> page = store.listLivestreams(Query().limit(1));
  EXPECT_TRUE(page.ok()) << page.status().message();
  return page.ok() ? page->total : -1;
}

using SqliteConcurrencyTest = StoreTest;

// Two real processes open a fresh file at once (both migrate) and insert.
// Forked before any connection exists here: SQLite state must not cross fork().
TEST(SqliteProcesses, TwoProcessesMigrateAndWriteOneFile) {
  TempDir dir;
  const auto file = dir.path() / "shared.db";
  constexpr int kPerProcess = 200;
  // Says which step failed (the child can only answer with its exit code).
  auto failed = [](const std::string& prefix, const char* step, const Status& status) {
    std::fprintf(stderr, "%s%s: %s\n", prefix.c_str(), step, status.message().c_str());
    return false;
  };
  auto insertAll = [&](const std::string& prefix) -> bool {
    Result<std::unique_ptr<SqliteStore>> opened = SqliteStore::open(file, {});
    if (!opened.ok()) return failed(prefix, "open", opened.status());
    SqliteStore& store = **opened;
    // Both processes create the same parents; the loser of each race sees kConflict.
    auto team = store.insertTeam(sampleTeam());
    if (!team.ok() && team.status().code() != Code::kConflict) return failed(prefix, "team", team.status());
    auto project = store.insertProject(sampleProject());
    if (!project.ok() && project.status().code() != Code::kConflict) return failed(prefix, "project", project.status());
    auto server = store.insertMediaServer(sampleMediaServer());
    if (!server.ok() && server.status().code() != Code::kConflict) return failed(prefix, "server", server.status());
    for (int i = 0; i < kPerProcess; ++i) {
      auto inserted = store.insertLivestream(sampleLivestream(prefix + std::to_string(i), i));
      if (!inserted.ok()) return failed(prefix, "livestream", inserted.status());
    }
    return true;
  };

  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(insertAll("child-") ? 0 : 1);
  const bool parentOk = insertAll("parent-");
  int wstatus = 0;
  ASSERT_EQ(waitpid(child, &wstatus, 0), child);
  EXPECT_TRUE(parentOk);
  ASSERT_TRUE(WIFEXITED(wstatus));
  EXPECT_EQ(WEXITSTATUS(wstatus), 0);

  auto store = openStore(file);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(countLivestreams(*store), 2 * kPerProcess);
  RawDb raw(file);
  EXPECT_EQ(raw.queryInt("SELECT count(*) FROM schema_migrations"), sqlite::latestSchemaVersion());
}

TEST_F(SqliteConcurrencyTest, LockedDatabaseIsUnavailableAfterBusyTimeout) {
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  auto impatient = openStore(dbFile(), busyTimeoutOptions(std::chrono::milliseconds(50)));
  ASSERT_NE(impatient, nullptr);
  RawDb holder(dbFile());
  ASSERT_EQ(holder.exec("BEGIN EXCLUSIVE; INSERT INTO teams VALUES ('team-held', 'Held', 1);"), SQLITE_OK);

  const auto started = std::chrono::steady_clock::now();
  Result<Team> team = impatient->insertTeam(sampleTeam("team-2", "Other"));
  ASSERT_FALSE(team.ok());
  EXPECT_EQ(team.status().code(), Code::kUnavailable);
  EXPECT_EQ(team.status().message(), "database is locked (insert team)");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));

  EXPECT_EQ(impatient->startLivestream("ls-1", "jti-ls-1", 1, {}).code(), Code::kUnavailable);
  EXPECT_EQ(impatient->renameLivestream("ls-1", "x").code(), Code::kUnavailable);
  EXPECT_EQ(impatient->deleteLivestream("ls-1").code(), Code::kUnavailable);
  Result<std::int64_t> endAll = impatient->endAllStartedLivestreams("ms-1", 1);
  ASSERT_FALSE(endAll.ok());
  EXPECT_EQ(endAll.status().code(), Code::kUnavailable);

  // WAL: readers are not blocked by the writer, and see none of its work.
  EXPECT_TRUE(impatient->ping().isOk());
  Result<std::optional<Livestream>> read = impatient->findLivestream("ls-1");
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ((*read)->phase, LivestreamStatus::kReadyForUse);
  EXPECT_EQ((*read)->name, "stream ls-1");

  ASSERT_EQ(holder.exec("ROLLBACK"), SQLITE_OK);
  EXPECT_TRUE(impatient->insertTeam(sampleTeam("team-2", "Other")).ok());
  RawDb raw(dbFile());
  EXPECT_EQ(raw.queryInt("SELECT count(*) FROM teams"), 2);
}

TEST_F(SqliteConcurrencyTest, ReadOnlyDatabaseRefusesEveryMutationAndChangesNothing) {
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  store_.reset();
  // Root ignores file modes, so read-only is simulated with SQLITE_OPEN_READONLY.
  auto ro = openStore(dbFile(), readOnlyOptions());
  ASSERT_NE(ro, nullptr);

  auto expectReadOnly = [](const Status& s, const char* what) {
    EXPECT_EQ(s.code(), Code::kUnavailable) << what << ": " << s.message();
    EXPECT_NE(s.message().find("database is read-only"), std::string::npos) << what << ": " << s.message();
  };
  expectReadOnly(ro->insertTeam(sampleTeam("team-2", "Other")).status(), "insertTeam");
  expectReadOnly(ro->insertProject(sampleProject("project-2")).status(), "insertProject");
  expectReadOnly(ro->setProjectApiKeyHash("project-1", "h"), "setProjectApiKeyHash");
  expectReadOnly(ro->insertMediaServer(sampleMediaServer("ms-2")).status(), "insertMediaServer");
  expectReadOnly(ro->updateMediaServer(sampleMediaServer()), "updateMediaServer");
  expectReadOnly(ro->insertLivestream(sampleLivestream("ls-2")).status(), "insertLivestream");
  expectReadOnly(ro->renameLivestream("ls-1", "x"), "renameLivestream");
  expectReadOnly(ro->replaceLivestreamToken("ls-1", "t", 5), "replaceLivestreamToken");
  expectReadOnly(ro->startLivestream("ls-1", "jti-ls-1", 5, {}), "startLivestream");
  expectReadOnly(ro->deleteLivestream("ls-1"), "deleteLivestream");

  // Reads work.
  EXPECT_TRUE(ro->ping().isOk());
  Result<std::optional<Livestream>> read = ro->findLivestream("ls-1");
  ASSERT_TRUE(read.ok()) << read.status().message();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ((*read)->name, "stream ls-1");
  EXPECT_EQ((*read)->currentTokenId, "jti-ls-1");
  EXPECT_EQ(countLivestreams(*ro), 1);
  ro.reset();

  RawDb raw(dbFile());
  EXPECT_EQ(raw.queryInt("SELECT count(*) FROM teams"), 1);
  EXPECT_EQ(raw.queryInt("SELECT count(*) FROM projects"), 1);
  EXPECT_EQ(raw.queryInt("SELECT count(*) FROM media_servers"), 1);
  EXPECT_EQ(raw.queryInt("SELECT count(*) FROM livestreams WHERE name = 'stream ls-1' AND phase = 'READY_FOR_USE'"), 1);
}

TEST_F(SqliteConcurrencyTest, ReadOnlyStoreSeesWritesOfAWriterBesideIt) {
  auto ro = openStore(dbFile(), readOnlyOptions());
  ASSERT_NE(ro, nullptr);
  EXPECT_EQ(countLivestreams(*ro), 0);
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  EXPECT_EQ(countLivestreams(*ro), 1);
}

}  // namespace
}  // namespace ls::testing
