// PostgreSQL specifics of PostgresStore: migrations under concurrent opens, a
// newer schema refused, credentials kept out of errors, a lost connection
// replaced, the statement timeout. The contract itself is tested on both
// engines by the store_*_test.cpp suites.
#include "store/postgres/postgres_store.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <string>
#include <thread>
#include <vector>

#include "store/postgres/errors.hpp"
#include "store/postgres/migrations.hpp"
#include "store_test_support.hpp"
#include "support/postgres_server.hpp"

namespace ls::testing {
namespace {

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    url_ = PostgresServer::instance().createDatabase(error);
    ASSERT_FALSE(url_.empty()) << "no PostgreSQL server for the tests: " << error;
    database_ = url_.substr(url_.rfind('/') + 1);
  }

  std::unique_ptr<PostgresStore> open(PostgresOptions options = {}) {
    Result<std::unique_ptr<PostgresStore>> store = PostgresStore::open(url_, options);
    if (!store.ok()) {
      ADD_FAILURE() << store.status().message();
      return nullptr;
    }
    return std::move(store).value();
  }

  std::int64_t queryInt(const std::string& sql) {
    std::string error;
    const std::int64_t v = PostgresServer::instance().queryInt(database_, sql, error);
    EXPECT_TRUE(error.empty()) << sql << ": " << error;
    return v;
  }

  bool exec(const std::string& sql) {
    std::string error;
    const bool ok = PostgresServer::instance().exec(database_, sql, error);
    EXPECT_TRUE(ok) << sql << ": " << error;
    return ok;
  }

  std::string url_;
  std::string database_;
};

TEST_F(PostgresStoreTest, ProcessesOpeningAFreshDatabaseAtOnceMigrateItOnce) {
  constexpr int kOpeners = 4;
  std::vector<std::thread> threads;
  std::vector<Status> outcomes(kOpeners);
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&, i] { outcomes[static_cast<std::size_t>(i)] = PostgresStore::open(url_).status(); });
  }
  for (std::thread& t : threads) t.join();
  for (const Status& s : outcomes) EXPECT_TRUE(s.isOk()) << s.message();
  EXPECT_EQ(queryInt("SELECT count(*) FROM schema_migrations"), postgres::latestSchemaVersion());
  auto store = open();
  ASSERT_NE(store, nullptr);
  Result<std::int64_t> version = store->schemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, postgres::latestSchemaVersion());
}

TEST_F(PostgresStoreTest, RefusesADatabaseFromANewerBinary) {
  ASSERT_NE(open(), nullptr);
  ASSERT_TRUE(exec("INSERT INTO schema_migrations (version, applied_at) VALUES (99, now())"));
  Result<std::unique_ptr<PostgresStore>> store = PostgresStore::open(url_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Code::kUnavailable);
  EXPECT_NE(store.status().message().find("newer"), std::string::npos) << store.status().message();
}

TEST_F(PostgresStoreTest, ErrorsNameTheDatabaseWithoutItsPassword) {
  const std::string url = PostgresServer::instance().urlFor("no_such_db");
  const std::string withPassword = "postgres://lunarstream:s3cr3t-pw@" + url.substr(url.find('@') + 1);
  Result<std::unique_ptr<PostgresStore>> store = PostgresStore::open(withPassword);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Code::kUnavailable);
  EXPECT_EQ(store.status().message().find("s3cr3t-pw"), std::string::npos) << store.status().message();
  EXPECT_NE(store.status().message().find("127.0.0.1"), std::string::npos) << store.status().message();

  EXPECT_EQ(postgres::redactedTarget("postgres://u:pw@db.example:5432/ls?sslmode=require&password=x"),
            "postgres://db.example:5432/ls");
  EXPECT_EQ(postgres::redactedTarget("postgresql://u@[::1]/ls"), "postgresql://[::1]/ls");
  EXPECT_EQ(postgres::redactedTarget("host=db port=5432 dbname=ls user=u password=pw"), "host=db port=5432 dbname=ls");
}

TEST_F(PostgresStoreTest, NothingListensIsUnavailable) {
  PostgresOptions options;
  options.connectTimeout = std::chrono::milliseconds(2000);
  // Port 1 on loopback: refused at once.
  Result<std::unique_ptr<PostgresStore>> store = PostgresStore::open("postgres://u:pw@127.0.0.1:1/ls", options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Code::kUnavailable);
  EXPECT_EQ(store.status().message().find(":pw"), std::string::npos) << store.status().message();
}

TEST_F(PostgresStoreTest, ALostConnectionFailsOneCallAndTheNextCallReconnects) {
  PostgresOptions options;
  options.maxConnections = 1;
  auto store = open(options);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insertTeam(sampleTeam()).ok());
  // An administrator (or a server restart) ends the store's connection.
  ASSERT_GE(queryInt("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" + database_ +
                     "' AND application_name = 'lunarstream'"),
            1);
  Result<std::optional<Team>> failed = store->findTeam("team-1");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), Code::kUnavailable);
  Result<std::optional<Team>> again = store->findTeam("team-1");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_TRUE(again->has_value());
  EXPECT_TRUE(store->probeWrite().isOk());
}

TEST_F(PostgresStoreTest, AServerRestartFailsOneCallAndTheStoreRecoversByItself) {
  PostgresOptions options;
  options.maxConnections = 1;
  auto store = open(options);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insertTeam(sampleTeam()).ok());
  std::string error;
  ASSERT_TRUE(PostgresServer::instance().restart(error)) << error;
  // The pooled connection died with the old server: that call cannot know
  // whether it ran, so it answers kUnavailable; the next call reconnects.
  const Status lost = store->ping();
  EXPECT_EQ(lost.code(), Code::kUnavailable) << lost.message();
  EXPECT_TRUE(store->ping().isOk());
  Result<std::optional<Team>> found = store->findTeam("team-1");
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_TRUE(found->has_value());
}

TEST_F(PostgresStoreTest, AStatementPastTheTimeoutIsUnavailableAndRollsBack) {
  PostgresOptions options;
  options.statementTimeout = std::chrono::milliseconds(200);
  auto store = open(options);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insertTeam(sampleTeam()).ok());
  ASSERT_TRUE(store->insertProject(sampleProject()).ok());
  ASSERT_TRUE(store->insertMediaServer(sampleMediaServer()).ok());
  ASSERT_TRUE(store->insertLivestream(sampleLivestream("ls-1")).ok());

  // Another session holds the livestream's row lock for longer than the timeout.
  PGconn* holder = PQconnectdb(url_.c_str());
  ASSERT_EQ(PQstatus(holder), CONNECTION_OK) << PQerrorMessage(holder);
  PQclear(PQexec(holder, "BEGIN"));
  PGresult* locked = PQexec(holder, "SELECT 1 FROM livestreams WHERE id = 'ls-1' FOR UPDATE");
  EXPECT_EQ(PQresultStatus(locked), PGRES_TUPLES_OK);
  PQclear(locked);
  const Status s = store->startLivestream("ls-1", "jti-ls-1", 100, {});
  PQclear(PQexec(holder, "ROLLBACK"));
  PQfinish(holder);

  EXPECT_EQ(s.code(), Code::kUnavailable) << s.message();
  EXPECT_NE(s.message().find("timed out"), std::string::npos) << s.message();
  EXPECT_TRUE(store->startLivestream("ls-1", "jti-ls-1", 100, {}).isOk());
}

TEST_F(PostgresStoreTest, TextIsStoredByteForByte) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  // Quotes, a backslash, a dollar-quote marker and non-ASCII: bound, never spliced.
  const std::string name = "O'Brien \\ $$; DROP TABLE teams; -- ünï";
  ASSERT_TRUE(store->insertTeam(sampleTeam("team-x", name)).ok());
  Result<std::optional<Team>> found = store->findTeamByName(name);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->name, name);
  EXPECT_EQ(queryInt("SELECT count(*) FROM teams"), 1);
}

}  // namespace
}  // namespace ls::testing
