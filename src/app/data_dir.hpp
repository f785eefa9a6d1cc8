// The data directory: the SQLite database and the push-token key pair. The
// server and the admin CLI open the same directory side by side.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

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

// Creates the directory (mode 0700) when missing and opens the database,
// applying migrations. The one reader of LUNARSTREAM_TEST_FAULT_FILE.
Result<DataDir> openDataDir(const std::filesystem::path& root, std::int64_t busyTimeoutMs = 5000);
// The push-token signing key under <root>/keys, created on first use.
Result<auth::SigningKey> openSigningKey(const std::filesystem::path& root);

}  // namespace ls::app
