// The Store conformance suite runs every contract test on each engine: a
// StoreEngine gives a test a fresh empty database, opens stores on it (each
// one its own pool of connections, standing in for another process), and
// reads or pokes the database behind the stores' backs.
//
// Suites are value-parameterized over the engines (LS_STORE_SUITE at the end
// of each file): their tests are named Store/<Suite>.<Test>/sqlite and
// .../postgres.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "core/status.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace ls::testing {

class StoreEngine {
 public:
  virtual ~StoreEngine() = default;
  // Makes a fresh, empty database for this test; non-OK says why it cannot.
  virtual Status prepare() = 0;
  // Opens a store on the database; each call is another pool (another process).
  virtual Result<std::unique_ptr<Store>> open(std::size_t maxConnections) = 0;
  // The first column of the first row of `sql`, read behind the store's back; -1 on failure.
  virtual std::int64_t queryInt(const std::string& sql) = 0;
  // Runs `sql` behind the store's back; false (with a test failure) when it fails.
  virtual bool exec(const std::string& sql) = 0;
};

struct EngineParam {
  const char* name;
  std::function<std::unique_ptr<StoreEngine>()> make;
};

std::unique_ptr<StoreEngine> makeSqliteEngine();
std::unique_ptr<StoreEngine> makePostgresEngine();

// A store on a fresh database with one team, one project and one media server.
class StoreContractTest : public ::testing::TestWithParam<EngineParam> {
 protected:
  void SetUp() override {
    engine_ = GetParam().make();
    const Status prepared = engine_->prepare();
    ASSERT_TRUE(prepared.isOk()) << GetParam().name << ": " << prepared.message();
    store_ = openStore();
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(store_->insertTeam(sampleTeam()).ok());
    ASSERT_TRUE(store_->insertProject(sampleProject()).ok());
    ASSERT_TRUE(store_->insertMediaServer(sampleMediaServer()).ok());
  }

  // Another store on the same database: its own pool, like another process.
  std::unique_ptr<Store> openStore(std::size_t maxConnections = 8) {
    Result<std::unique_ptr<Store>> store = engine_->open(maxConnections);
    if (!store.ok()) {
      ADD_FAILURE() << "open " << GetParam().name << " store: " << store.status().message();
      return nullptr;
    }
    return std::move(store).value();
  }

  std::int64_t queryInt(const std::string& sql) { return engine_->queryInt(sql); }
  bool exec(const std::string& sql) { return engine_->exec(sql); }

  std::unique_ptr<StoreEngine> engine_;
  std::unique_ptr<Store> store_;
};

// gtest prints the engine's name, not the bytes of the parameter.
inline void PrintTo(const EngineParam& param, std::ostream* os) {
  *os << param.name;
}

inline std::string engineName(const ::testing::TestParamInfo<EngineParam>& info) {
  return info.param.name;
}

}  // namespace ls::testing

// Runs every TEST_P of `suite` on SQLite and on PostgreSQL.
#define LS_STORE_SUITE(suite)                                                                       \
  INSTANTIATE_TEST_SUITE_P(                                                                         \
      Store, suite,                                                                                 \
      ::testing::Values(::ls::testing::EngineParam{"sqlite", ::ls::testing::makeSqliteEngine},      \
                        ::ls::testing::EngineParam{"postgres", ::ls::testing::makePostgresEngine}), \
      ::ls::testing::engineName)
