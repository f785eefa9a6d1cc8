// The fault-injection VFS itself: naming, the control file, and that it
// fails the way the store tests rely on.
#include "store/sqlite/fault_vfs.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <string>

#include "store_test_support.hpp"

namespace ls::testing {
namespace {

using sqlite::FaultVfs;
using sqlite::StorageFault;

void writeFile(const std::filesystem::path& file, const std::string& text) {
  std::ofstream(file, std::ios::trunc) << text;
}

TEST(FaultVfs, ParsesTheControlWords) {
  EXPECT_EQ(sqlite::parseStorageFault("full"), StorageFault::kFull);
  EXPECT_EQ(sqlite::parseStorageFault(" readonly\n"), StorageFault::kReadOnly);
  EXPECT_EQ(sqlite::parseStorageFault(""), StorageFault::kNone);
  EXPECT_EQ(sqlite::parseStorageFault("FULL"), StorageFault::kNone);
  EXPECT_EQ(sqlite::parseStorageFault("full disk"), StorageFault::kNone);
}

TEST(FaultVfs, RefusesANameSqliteAlreadyHas) {
  auto first = FaultVfs::create("ls-fault-dup");
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto second = FaultVfs::create("ls-fault-dup");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kInvalidArgument);
  first->reset();
  EXPECT_TRUE(FaultVfs::create("ls-fault-dup").ok()) << "the name is free again once the first is gone";
}

TEST(FaultVfs, ControlFileDecidesTheFaultAtEachCall) {
  TempDir dir;
  const auto control = dir.path() / "fault";
  auto vfs = FaultVfs::createControlledBy("ls-fault-control", control);
  ASSERT_TRUE(vfs.ok()) << vfs.status().message();
  EXPECT_EQ((*vfs)->current(), StorageFault::kNone) << "a missing file is no fault";
  writeFile(control, "full\n");
  EXPECT_EQ((*vfs)->current(), StorageFault::kFull);
  (*vfs)->set(StorageFault::kReadOnly);
  EXPECT_EQ((*vfs)->current(), StorageFault::kFull) << "the file, not set(), decides";
  writeFile(control, "readonly");
  EXPECT_EQ((*vfs)->current(), StorageFault::kReadOnly);
  writeFile(control, "");
  EXPECT_EQ((*vfs)->current(), StorageFault::kNone);
}

// A plain SQLite handle through the shim: the faults surface as the codes a
// real full or read-only disk gives.
TEST(FaultVfs, FailsWritesWithTheCodesOfARealDisk) {
  TempDir dir;
  auto vfs = FaultVfs::create("ls-fault-raw");
  ASSERT_TRUE(vfs.ok()) << vfs.status().message();
  const auto file = dir.path() / "raw.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "ls-fault-raw"), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE t (x)", nullptr, nullptr, nullptr), SQLITE_OK);

  (*vfs)->set(StorageFault::kFull);
  EXPECT_EQ(sqlite3_exec(db, "INSERT INTO t VALUES (1)", nullptr, nullptr, nullptr) & 0xff, SQLITE_FULL);
  (*vfs)->set(StorageFault::kReadOnly);
  EXPECT_EQ(sqlite3_exec(db, "INSERT INTO t VALUES (2)", nullptr, nullptr, nullptr) & 0xff, SQLITE_READONLY);
  sqlite3* late = nullptr;
  ASSERT_EQ(sqlite3_open_v2(file.c_str(), &late, SQLITE_OPEN_READWRITE, "ls-fault-raw"), SQLITE_OK);
  EXPECT_EQ(sqlite3_db_readonly(late, "main"), 1) << "opened during the spell: read-only, like an unwritable file";
  (*vfs)->set(StorageFault::kNone);
  EXPECT_EQ(sqlite3_db_readonly(late, "main"), 1) << "and it stays so after the spell";
  EXPECT_EQ(sqlite3_exec(db, "INSERT INTO t VALUES (3)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close_v2(late);
  sqlite3_close_v2(db);

  RawDb raw(file);
  EXPECT_EQ(raw.queryInt("SELECT group_concat(x) = '3' FROM t"), 1);
}

}  // namespace
}  // namespace ls::testing
