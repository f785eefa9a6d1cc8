// A real control plane on a temporary SQLite file with a hand-moved clock:
// what control/ and ingest/ tests build on.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "auth/jwks.hpp"
#include "auth/key_ring.hpp"
#include "auth/signing_key.hpp"
#include "control/livestream_service.hpp"
#include "control/media_server_service.hpp"
#include "control/project_service.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/temp_dir.hpp"

namespace ls::testing {


// The signing key is generated once per test binary: RSA key generation is
// the slowest step and its result does not matter to the tests.
inline const auth::SigningKey& sharedSigningKey() {
  static TempDir dir;
  static auth::SigningKey key = std::move(auth::SigningKey::loadOrCreate(dir.path()).value());
  return key;
}

// sharedSigningKey() as the one key of a ring.
inline const auth::KeyRing& sharedKeyRing() {
  static const auth::FixedKeyRing ring(std::shared_ptr<const auth::SigningKey>(&sharedSigningKey(), [](auto*) {}));
  return ring;
}

class ControlFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::open(dir_.path() / "test.db");
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
    projects_ = std::make_unique<control::ProjectService>(*store_, clock_, random_);
    servers_ = std::make_unique<control::MediaServerService>(*store_, clock_, random_);
    livestreams_ = std::make_unique<control::LivestreamService>(*store_, sharedKeyRing(), clock_, random_,
                                                                control::LivestreamOptions{});
    auto created = projects_->create("project", "team", cliActor_);
    ASSERT_TRUE(created.ok()) << created.status().message();
    project_ = created->project;
    auto other = projects_->create("other", "team", cliActor_);
    ASSERT_TRUE(other.ok());
    otherProject_ = other->project;
    control::MediaServerInput embedded;
    embedded.name = "embedded";
    embedded.rtmpBaseUrl = "rtmp://127.0.0.1:1935/live";
    embedded.hlsBaseUrl = "http://127.0.0.1:8080";
    auto server = servers_->ensureEmbedded(embedded);
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = *server;
  }

  // An external ZLMediaKit node named `name` (with a node API when apiUrl is
  // given; available to projectIds only when any are given).
  MediaServer addExternalServer(const std::string& name, std::string apiUrl = {},
                                std::vector<std::string> projectIds = {}) {
    control::MediaServerInput in;
    in.name = name;
    in.type = MediaServerType::kZlMediaKit;
    in.rtmpBaseUrl = "rtmp://" + name + ".example.com:1935/live";
    in.hlsBaseUrl = "http://" + name + ".example.com:8080";
    in.apiUrl = std::move(apiUrl);
    in.projectIds = std::move(projectIds);
    auto added = servers_->add(in);
    EXPECT_TRUE(added.ok()) << added.status().message();
    return added.ok() ? added->server : MediaServer{};
  }

  control::LivestreamRecord createStream(const std::string& name = "stream",
                                         std::optional<std::int64_t> expiresIn = std::nullopt) {
    auto r = livestreams_->create(project_, {name, server_.id, expiresIn});
    EXPECT_TRUE(r.ok()) << r.status().message();
    return *r;
  }

  TempDir dir_;
  ManualClock clock_{1'768'241'558'918};
  SecureRandom random_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<control::ProjectService> projects_;
  const Actor cliActor_{ActorType::kCli, "tester", "tester"};
  std::unique_ptr<control::MediaServerService> servers_;
  std::unique_ptr<control::LivestreamService> livestreams_;
  Project project_;
  Project otherProject_;
  MediaServer server_;
};

}  // namespace ls::testing
