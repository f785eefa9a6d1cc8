// Shared pieces of the store tests: a temporary directory that cleans up, a
// raw SQLite handle for poking the file behind the store's back, and sample
// domain objects.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "core/model.hpp"
#include "store/sqlite/sqlite_store.hpp"

#include "support/temp_dir.hpp"

namespace ls::testing {


// A plain SQLite connection to the same file, standing in for another process.
class RawDb {
 public:
  // create: make the file when it does not exist (a file from an older release).
  explicit RawDb(const std::filesystem::path& file, bool create = false) {
    const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(file.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "open " << file << ": " << sqlite3_errmsg(db_);
    }
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // Returns SQLite's result code; a test asserts on it.
  int exec(const std::string& sql) { return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr); }

  // The first column of the first row as an integer; -1 when there is none.
  std::int64_t queryInt(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    std::int64_t v = -1;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      v = sqlite3_column_int64(st, 0);
    } else {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    }
    sqlite3_finalize(st);
    return v;
  }

 private:
  sqlite3* db_ = nullptr;
};

inline Team sampleTeam(std::string id = "team-1", std::string name = "Acme") {
  return {.id = std::move(id), .name = std::move(name), .createdAt = 1000};
}

inline Project sampleProject(std::string id = "project-1", std::string teamId = "team-1", std::string keyHash = "") {
  if (keyHash.empty()) keyHash = "hash-of-" + id;
  return {.id = std::move(id),
          .teamId = std::move(teamId),
          .name = "Main",
          .apiKeyHash = std::move(keyHash),
          .abrEnabled = true,
          .createdAt = 2000,
          .rateLimit = std::nullopt};
}

inline MediaServer sampleMediaServer(std::string id = "ms-1") {
  MediaServer s;
  s.id = std::move(id);
  s.name = "embedded";
  s.type = MediaServerType::kEmbedded;
  s.rtmpBaseUrl = "rtmp://localhost:1935/live";
  s.hlsBaseUrl = "http://localhost:8080";
  s.cdns = {{"bunny", "https://b.example.com"}, {"gcore", "https://g.example.com"}};
  s.createdAt = 3000;
  return s;
}

inline Livestream sampleLivestream(std::string id, UnixMillis createdAt = 5000, std::string projectId = "project-1",
                                   std::string mediaServerId = "ms-1") {
  Livestream l;
  l.id = id;
  l.projectId = std::move(projectId);
  l.mediaServerId = std::move(mediaServerId);
  l.name = "stream " + id;
  l.streamKey = "key-" + id;
  l.phase = LivestreamStatus::kReadyForUse;
  l.currentTokenId = "jti-" + id;
  l.tokenExpiresAt = 1'000'000;
  l.createdAt = createdAt;
  return l;
}

// g++ warns (-Wmissing-field-initializers) on designated initializers that
// leave members out, so options and queries are built by these helpers.
inline SqliteOptions readOnlyOptions() {
  SqliteOptions o;
  o.readOnly = true;
  return o;
}
inline SqliteOptions busyTimeoutOptions(std::chrono::milliseconds timeout) {
  SqliteOptions o;
  o.busyTimeout = timeout;
  return o;
}
inline SqliteOptions poolOptions(std::size_t maxConnections) {
  SqliteOptions o;
  o.maxConnections = maxConnections;
  return o;
}

// A LivestreamQuery for project-1, adjusted fluently: Query().page(2).search("cam").
class Query {
 public:
  Query() { q_.projectId = "project-1"; }
  Query& project(std::string id) {
    q_.projectId = std::move(id);
    return *this;
  }
  Query& page(std::int64_t p) {
    q_.page = p;
    return *this;
  }
  Query& limit(std::int64_t l) {
    q_.limit = l;
    return *this;
  }
  Query& status(LivestreamStatus s) {
    q_.status = s;
    return *this;
  }
  Query& search(std::string s) {
    q_.search = std::move(s);
    return *this;
  }
  Query& now(UnixMillis t) {
    q_.now = t;
    return *this;
  }
  operator LivestreamQuery() const { return q_; }  // NOLINT(google-explicit-constructor)

 private:
  LivestreamQuery q_;
};

inline std::unique_ptr<SqliteStore> openStore(const std::filesystem::path& file, SqliteOptions options = {}) {
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::open(file, options);
  if (!store.ok()) {
    ADD_FAILURE() << "open " << file << ": " << store.status().message();
    return nullptr;
  }
  return std::move(store).value();
}

// A store on a fresh file with one team, one project and one media server.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = openStore(dbFile());
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(store_->insertTeam(sampleTeam()).ok());
    ASSERT_TRUE(store_->insertProject(sampleProject()).ok());
    ASSERT_TRUE(store_->insertMediaServer(sampleMediaServer()).ok());
  }

  [[nodiscard]] std::filesystem::path dbFile() const { return dir_.path() / "lunarstream.db"; }

  TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

}  // namespace ls::testing
