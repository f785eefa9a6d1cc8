// Storage faults (disk full, file or filesystem read-only) on a live store:
// writes fail with kUnavailable, nothing half-written remains, and writes work
// again as soon as the fault is gone, without reopening the store.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "store/sqlite/fault_vfs.hpp"
#include "store_test_support.hpp"

namespace ls::testing {
namespace {

using sqlite::FaultVfs;
using sqlite::StorageFault;

class StorageFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    auto vfs = FaultVfs::create(std::string("ls-fault-") + info->name());
    ASSERT_TRUE(vfs.ok()) << vfs.status().message();
    vfs_ = std::move(vfs).value();
    store_ = open();
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(store_->insertTeam(sampleTeam()).ok());
    ASSERT_TRUE(store_->insertProject(sampleProject()).ok());
    ASSERT_TRUE(store_->insertMediaServer(sampleMediaServer()).ok());
  }

  // One connection at most, so a test knows which connection a call gets.
  // probeWrite() writes every time unless a test asks for its cache.
  std::unique_ptr<SqliteStore> open(std::chrono::milliseconds writeProbeCache = {}) {
    SqliteOptions options = poolOptions(1);
    options.vfs = vfs_->name();
    options.writeProbeCache = writeProbeCache;
    return openStore(dbFile(), options);
  }

  std::int64_t probeWrites() {
    RawDb raw(dbFile());
    return raw.queryInt("SELECT COALESCE(MAX(writes), 0) FROM write_probe");
  }

  [[nodiscard]] std::filesystem::path dbFile() const { return dir_.path() / "lunarstream.db"; }

  static void expectUnavailable(const Status& s, const std::string& cause) {
    EXPECT_EQ(s.code(), Code::kUnavailable) << s.message();
    EXPECT_NE(s.message().find(cause), std::string::npos) << s.message();
  }

  void expectFileIntact(std::int64_t livestreams) {
    RawDb raw(dbFile());
    EXPECT_EQ(raw.queryInt("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
    EXPECT_EQ(raw.queryInt("SELECT count(*) FROM livestreams"), livestreams);
  }

  TempDir dir_;
  std::unique_ptr<FaultVfs> vfs_;  // declared before store_: outlives its connections
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(StorageFaultTest, FullDiskFailsWritesThenTheNextWriteSucceeds) {
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-0")).ok());
  vfs_->set(StorageFault::kFull);
  expectUnavailable(store_->insertLivestream(sampleLivestream("ls-1")).status(), "database or disk is full");
  expectUnavailable(store_->renameLivestream("ls-0", "renamed"), "database or disk is full");
  Result<std::optional<Livestream>> kept = store_->findLivestream("ls-0");
  ASSERT_TRUE(kept.ok()) << "reads go on: " << kept.status().message();
  ASSERT_TRUE(kept->has_value());
  EXPECT_EQ((*kept)->name, "stream ls-0");

  vfs_->set(StorageFault::kNone);
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-2")).ok());
  Result<std::optional<Livestream>> failed = store_->findLivestream("ls-1");
  ASSERT_TRUE(failed.ok());
  EXPECT_FALSE(failed->has_value()) << "the failed insert left nothing behind";
  expectFileIntact(2);
}

TEST_F(StorageFaultTest, ReadOnlySpellFailsWritesThenTheNextWriteSucceeds) {
  vfs_->set(StorageFault::kReadOnly);
  expectUnavailable(store_->insertLivestream(sampleLivestream("ls-1")).status(), "database is read-only");
  vfs_->set(StorageFault::kNone);
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-2")).ok());
  expectFileIntact(1);
}

// SQLite opens an unwritable file read-only without saying so, and such a
// handle never becomes writable: a pool that kept it would fail every write
// after the disk recovered.
TEST_F(StorageFaultTest, ConnectionOpenedDuringAReadOnlySpellIsNotKept) {
  vfs_->set(StorageFault::kReadOnly);
  expectUnavailable(store_->insertLivestream(sampleLivestream("ls-1")).status(), "database is read-only");
  Result<std::optional<Team>> team = store_->findTeam("team-1");  // opens a connection during the spell
  ASSERT_TRUE(team.ok()) << team.status().message();
  vfs_->set(StorageFault::kNone);
  EXPECT_TRUE(store_->insertLivestream(sampleLivestream("ls-2")).ok());
  EXPECT_TRUE(store_->insertLivestream(sampleLivestream("ls-3")).ok());
  expectFileIntact(2);
}

TEST_F(StorageFaultTest, StoreOpenedDuringAReadOnlySpellWritesOnceItEnds) {
  store_.reset();
  vfs_->set(StorageFault::kReadOnly);
  store_ = open();  // the schema is current, so opening needs no write
  ASSERT_NE(store_, nullptr);
  expectUnavailable(store_->insertLivestream(sampleLivestream("ls-1")).status(), "database is read-only");
  vfs_->set(StorageFault::kNone);
  EXPECT_TRUE(store_->insertLivestream(sampleLivestream("ls-2")).ok());
  expectFileIntact(1);
}

TEST_F(StorageFaultTest, LifecycleWritesFailWholeAndRetryCleanly) {
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  for (StorageFault fault : {StorageFault::kFull, StorageFault::kReadOnly}) {
    vfs_->set(fault);
    EXPECT_EQ(store_->startLivestream("ls-1", "jti-ls-1", 10, {}).code(), Code::kUnavailable);
    EXPECT_EQ(store_->deleteLivestream("ls-1").code(), Code::kUnavailable);
    vfs_->set(StorageFault::kNone);
    Result<std::optional<Livestream>> l = store_->findLivestream("ls-1");
    ASSERT_TRUE(l.ok());
    ASSERT_TRUE(l->has_value());
    EXPECT_EQ((*l)->phase, LivestreamStatus::kReadyForUse) << "the failed start changed nothing";
  }
  EXPECT_TRUE(store_->startLivestream("ls-1", "jti-ls-1", 10, {}).isOk());
  EXPECT_TRUE(store_->endLivestream("ls-1", 20).isOk());
  expectFileIntact(1);
}

// The probe: /api/v1/health answers 503 while it fails. ---------------------

TEST_F(StorageFaultTest, ProbeWritesItsRowAndFailsWhileWritesFail) {
  ASSERT_TRUE(store_->probeWrite().isOk());
  ASSERT_TRUE(store_->probeWrite().isOk());
  EXPECT_EQ(probeWrites(), 2);

  vfs_->set(StorageFault::kFull);
  EXPECT_TRUE(store_->ping().isOk()) << "reads still answer, which is why health needs the probe";
  expectUnavailable(store_->probeWrite(), "database or disk is full (probe write)");
  vfs_->set(StorageFault::kReadOnly);
  expectUnavailable(store_->probeWrite(), "database is read-only (probe write)");
  vfs_->set(StorageFault::kNone);
  EXPECT_TRUE(store_->probeWrite().isOk());
  EXPECT_EQ(probeWrites(), 3);
}

TEST_F(StorageFaultTest, ARecentCommitAnswersForTheProbeButAFailedWriteNever) {
  store_ = open(std::chrono::hours(1));
  ASSERT_NE(store_, nullptr);
  ASSERT_TRUE(store_->probeWrite().isOk());
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  EXPECT_TRUE(store_->probeWrite().isOk());
  EXPECT_EQ(probeWrites(), 1) << "the commits vouched for the second probe";

  vfs_->set(StorageFault::kFull);
  ASSERT_EQ(store_->renameLivestream("ls-1", "x").code(), Code::kUnavailable);
  expectUnavailable(store_->probeWrite(), "database or disk is full");
  vfs_->set(StorageFault::kNone);
  EXPECT_TRUE(store_->probeWrite().isOk()) << "a failure is not cached either: recovery shows at once";
  EXPECT_EQ(probeWrites(), 2);
}

TEST_F(StorageFaultTest, ACommitThatChangedNothingDoesNotVouchForTheProbe) {
  store_ = open(std::chrono::hours(1));
  ASSERT_NE(store_, nullptr);
  ASSERT_TRUE(store_->insertLivestream(sampleLivestream("ls-1")).ok());
  vfs_->set(StorageFault::kFull);
  ASSERT_EQ(store_->renameLivestream("ls-1", "x").code(), Code::kUnavailable);
  // Ending a stream that is not live commits without writing a page, so even
  // a full disk lets it through; it must not make the probe look healthy.
  ASSERT_TRUE(store_->endLivestream("ls-1", 5).isOk());
  expectUnavailable(store_->probeWrite(), "database or disk is full");
}

TEST_F(StorageFaultTest, ProbeOfAReadOnlyStoreFails) {
  SqliteOptions options = readOnlyOptions();
  options.writeProbeCache = std::chrono::hours(1);
  auto ro = openStore(dbFile(), options);
  ASSERT_NE(ro, nullptr);
  expectUnavailable(ro->probeWrite(), "database is read-only");
}

}  // namespace
}  // namespace ls::testing
