// A SQLite VFS that wraps the default one and can be switched to fail like a
// full or read-only disk, so the store's recovery from storage faults is
// tested without root, a filled disk or a remount: store unit tests set the
// fault directly; the server can read it from a file (LUNARSTREAM_TEST_FAULT_FILE,
// test-only, docs/testing.md) so an integration test flips it at runtime.
//
// Registered with SQLite under its own name (never as the default); a store
// uses it only when SqliteOptions::vfs names it. Thread-safe. The object must
// outlive every connection opened through it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/status.hpp"

namespace ls::sqlite {

enum class StorageFault {
  kNone,
  // Every write to a database, WAL or journal file fails with SQLITE_FULL,
  // as on a filesystem without free blocks.
  kFull,
  // As when the file or its filesystem turned read-only: a database opened now
  // gets a read-only handle (what SQLite does when it cannot open the file
  // for writing), and writes through handles opened before fail with
  // SQLITE_READONLY.
  kReadOnly,
};

// "full" and "readonly" (surrounding whitespace ignored); anything else is kNone.
StorageFault parseStorageFault(std::string_view text);

class FaultVfs {
 public:
  // Registers `name`; kInvalidArgument when SQLite already has a VFS of that name.
  static Result<std::unique_ptr<FaultVfs>> create(std::string name);
  // As create(), but the fault is the content of `controlFile`, read again on
  // every open and write (a missing file means no fault). That costs a small
  // file read per write: for tests only.
  static Result<std::unique_ptr<FaultVfs>> createControlledBy(std::string name, std::filesystem::path controlFile);
  ~FaultVfs();
  FaultVfs(const FaultVfs&) = delete;
  FaultVfs& operator=(const FaultVfs&) = delete;

  [[nodiscard]] const std::string& name() const noexcept;
  // Ignored when a control file decides the fault.
  void set(StorageFault fault) noexcept;
  [[nodiscard]] StorageFault current() const;

  struct Impl;

 private:
  explicit FaultVfs(std::unique_ptr<Impl> impl) noexcept;

  std::unique_ptr<Impl> impl_;
};

}  // namespace ls::sqlite
