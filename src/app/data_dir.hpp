// The data directory: the SQLite database (unless the data lives in
// PostgreSQL) and the push-token key pair. The server and the admin CLI open
// the same directory, or the same PostgreSQL database, side by side.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

#include "auth/signing_key.hpp"
#include "core/status.hpp"
#include "store/sqlite/fault_vfs.hpp"
#include "store/store.hpp"

namespace ls::app {

struct DataDir {
  std::filesystem::path root;
  // Test-only storage fault injection (LUNARSTREAM_TEST_FAULT_FILE,
  // docs/testing.md); null otherwise. Declared before `store`, so it outlives
  // the store's connections, which go through it.
  std::unique_ptr<sqlite::FaultVfs> testFaults;
  std::unique_ptr<Store> store;
};

// Opens the store, applying migrations: PostgreSQL when `databaseUrl` is set
// (postgres://...; the directory is not touched), else SQLite in
// <root>/lunarstream.db, creating the directory (mode 0700) when missing.
// Errors never show the URL's password. The one reader of
// LUNARSTREAM_TEST_FAULT_FILE (SQLite only).
Result<DataDir> openDataDir(const std::filesystem::path& root, std::int64_t busyTimeoutMs = 5000,
                            std::string_view databaseUrl = {});
// Where versions before the keys moved into the store kept the push-token
// signing key (<root>/keys/push-token-key.pem): imported into an empty store
// on first start (control::ensureSigningKey), never written any more.
std::filesystem::path legacySigningKeyFile(const std::filesystem::path& root);

}  // namespace ls::app
