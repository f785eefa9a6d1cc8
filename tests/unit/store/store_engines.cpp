// The two engines of the conformance suite: a SQLite file in a temporary
// directory, and a fresh database on the test binary's PostgreSQL server
// (support/postgres_server.hpp).
#include "store_engines.hpp"

#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/postgres_server.hpp"

namespace ls::testing {

namespace {

class SqliteEngine final : public StoreEngine {
 public:
  Status prepare() override { return Status::ok(); }

  Result<std::unique_ptr<Store>> open(std::size_t maxConnections) override {
    SqliteOptions options;
    options.maxConnections = maxConnections;
    Result<std::unique_ptr<SqliteStore>> store = SqliteStore::open(file(), options);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(store).value());
  }

  std::int64_t queryInt(const std::string& sql) override { return RawDb(file()).queryInt(sql); }

  bool exec(const std::string& sql) override {
    const int rc = RawDb(file()).exec(sql);
    EXPECT_EQ(rc, SQLITE_OK) << sql;
    return rc == SQLITE_OK;
  }

 private:
  [[nodiscard]] std::filesystem::path file() const { return dir_.path() / "lunarstream.db"; }
  TempDir dir_;
};

class PostgresEngine final : public StoreEngine {
 public:
  Status prepare() override {
    std::string error;
    url_ = PostgresServer::instance().createDatabase(error);
    if (url_.empty()) return unavailable("no PostgreSQL server for the tests: " + error);
    database_ = url_.substr(url_.rfind('/') + 1);
    return Status::ok();
  }

  Result<std::unique_ptr<Store>> open(std::size_t maxConnections) override {
    PostgresOptions options;
    options.maxConnections = maxConnections;
    Result<std::unique_ptr<PostgresStore>> store = PostgresStore::open(url_, options);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(store).value());
  }

  std::int64_t queryInt(const std::string& sql) override {
    std::string error;
    const std::int64_t v = PostgresServer::instance().queryInt(database_, sql, error);
    if (!error.empty()) ADD_FAILURE() << sql << ": " << error;
    return v;
  }

  bool exec(const std::string& sql) override {
    std::string error;
    const bool ok = PostgresServer::instance().exec(database_, sql, error);
    EXPECT_TRUE(ok) << sql << ": " << error;
    return ok;
  }

 private:
  std::string url_;
  std::string database_;
};

}  // namespace

std::unique_ptr<StoreEngine> makeSqliteEngine() {
  return std::make_unique<SqliteEngine>();
}
std::unique_ptr<StoreEngine> makePostgresEngine() {
  return std::make_unique<PostgresEngine>();
}

}  // namespace ls::testing
