// The data directory: the SQLite database and the push-token key pair. The
// server and the admin CLI open the same directory side by side.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "auth/signing_key.hpp"
#include "core/status.hpp"
#include "store/store.hpp"

namespace ls::app {

struct DataDir {
  std::filesystem::path root;
  std::unique_ptr<Store> store;
};

// Creates the directory (mode 0700) when missing and opens the database,
// applying migrations.
Result<DataDir> openDataDir(const std::filesystem::path& root, std::int64_t busyTimeoutMs = 5000);
// The push-token signing key under <root>/keys, created on first use.
Result<auth::SigningKey> openSigningKey(const std::filesystem::path& root);

}  // namespace ls::app
