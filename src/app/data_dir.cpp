#include "app/data_dir.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <system_error>

#include "store/postgres/postgres_store.hpp"
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
// libpq may quote a malformed URL in its message; whatever it says, the
// password of `url` (its userinfo after ':') never reaches a log or a terminal.
Status withoutPassword(Status s, std::string_view url) {
  const std::size_t scheme = url.find("://");
  const std::size_t at = url.rfind('@');
  if (scheme == std::string_view::npos || at == std::string_view::npos || at < scheme) return s;
  const std::string_view userinfo = url.substr(scheme + 3, at - scheme - 3);
  const std::size_t colon = userinfo.find(':');
  if (colon == std::string_view::npos || colon + 1 == userinfo.size()) return s;
  const std::string_view password = userinfo.substr(colon + 1);
  std::string message = s.message();
  for (std::size_t p = message.find(password); p != std::string::npos; p = message.find(password, p + 3)) {
    message.replace(p, password.size(), "***");
  }
  return Status(s.code(), message);
}
}  // namespace

Result<DataDir> openDataDir(const std::filesystem::path& root, std::int64_t busyTimeoutMs,
                            std::string_view databaseUrl) {
  if (!databaseUrl.empty()) {
    auto store = PostgresStore::open(databaseUrl);
    if (!store.ok()) return withoutPassword(store.status(), databaseUrl);
    DataDir dir;
    dir.root = root;
    dir.store = std::move(*store);
    return dir;
  }
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

std::filesystem::path legacySigningKeyFile(const std::filesystem::path& root) {
  return root / "keys" / std::string(auth::kSigningKeyFileName);
}

}  // namespace ls::app
