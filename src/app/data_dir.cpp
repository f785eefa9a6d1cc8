#include "app/data_dir.hpp"

#include <sys/stat.h>

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
}  // namespace

Result<DataDir> openDataDir(const std::filesystem::path& root, std::int64_t busyTimeoutMs) {
  LS_RETURN_IF_ERROR(ensureDirectory(root));
  SqliteOptions options;
  options.busyTimeout = std::chrono::milliseconds(busyTimeoutMs);
  auto store = SqliteStore::open(root / "lunarstream.db", options);
  if (!store.ok()) return std::move(store).takeStatus();
  DataDir dir;
  dir.root = root;
  dir.store = std::move(*store);
  return dir;
}

Result<auth::SigningKey> openSigningKey(const std::filesystem::path& root) {
  LS_RETURN_IF_ERROR(ensureDirectory(root / "keys"));
  return auth::SigningKey::loadOrCreate(root / "keys");
}

}  // namespace ls::app
