// The scale-out Store: a PostgreSQL database shared by any number of
// LunarStream processes (API replicas, the admin CLI).
//
// Threading: every method may be called from any thread concurrently; each
// call borrows one pooled connection. Transitions that must not race take row
// locks (SELECT ... FOR UPDATE, or the UPDATE's own), so two processes see
// one order of events; a transaction that loses a deadlock or serialization
// race runs again a few times before the call answers kUnavailable. Calls
// block on the network: control-plane threads only, never a media loop
// (store/store.hpp).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string_view>

#include "store/store.hpp"
#include "store/webhook_emit.hpp"

namespace ls {

namespace postgres {
class Connection;
class ConnectionPool;
}  // namespace postgres

struct PostgresOptions {
  // How long opening a connection may take before the call fails with kUnavailable.
  std::chrono::milliseconds connectTimeout{5000};
  // statement_timeout of every connection: a statement (lock waits included)
  // running longer fails with kUnavailable.
  std::chrono::milliseconds statementTimeout{5000};
  // Connections opened at most (one per concurrent caller); callers beyond it wait.
  std::size_t maxConnections = 8;
  // How long a committed write (or probe) answers for probeWrite() without a
  // new probe; zero probes every time.
  std::chrono::milliseconds writeProbeCache{1000};
  // Runs of one transaction when it keeps losing deadlock or serialization races.
  int maxAttempts = 5;
};

class PostgresStore final : public Store {
 public:
  // `url` is anything libpq accepts: postgres://user:pass@host:port/db?... or
  // "host=... dbname=...". Connects once, brings the schema up to date (a
  // database from a newer binary is refused). Errors name the database
  // without its credentials.
  static Result<std::unique_ptr<PostgresStore>> open(std::string_view url, PostgresOptions options = {});
  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  // The applied schema version (for `lunarstream db status` and tests).
  Result<std::int64_t> schemaVersion();

  Status ping() override;
  Status probeWrite() override;

  Status addTeamMember(const TeamMember& member) override;
  Result<std::optional<TeamRole>> findTeamRole(std::string_view teamId, std::string_view userId) override;
  Result<std::vector<TeamMember>> listTeamMembers(std::string_view teamId) override;
  Result<std::vector<UserTeam>> listUserTeams(std::string_view userId) override;
  Result<Team> insertTeamWithOwner(const Team& team, const TeamMember& owner) override;
  Status setTeamMemberRole(std::string_view teamId, std::string_view userId, TeamRole role) override;
  Status removeTeamMember(std::string_view teamId, std::string_view userId) override;
  Status insertInvitation(const TeamInvitation& invitation) override;
  Result<std::optional<TeamInvitation>> findInvitationByTokenHash(std::string_view tokenHash) override;
  Result<std::vector<TeamInvitation>> listPendingInvitations(std::string_view teamId, UnixMillis now) override;
  Status revokeInvitation(std::string_view teamId, std::string_view invitationId, UnixMillis at) override;
  Status acceptInvitation(std::string_view invitationId, const std::optional<UserRecord>& newUser,
                          const TeamMember& member, UnixMillis at) override;
  Result<std::int64_t> purgeInvitations(UnixMillis before) override;

  Result<Team> insertTeam(const Team& team) override;
  Result<std::optional<Team>> findTeam(std::string_view id) override;
  Result<std::optional<Team>> findTeamByName(std::string_view name) override;
  Result<Project> insertProject(const Project& project) override;
  Result<std::optional<Project>> findProject(std::string_view id) override;
  Result<std::optional<Project>> findProjectByApiKeyHash(std::string_view apiKeyHash) override;
  Result<std::vector<Project>> listProjects() override;
  Status setProjectApiKeyHash(std::string_view projectId, std::string_view apiKeyHash) override;
  Status setProjectAbrEnabled(std::string_view projectId, bool enabled) override;
  Result<std::vector<Team>> listTeams() override;
  Status renameTeam(std::string_view teamId, std::string_view name) override;
  Status deleteTeam(std::string_view teamId) override;
  Result<std::vector<Project>> listProjectsOfTeam(std::string_view teamId) override;
  Status renameProject(std::string_view projectId, std::string_view name) override;
  Status setProjectRateLimit(std::string_view projectId, const std::optional<ProjectRateLimit>& limit) override;
  Status deleteProject(std::string_view projectId) override;
  Status insertAuditEntry(const AuditEntry& entry) override;
  Result<Page<AuditEntry>> listAuditEntries(const AuditQuery& query) override;

  Result<MediaServer> insertMediaServer(const MediaServer& server) override;
  Result<std::optional<MediaServer>> findMediaServer(std::string_view id) override;
  Result<std::vector<MediaServer>> listMediaServers() override;
  Status updateMediaServer(const MediaServer& server) override;
  Status deleteMediaServer(std::string_view id) override;
  Result<NodeContactOutcome> recordNodeContact(std::string_view mediaServerId, const NodeContact& contact) override;
  Result<std::optional<std::int64_t>> markNodeOffline(std::string_view mediaServerId, UnixMillis silentSince,
                                                      UnixMillis at) override;
  Result<std::vector<Livestream>> listStartedLivestreams(std::string_view mediaServerId) override;
  Result<std::vector<std::pair<std::string, std::int64_t>>> countStartedLivestreams() override;

  Result<Livestream> insertLivestream(const Livestream& livestream) override;
  Result<std::optional<Livestream>> findLivestream(std::string_view id) override;
  Result<std::optional<Livestream>> findLivestreamByStreamKey(std::string_view streamKey) override;
  Result<Page<Livestream>> listLivestreams(const LivestreamQuery& query) override;
  Status renameLivestream(std::string_view id, std::string_view name) override;
  Status replaceLivestreamToken(std::string_view id, std::string_view tokenId, UnixMillis expiresAt) override;
  Status moveLivestreamWithToken(std::string_view id, std::string_view mediaServerId, std::string_view tokenId,
                                 UnixMillis expiresAt) override;
  Status startLivestream(std::string_view id, std::string_view tokenId, UnixMillis at,
                         const PublishOrigin& origin) override;
  Status resumeLivestream(std::string_view id, UnixMillis at) override;
  Status endLivestream(std::string_view id, UnixMillis at) override;
  Result<std::int64_t> endAllStartedLivestreams(std::string_view mediaServerId, UnixMillis at) override;
  Status deleteLivestream(std::string_view id) override;

  Result<std::vector<SigningKeyRecord>> listSigningKeys() override;
  Status insertSigningKey(const SigningKeyRecord& key, const std::optional<SigningKeyRetirement>& retire) override;
  Result<bool> insertFirstSigningKey(const SigningKeyRecord& key) override;
  Status retireSigningKey(const SigningKeyRetirement& retirement) override;

  Result<UserRecord> insertUser(const UserRecord& user) override;
  Result<std::optional<UserRecord>> findUser(std::string_view id) override;
  Result<std::optional<UserRecord>> findUserByEmail(std::string_view email) override;
  Result<std::vector<UserRecord>> listUsers() override;
  Status setUserPasswordHash(std::string_view userId, std::string_view passwordHash, UnixMillis at,
                             bool revokeSessions) override;
  Status deleteUser(std::string_view userId) override;
  Status setUserAdmin(std::string_view userId, bool isAdmin, UnixMillis at) override;
  Status insertSession(const SessionFamilyRecord& family, const RefreshTokenRecord& token) override;
  Result<std::optional<RefreshTokenLookup>> findRefreshToken(std::string_view tokenHash) override;
  Result<RotationResult> rotateRefreshToken(const RefreshRotation& rotation) override;
  Result<std::optional<SessionUser>> findLiveSession(std::string_view familyId) override;
  Status revokeSessionFamily(std::string_view familyId, UnixMillis at) override;
  Result<std::int64_t> purgeExpiredSessions(UnixMillis before) override;
  Result<AccessTokenKeyRecord> ensureAccessTokenKey(const AccessTokenKeyRecord& candidate) override;

  Result<StoreSnapshot> exportAll() override;
  Status importAll(const StoreSnapshot& snapshot) override;
  Result<std::vector<std::int64_t>> addRateCounts(const std::vector<RateCountDelta>& deltas) override;
  Result<std::int64_t> purgeRateCounts(UnixMillis endedBy) override;
  Result<bool> applyUsageBatch(const usage::UsageBatch& batch, UnixMillis appliedAt) override;
  Result<std::vector<usage::UsageRow>> listUsage(std::string_view projectId, UnixMillis from, UnixMillis to) override;
  Result<std::int64_t> purgeUsageBatches(UnixMillis appliedBefore) override;

  // Webhooks (postgres_store_webhooks.cpp).
  void setWebhookRenderer(WebhookRenderer renderer) override;
  Result<WebhookEndpoint> insertWebhookEndpoint(const WebhookEndpoint& endpoint) override;
  Result<std::optional<WebhookEndpoint>> findWebhookEndpoint(std::string_view id) override;
  Result<std::vector<WebhookEndpoint>> listWebhookEndpoints(std::string_view projectId) override;
  Status updateWebhookEndpoint(std::string_view id, const WebhookEndpointPatch& patch, UnixMillis at) override;
  Status deleteWebhookEndpoint(std::string_view id) override;
  Status rotateWebhookSecret(std::string_view id, std::string_view newSecret, UnixMillis previousExpiresAt,
                             UnixMillis at) override;
  Status disableWebhookEndpoint(std::string_view id, std::string_view reason, UnixMillis at) override;
  Result<std::int64_t> emitTokenExpiredEvents(UnixMillis now) override;
  Result<std::vector<WebhookJob>> claimWebhookDeliveries(std::string_view workerId, UnixMillis now,
                                                         UnixMillis leaseUntil,
                                                         const WebhookClaimLimits& limits) override;
  Status finishWebhookAttempt(const WebhookAttemptResult& result) override;
  Result<WebhookDelivery> resendWebhookEvent(std::string_view eventId, std::string_view endpointId,
                                             UnixMillis at) override;
  Result<WebhookDelivery> insertWebhookTestEvent(std::string_view endpointId, const WebhookEvent& event) override;
  Result<std::optional<WebhookEvent>> findWebhookEvent(std::string_view id) override;
  Result<std::vector<WebhookEvent>> listWebhookEvents(std::string_view projectId, std::int64_t page,
                                                      std::int64_t limit) override;
  Result<std::vector<WebhookAttempt>> listWebhookAttempts(std::string_view endpointId, std::int64_t page,
                                                          std::int64_t limit) override;
  Result<WebhookBacklog> webhookBacklog() override;
  Result<std::int64_t> purgeWebhookHistory(UnixMillis before) override;

 private:
  using Work = std::function<Status(postgres::Connection&)>;
  enum class Txn {
    kWrite,     // READ COMMITTED with explicit row locks where a transition must not race
    kSnapshot,  // REPEATABLE READ, READ ONLY: one snapshot for several SELECTs
  };

  PostgresStore(std::unique_ptr<postgres::ConnectionPool> pool, const PostgresOptions& options);

  // Runs `work` on a pooled connection in autocommit mode (single statements).
  Status withConnection(const Work& work);
  // Runs `work` in a transaction; commits when it returns OK, else rolls
  // back. A deadlock or serialization failure runs it again (up to
  // maxAttempts), so `work` must start from scratch each time. `what` names
  // the operation in errors.
  Status withTransaction(const char* what, Txn kind, const Work& work);
  // Keeps lastWrite_ in step with the outcome of a write transaction.
  Status noteWrite(Status s, bool changedRows);

  // Webhook events of a change, written inside its transaction
  // (postgres_store_webhooks.cpp); nothing without a renderer.
  [[nodiscard]] bool emittingWebhooks() const { return webhooks_.active(); }
  Status emitLivestreamEvent(postgres::Connection& c, std::string_view type, std::string_view id, UnixMillis now);
  Status emitLivestreamEvent(postgres::Connection& c, std::string_view type, const Livestream& row, UnixMillis now);
  Status emitMediaServerEvent(postgres::Connection& c, std::string_view type, std::string_view id, UnixMillis now);
  Status emitEndedEvents(postgres::Connection& c, const std::vector<std::string>& ids, UnixMillis now);

  store::WebhookEmitter webhooks_;

  std::unique_ptr<postgres::ConnectionPool> pool_;
  const std::chrono::steady_clock::duration writeProbeCache_;
  const int maxAttempts_;
  // When a write last committed a change (steady clock, ns); kNoWrite after a
  // write failed with kUnavailable.
  static constexpr std::int64_t kNoWrite = std::numeric_limits<std::int64_t>::min();
  std::atomic<std::int64_t> lastWrite_{kNoWrite};
};

}  // namespace ls
