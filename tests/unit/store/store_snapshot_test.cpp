// exportAll / importAll: every row moves from each engine into the other
// unchanged (what `lunarstream db copy` relies on), and only into an empty store.
#include <gtest/gtest.h>

#include "store/encoding.hpp"
#include "store/webhook_emit.hpp"
#include "store_engines.hpp"

namespace ls::testing {
namespace {

using SnapshotTest = StoreContractTest;

std::string describe(const StoreSnapshot& s) {
  std::string out;
  for (const Team& t : s.teams) out += "team " + t.id + " " + t.name + " " + std::to_string(t.createdAt) + "\n";
  for (const Project& p : s.projects) {
    out += "project " + p.id + " " + p.teamId + " " + p.name + " " + p.apiKeyHash + " " +
           std::to_string(p.abrEnabled) + " " + std::to_string(p.createdAt) + " " +
           (p.rateLimit ? std::to_string(p.rateLimit->perMinute) + "/" + std::to_string(p.rateLimit->perHour)
                        : std::string("default")) +
           "\n";
  }
  const auto opt = [](const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string("null"); };
  for (const MediaServer& m : s.mediaServers) {
    out += "server " + m.id + " " + m.name + " " + std::string(toString(m.type)) + " " + m.rtmpBaseUrl + " " +
           m.hlsBaseUrl + " " + store::encodeCdns(m.cdns) + " " + m.hookSecretHash + " " +
           std::to_string(m.createdAt) + " " + m.hlsPathTemplate + " " + store::joinList(m.hookAllow) + " " +
           m.remoteId + " " + m.apiUrl + " " + m.apiSecret + " " + store::joinList(m.projectIds) + " " +
           opt(m.liveness.lastSeenAt) + " " + opt(m.liveness.heartbeatAt) + " " +
           std::to_string(m.liveness.keepaliveIntervalMs) + " " + opt(m.liveness.offlineSince) + " " +
           std::to_string(m.liveness.lastHookIndex) + "\n";
  }
  for (const Livestream& l : s.livestreams) {
    out += "livestream " + l.id + " " + l.projectId + " " + l.mediaServerId + " " + l.name + " " + l.streamKey +
           " " + std::string(toString(l.phase)) + " " + l.currentTokenId + " " + std::to_string(l.tokenExpiresAt) +
           " " + std::to_string(l.createdAt) + " " + opt(l.startedAt) + " " + opt(l.endedAt) + " " +
           l.publishProtocol + " " + opt(l.publishSequence) + "\n";
  }
  for (const SigningKeyRecord& k : s.signingKeys) {
    out += "key " + k.kid + " " + k.privateKeyPem + " " + std::to_string(k.createdAt) + " " +
           std::to_string(k.activatesAt) + " " + opt(k.retiresAt) + "\n";
  }
  for (const AuditEntry& e : s.auditEntries) {
    out += "audit " + e.id + " " + std::to_string(e.at) + " " + std::string(toString(e.actor.type)) + " " +
           e.actor.id + " " + e.actor.label + " " + e.action + " " + e.teamId + " " + e.projectId + " " +
           e.targetType + " " + e.targetId + " " + e.detailsJson + "\n";
  }
  for (const usage::UsageRow& u : s.usage) {
    out += "usage " + u.projectId + " " + std::to_string(u.bucketStart) + " " + u.livestreamId + " " + u.metric + " " +
           u.dimension + " " + std::to_string(u.value) + "\n";
  }
  for (const UserRecord& u : s.users) {
    out += "user " + u.id + " " + u.email + " " + u.passwordHash + " " + std::to_string(u.isAdmin) + " " +
           std::to_string(u.createdAt) + " " + std::to_string(u.updatedAt) + "\n";
  }
  for (const TeamMember& m : s.teamMembers) {
    out += "member " + m.teamId + " " + m.userId + " " + m.email + " " + std::string(toString(m.role)) + " " +
           std::to_string(m.createdAt) + "\n";
  }
  for (const TeamInvitation& i : s.invitations) {
    out += "invitation " + i.id + " " + i.teamId + " " + i.email + " " + std::string(toString(i.role)) + " " +
           i.tokenHash + " " + i.invitedBy + " " + std::to_string(i.createdAt) + " " + std::to_string(i.expiresAt) +
           " " + opt(i.acceptedAt) + " " + opt(i.revokedAt) + "\n";
  }
  for (const WebhookEndpoint& e : s.webhookEndpoints) {
    out += "webhook " + e.id + " " + e.projectId + " " + e.url + " " + e.description + " " +
           store::encodeEventTypes(e.eventTypes) + " " + std::to_string(e.enabled) + " " + e.secret + " " +
           e.previousSecret + " " + opt(e.previousSecretExpiresAt) + " " + std::to_string(e.createdAt) + " " +
           std::to_string(e.updatedAt) + " " + opt(e.failingSince) + " " + opt(e.disabledAt) + " " +
           e.disabledReason + "\n";
  }
  return out;
}

TEST_P(SnapshotTest, EveryRowMovesToTheOtherEngineUnchanged) {
  // Beyond the fixture's rows: an external node with liveness and an
  // assignment, livestreams in every stored phase, signing keys.
  ASSERT_TRUE(store_->insertProject(sampleProject("project-2")).ok());
  MediaServer edge = sampleMediaServer("edge-1");
  edge.type = MediaServerType::kZlMediaKit;
  edge.hookSecretHash = "secret-hash";
  edge.hookAllow = {"10.0.0.0/8", "127.0.0.1"};
  edge.remoteId = "remote";
  edge.apiUrl = "http://edge.example:80";
  edge.apiSecret = "api-secret";
  edge.hlsPathTemplate = "/live/{key}/hls.m3u8";
  edge.projectIds = {"project-2"};
  ASSERT_TRUE(store_->insertMediaServer(edge).ok());
  ASSERT_TRUE(store_->recordNodeContact("edge-1", NodeContact{.at = 7000, .heartbeat = true, .hookIndex = 4,
                                                               .keepaliveIntervalMs = 1500})
                  .ok());
  // Same millisecond: insertion order must survive (lists break ties by it).
  for (const char* id : {"ls-b", "ls-a", "ls-c"}) ASSERT_TRUE(store_->insertLivestream(sampleLivestream(id)).ok());
  ASSERT_TRUE(store_->startLivestream("ls-a", "jti-ls-a", 8000, PublishOrigin{"rtmp", 3}).isOk());
  ASSERT_TRUE(store_->startLivestream("ls-c", "jti-ls-c", 8000, PublishOrigin{"srt", std::nullopt}).isOk());
  ASSERT_TRUE(store_->endLivestream("ls-c", 9000).isOk());
  ASSERT_TRUE(store_->insertSigningKey({"kid-1", "pem-1", 1, 2, 3}, std::nullopt).isOk());
  ASSERT_TRUE(store_->insertSigningKey({"kid-2", "pem-2", 4, 5, std::nullopt}, std::nullopt).isOk());
  ASSERT_TRUE(store_->setProjectRateLimit("project-2", ProjectRateLimit{7, 70}).isOk());
  // Same time: the audit log's insertion order must survive too.
  for (const char* id : {"audit-b", "audit-a"}) {
    AuditEntry e{id, 9500, Actor{ActorType::kUser, "user-1", "a@example.com"}, "project.renamed", "team-1",
                 "project-1", "project", "project-1", R"({"from":"a","to":"b"})"};
    ASSERT_TRUE(store_->insertAuditEntry(e).isOk());
  }
  // Usage, including a deleted stream's (billed usage outlives it).
  usage::UsageBatch batch{"batch-1",
                          {{"project-2", "ls-a", usage::kHourMs, "ingest_ms", "", 4000},
                           {"project-2", "gone", 0, "transcode_ms", "720", 3000},
                           {"project-2", "", 0, "egress_bytes", "", 123}}};
  ASSERT_TRUE(store_->applyUsageBatch(batch, 9000).ok());
  ASSERT_TRUE(store_->insertUser({"user-1", "admin@example.com", "$argon2id$hash-1", true, 10, 11}).ok());
  ASSERT_TRUE(store_->insertUser({"user-2", "viewer@example.com", "$argon2id$hash-2", false, 12, 12}).ok());
  ASSERT_TRUE(store_->addTeamMember({"team-1", "user-2", "", TeamRole::kViewer, 13}).isOk());
  ASSERT_TRUE(store_->addTeamMember({"team-1", "user-1", "", TeamRole::kOwner, 12}).isOk());
  ASSERT_TRUE(store_->insertInvitation({"inv-1", "team-1", "new@example.com", TeamRole::kMember, "hash-1", "user-1",
                                        14, 99'000, std::nullopt, std::nullopt})
                  .isOk());
  ASSERT_TRUE(store_->insertInvitation({"inv-2", "team-1", "old@example.com", TeamRole::kAdmin, "hash-2", "", 15,
                                        99'000, std::nullopt, std::nullopt})
                  .isOk());
  ASSERT_TRUE(store_->revokeInvitation("team-1", "inv-2", 16).isOk());
  // Sessions stay behind: after a copy every user logs in again.
  ASSERT_TRUE(store_->insertSession({"family-1", "user-1", "csrf", 20, std::nullopt}, {"rt-1", "family-1", 20, 99, std::nullopt})
                  .isOk());

  // Webhook endpoints with their secrets, a rotation and a disable; events
  // and deliveries stay behind.
  WebhookEndpoint hook;
  hook.id = "hook-1";
  hook.projectId = "project-2";
  hook.url = "https://hooks.example.com/a";
  hook.description = "partner";
  hook.eventTypes = {"livestream.started", "livestream.ended"};
  hook.secret = "whsec_b2xk";
  hook.createdAt = 30;
  hook.updatedAt = 30;
  ASSERT_TRUE(store_->insertWebhookEndpoint(hook).ok());
  ASSERT_TRUE(store_->rotateWebhookSecret("hook-1", "whsec_bmV3", 99'000, 31).isOk());
  hook.id = "hook-2";
  hook.eventTypes.clear();
  hook.createdAt = 29;
  ASSERT_TRUE(store_->insertWebhookEndpoint(hook).ok());
  ASSERT_TRUE(store_->disableWebhookEndpoint("hook-2", "Disabled after failing for 5 days", 32).isOk());

  auto exported = store_->exportAll();
  ASSERT_TRUE(exported.ok()) << exported.status().message();
  ASSERT_EQ(exported->webhookEndpoints.size(), 2u);
  EXPECT_EQ(exported->webhookEndpoints[0].id, "hook-1");  // insertion order
  EXPECT_EQ(exported->webhookEndpoints[0].previousSecret, "whsec_b2xk");
  EXPECT_FALSE(exported->webhookEndpoints[1].enabled);
  ASSERT_EQ(exported->livestreams.size(), 3u);
  EXPECT_EQ(exported->livestreams[0].id, "ls-b");
  ASSERT_EQ(exported->auditEntries.size(), 2u);
  EXPECT_EQ(exported->auditEntries[0].id, "audit-b");

  const bool toPostgres = std::string(GetParam().name) == "sqlite";
  std::unique_ptr<StoreEngine> other = toPostgres ? makePostgresEngine() : makeSqliteEngine();
  ASSERT_TRUE(other->prepare().isOk());
  auto target = other->open(2);
  ASSERT_TRUE(target.ok()) << target.status().message();
  const Status imported = (*target)->importAll(*exported);
  ASSERT_TRUE(imported.isOk()) << imported.message();
  auto back = (*target)->exportAll();
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(describe(*back), describe(*exported));
  EXPECT_EQ(back->users.size(), 2u);
  EXPECT_EQ(back->teamMembers.size(), 2u);
  ASSERT_EQ(back->invitations.size(), 2u);
  EXPECT_EQ(back->invitations[1].revokedAt, std::optional<UnixMillis>(16));
  auto session = (*target)->findRefreshToken("rt-1");
  ASSERT_TRUE(session.ok());
  EXPECT_FALSE(session->has_value());

  // The copy lists newest first with the same tie-break.
  LivestreamQuery q;
  q.projectId = "project-1";
  q.limit = 10;
  auto page = (*target)->listLivestreams(q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items[0].id, "ls-c");
  EXPECT_EQ(page->items[2].id, "ls-b");
  auto audit = (*target)->listAuditEntries(AuditQuery{});
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->items.size(), 2u);
  EXPECT_EQ(audit->items[0].id, "audit-a");  // the later insert first

  // A second import finds rows and writes nothing.
  const Status again = (*target)->importAll(*exported);
  EXPECT_EQ(again.code(), Code::kConflict);
  EXPECT_NE(again.message().find("not empty"), std::string::npos);
}

}  // namespace
LS_STORE_SUITE(SnapshotTest);
}  // namespace ls::testing
