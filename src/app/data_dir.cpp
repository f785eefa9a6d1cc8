#include "app/data_dir.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <system_error>

#include "store/sqlite/sqlite_store.hpp"

namespace ls::app {

namespace {
Status ensureDirectory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return Status::ok();
  if (std::filesystem::exists(dir, ec)) return invalidArgument("data dir " + dir.string() + " is not a directory");
  std::filesystem::create_directories(dir, ec);
  if (ec) return unavailable("cannot create data dir " + dir.string() + ": " + ec.message());
  ::chmod(dir.c_str(), 0700);
  return Status::ok();
}

// TEST ONLY (docs/testing.md): with LUNARSTREAM_TEST_FAULT_FILE set, the
// database goes through a VFS that fails writes like a full ("full") or
// read-only ("readonly") disk while that file says so, read again on each
// write, so an integration test can flip faults while the server runs.
Result<std::unique_ptr<sqlite::FaultVfs>> testFaultsFromEnvironment() {
  const char* file = std::getenv("LUNARSTREAM_TEST_FAULT_FILE");
  if (file == nullptr || *file == '\0') return std::unique_ptr<sqlite::FaultVfs>();
  static std::atomic<int> opened{0};  // a VFS name is process-wide; one per data dir opened
  auto vfs = sqlite::FaultVfs::createControlledBy("lunarstream-test-faults-" + std::to_string(opened++), file);
  if (vfs.ok()) spdlog::warn("LUNARSTREAM_TEST_FAULT_FILE={}: storage faults are injected (tests only)", file);
  return vfs;
}
}  // namespace

Result<DataDir> openDataDir(const std::filesystem::path& root, std::int64_t busyTimeoutMs) {
  LS_RETURN_IF_ERROR(ensureDirectory(root));
  SqliteOptions options;
  options.busyTimeout = std::chrono::milliseconds(busyTimeoutMs);
  auto faults = testFaultsFromEnvironment();
  if (!faults.ok()) return std::move(faults).takeStatus();
  if (*faults != nullptr) options.vfs = (*faults)->name();
  auto store = SqliteStore::open(root / "lunarstream.db", options);
  if (!store.ok()) return std::move(store).takeStatus();
  DataDir dir;
  dir.root = root;
  dir.testFaults = std::move(*faults);
  dir.store = std::move(*store);
  return dir;
}

Result<auth::SigningKey> openSigningKey(const std::filesystem::path& root) {
  LS_RETURN_IF_ERROR(ensureDirectory(root / "keys"));
  return auth::SigningKey::loadOrCreate(root / "keys");
}

}  // namespace ls::app
