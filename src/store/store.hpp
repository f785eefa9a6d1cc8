// The Store: every durable fact of the control plane. One interface, two
// implementations behind it (sqlite/ for the embedded default, postgres/ for
// scale-out). Thread-safe; calls block on the database, so they run only on
// control-plane threads (API handlers, CLI, ingest decisions) and never on a
// loop that carries media.
//
// Conventions: a lookup that finds nothing returns an empty optional (not an
// error); a mutation of a row that does not exist (or an insert whose team,
// project or media server does not exist) returns kNotFound; a
// database that is locked, read-only or unreachable returns kUnavailable; a
// unique-constraint clash returns kConflict. Every mutation is one
// transaction: it either happens whole or not at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.hpp"
#include "core/status.hpp"
#include "core/time.hpp"
#include "core/usage.hpp"
#include "store/webhook_outbox.hpp"

namespace ls {

// One contact with an external node (Store::recordNodeContact).
struct NodeContact {
  UnixMillis at = 0;
  bool heartbeat = false;  // a periodic signal: keepalive, server-started, a successful poll
  bool started = false;    // the node says it has just started
  std::optional<std::int64_t> hookIndex;  // ZLMediaKit hook_index, when the call carried one
  std::int64_t keepaliveIntervalMs = 0;   // when the node told it; 0 leaves the stored value
};

struct NodeContactOutcome {
  bool cameOnline = false;       // it was OFFLINE
  bool restartDetected = false;  // started, or the hook sequence fell back
  std::int64_t endedLivestreams = 0;
};

// One key's requests in one fixed window, added to the count every API
// process on the database shares (Store::addRateCounts). delta may be 0 to
// read the total without adding.
struct RateCountDelta {
  std::string key;               // an API key's hash or a client address
  UnixMillis windowStart = 0;    // a multiple of windowMs
  std::int64_t windowMs = 0;
  std::int64_t delta = 0;        // >= 0
};

struct LivestreamQuery {
  std::string projectId;                   // one project, or
  std::vector<std::string> projectIds;     // several (the console); exactly one of the two is given
  std::int64_t page = 1;                   // 1-based
  std::int64_t limit = 10;                 // rows per page
  std::optional<LivestreamStatus> status;  // effective status, evaluated at `now`
  std::string search;                      // case-insensitive substring of name; empty = all
  UnixMillis now = 0;                      // for TOKEN_EXPIRED filtering
};

// A push-token signing key (SPEC §1). Which key signs and which verify at a
// given time is control/key_ring.hpp's rule; the store only keeps the rows.
// The private key is as secret as the database itself: never log it.
struct SigningKeyRecord {
  std::string kid;  // RFC 7638 thumbprint of the public key (auth::SigningKey::kid)
  std::string privateKeyPem;
  UnixMillis createdAt = 0;
  UnixMillis activatesAt = 0;            // may sign from then on (the newest such key does)
  std::optional<UnixMillis> retiresAt;  // verifies until then; nullopt = until retired
};

// Sets a key's retirement (Store::insertSigningKey, retireSigningKey): the
// earlier of its current retiresAt and `at`, so a retirement never moves later.
struct SigningKeyRetirement {
  std::string kid;
  UnixMillis at = 0;
};

// A dashboard user (control/user_service.hpp). The password hash is an
// argon2id PHC string; the password itself is never stored.
struct UserRecord {
  std::string id;
  std::string email;  // trimmed, lower-cased; unique
  std::string passwordHash;
  bool isAdmin = false;
  UnixMillis createdAt = 0;
  UnixMillis updatedAt = 0;
};

// One login ("session family"): every refresh token rotated from it shares
// its id, and revoking it ends them all (control/session_service.hpp).
struct SessionFamilyRecord {
  std::string id;
  std::string userId;
  std::string csrfHash;  // SHA-256 hex of the family's current CSRF token
  UnixMillis createdAt = 0;
  std::optional<UnixMillis> revokedAt;
};

// One refresh token of a family, by its SHA-256 hash (never the token).
struct RefreshTokenRecord {
  std::string tokenHash;
  std::string familyId;
  UnixMillis createdAt = 0;
  UnixMillis expiresAt = 0;
  std::optional<UnixMillis> rotatedAt;  // set once a refresh replaced it
};

struct RefreshTokenLookup {
  RefreshTokenRecord token;
  SessionFamilyRecord family;
};

// A family that is not revoked, with its user (one read per authenticated request).
struct SessionUser {
  SessionFamilyRecord family;
  UserRecord user;
};

// Store::rotateRefreshToken: replaces `oldTokenHash` by `next` (same family)
// and sets the family's CSRF hash, at `at`.
struct RefreshRotation {
  std::string oldTokenHash;
  RefreshTokenRecord next;  // familyId is taken from the old token
  std::string csrfHash;
  UnixMillis at = 0;
};

enum class RotationOutcome {
  kRotated,  // the old token is spent, `next` is the family's token now
  kUnknown,  // no such token
  kReused,   // the token had been rotated already: the family is now revoked
  kRevoked,  // the family was revoked (logout, reuse, password change)
  kExpired,  // the token's expiresAt has passed
};

struct RotationResult {
  RotationOutcome outcome = RotationOutcome::kUnknown;
  std::string familyId;  // empty for kUnknown
  std::string userId;    // empty for kUnknown
};

// The HS256 key of access tokens (auth/access_token.hpp): one per store,
// shared by every API process. base64url of 32 random bytes.
struct AccessTokenKeyRecord {
  std::string secret;
  UnixMillis createdAt = 0;
};

// A user's membership of a team. `email` is the user's, filled in by reads
// (ignored by addTeamMember).
struct TeamMember {
  std::string teamId;
  std::string userId;
  std::string email;
  TeamRole role = TeamRole::kViewer;
  UnixMillis createdAt = 0;
};

// A team a user belongs to, with their role in it.
struct UserTeam {
  Team team;
  TeamRole role = TeamRole::kViewer;
};

// An invitation to join a team (control/team_service.hpp). Only the token's
// SHA-256 is stored. Pending while not accepted, not revoked and not expired.
struct TeamInvitation {
  std::string id;
  std::string teamId;
  std::string email;  // normalized
  TeamRole role = TeamRole::kViewer;
  std::string tokenHash;
  std::string invitedBy;  // the inviting user's id; "" for the CLI
  UnixMillis createdAt = 0;
  UnixMillis expiresAt = 0;
  std::optional<UnixMillis> acceptedAt;
  std::optional<UnixMillis> revokedAt;
};

// Every row of a store, for moving it to another engine (`lunarstream db
// copy`): media servers with their project assignments and liveness,
// livestreams in insertion order, signing keys with their private keys.
struct StoreSnapshot {
  std::vector<Team> teams;
  std::vector<Project> projects;
  std::vector<MediaServer> mediaServers;
  std::vector<Livestream> livestreams;
  std::vector<SigningKeyRecord> signingKeys;
  // Oldest first (insertion order).
  std::vector<AuditEntry> auditEntries;
  // Billed usage, by (project, bucket, livestream, metric, dimension). Batch
  // ids are not copied: they only guard against a resend within a day.
  std::vector<usage::UsageRow> usage;
  // Team memberships (email filled in) and invitations, oldest first.
  std::vector<TeamMember> teamMembers;
  std::vector<TeamInvitation> invitations;
  // Users with their password hashes. Sessions and the access-token key are
  // not copied: after a copy every user logs in again.
  std::vector<UserRecord> users;
  // Webhook endpoints with their secrets and rotation state, oldest first.
  // Events, deliveries and attempts are not copied (src/store/README.md).
  std::vector<WebhookEndpoint> webhookEndpoints;
};

// Audit-log rows, newest first (at descending, then the later insert).
struct AuditQuery {
  std::string teamId;  // "" = every team (and the rows of no team)
  std::int64_t page = 1;
  std::int64_t limit = 50;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;  // rows matching the query, over all pages
};

// The webhook outbox (webhook_outbox.hpp) is part of every Store: its events
// are written by the Store's own mutations, in their transactions.
class Store : public WebhookOutbox {
 public:
  ~Store() override = default;

  // Cheap round trip to the database; kUnavailable when it cannot answer.
  virtual Status ping() = 0;
  // Whether a write commits now: a tiny write to a row of its own, in a
  // transaction; kUnavailable naming the cause (disk full, read-only, locked)
  // while writes fail. A read can succeed while every write fails, so health
  // checks call this too. Cheap enough to poll: a write that committed very
  // recently (SqliteOptions::writeProbeCache) answers for it; a failed write
  // never does, so the first probe after a failure writes again.
  virtual Status probeWrite() = 0;

  // Teams and projects.
  virtual Result<Team> insertTeam(const Team& team) = 0;
  virtual Result<std::optional<Team>> findTeam(std::string_view id) = 0;
  virtual Result<std::optional<Team>> findTeamByName(std::string_view name) = 0;
  virtual Result<Project> insertProject(const Project& project) = 0;
  virtual Result<std::optional<Project>> findProject(std::string_view id) = 0;
  virtual Result<std::optional<Project>> findProjectByApiKeyHash(std::string_view apiKeyHash) = 0;
  virtual Result<std::vector<Project>> listProjects() = 0;
  virtual Status setProjectApiKeyHash(std::string_view projectId, std::string_view apiKeyHash) = 0;
  // Whether the project's livestreams get the ABR ladder (original only when false).
  virtual Status setProjectAbrEnabled(std::string_view projectId, bool enabled) = 0;
  // Every team, oldest first.
  virtual Result<std::vector<Team>> listTeams() = 0;
  // kNotFound for an unknown team, kConflict for a name another team has.
  virtual Status renameTeam(std::string_view teamId, std::string_view name) = 0;
  // kNotFound for an unknown team; kConflict while it still has projects.
  virtual Status deleteTeam(std::string_view teamId) = 0;
  // The team's projects, oldest first (no check that the team exists).
  virtual Result<std::vector<Project>> listProjectsOfTeam(std::string_view teamId) = 0;
  virtual Status renameProject(std::string_view projectId, std::string_view name) = 0;
  // nullopt: back to the configured defaults.
  virtual Status setProjectRateLimit(std::string_view projectId, const std::optional<ProjectRateLimit>& limit) = 0;
  // Deletes the project with whatever livestreams it still has (callers
  // delete those first through LivestreamService, which cuts publishers) and
  // its media-server assignments, in one transaction. kNotFound when gone.
  virtual Status deleteProject(std::string_view projectId) = 0;

  // Audit log (control/audit_log.hpp). Append only: rows are never changed.
  virtual Status insertAuditEntry(const AuditEntry& entry) = 0;
  // kInvalidArgument for a page or limit below 1.
  virtual Result<Page<AuditEntry>> listAuditEntries(const AuditQuery& query) = 0;

  // Media servers, listed oldest first, with their project assignments and
  // liveness. insert/update write the configuration and the assignments
  // (kNotFound for an unknown project); liveness is written only by the node
  // methods below.
  virtual Result<MediaServer> insertMediaServer(const MediaServer& server) = 0;
  virtual Result<std::optional<MediaServer>> findMediaServer(std::string_view id) = 0;
  virtual Result<std::vector<MediaServer>> listMediaServers() = 0;
  virtual Status updateMediaServer(const MediaServer& server) = 0;
  // kConflict while any livestream still uses it.
  virtual Status deleteMediaServer(std::string_view id) = 0;

  // Node liveness (external media servers). One transaction each.
  // A call from the node or an answer to a poll, at contact.at: lastSeenAt
  // moves forward, a heartbeat also moves heartbeatAt, offlineSince clears.
  // The node restarted when contact.started says so (its server-started
  // hook) or its hook sequence fell back (NodeContact::hookIndex well below
  // the highest seen): then its STARTED livestreams become ENDED first.
  virtual Result<NodeContactOutcome> recordNodeContact(std::string_view mediaServerId, const NodeContact& contact) = 0;
  // Marks the node OFFLINE at `at` and ends its STARTED livestreams, unless
  // it was heard from after `silentSince` meanwhile or is OFFLINE already
  // (then nothing changes and the answer is nullopt). The number ended.
  virtual Result<std::optional<std::int64_t>> markNodeOffline(std::string_view mediaServerId, UnixMillis silentSince,
                                                             UnixMillis at) = 0;
  // STARTED livestreams of one media server, oldest start first.
  virtual Result<std::vector<Livestream>> listStartedLivestreams(std::string_view mediaServerId) = 0;
  // How many livestreams are STARTED on each media server (absent = none).
  virtual Result<std::vector<std::pair<std::string, std::int64_t>>> countStartedLivestreams() = 0;

  // Livestreams. A deleted livestream is gone: its id and key find nothing.
  virtual Result<Livestream> insertLivestream(const Livestream& livestream) = 0;
  virtual Result<std::optional<Livestream>> findLivestream(std::string_view id) = 0;
  virtual Result<std::optional<Livestream>> findLivestreamByStreamKey(std::string_view streamKey) = 0;
  // Newest first (createdAt descending, then the later insert). kInvalidArgument for an
  // empty projectId or a page/limit below 1.
  virtual Result<Page<Livestream>> listLivestreams(const LivestreamQuery& query) = 0;
  virtual Status renameLivestream(std::string_view id, std::string_view name) = 0;
  // Makes tokenId the only accepted push token. READY_FOR_USE follows unless
  // the stream is STARTED, which stays STARTED.
  virtual Status replaceLivestreamToken(std::string_view id, std::string_view tokenId, UnixMillis expiresAt) = 0;
  // Atomically moves a livestream that is not STARTED to mediaServerId and
  // makes tokenId its only push token (READY_FOR_USE): a publish racing the
  // move either lands first (then kConflict: live) or sees the new token
  // (its old one is refused). kNotFound if gone.
  virtual Status moveLivestreamWithToken(std::string_view id, std::string_view mediaServerId, std::string_view tokenId,
                                         UnixMillis expiresAt) = 0;
  // Atomically: kNotFound if gone; kPermissionDenied if tokenId is no longer
  // the current token; kConflict if already STARTED. Otherwise STARTED with
  // startedAt = at and endedAt cleared.
  // The origin's protocol and sequence are recorded with it.
  virtual Status startLivestream(std::string_view id, std::string_view tokenId, UnixMillis at,
                                 const PublishOrigin& origin) = 0;
  // A node reports a publisher of this livestream that LunarStream had not
  // recorded (a lost hook, or an end recorded while the node was
  // unreachable): STARTED again without a token check, keeping startedAt when
  // it has one. OK and no change when already STARTED; kNotFound when gone.
  virtual Status resumeLivestream(std::string_view id, UnixMillis at) = 0;
  // STARTED -> ENDED with endedAt = at; any other phase is left as is (OK);
  // kNotFound when the livestream is gone.
  virtual Status endLivestream(std::string_view id, UnixMillis at) = 0;
  // Every STARTED livestream of the given media server becomes ENDED (after a
  // restart nothing is live any more). Returns how many changed.
  virtual Result<std::int64_t> endAllStartedLivestreams(std::string_view mediaServerId, UnixMillis at) = 0;
  virtual Status deleteLivestream(std::string_view id) = 0;

  // Push-token signing keys. Every key, retired ones included, by
  // activatesAt then kid.
  virtual Result<std::vector<SigningKeyRecord>> listSigningKeys() = 0;
  // Adds `key` and, when `retire` is set, schedules that key's retirement in
  // the same transaction (kNotFound when it does not exist). kConflict for a
  // kid already stored.
  virtual Status insertSigningKey(const SigningKeyRecord& key, const std::optional<SigningKeyRetirement>& retire) = 0;
  // Adds `key` only when the store holds no key at all; true when it did.
  // Atomic across processes: of two first starts at once, one key stays.
  virtual Result<bool> insertFirstSigningKey(const SigningKeyRecord& key) = 0;
  // retiresAt becomes the earlier of its value and retirement.at; kNotFound
  // for an unknown kid.
  virtual Status retireSigningKey(const SigningKeyRetirement& retirement) = 0;

  // Users, listed oldest first. insertUser: kConflict for an email taken.
  virtual Result<UserRecord> insertUser(const UserRecord& user) = 0;
  virtual Result<std::optional<UserRecord>> findUser(std::string_view id) = 0;
  virtual Result<std::optional<UserRecord>> findUserByEmail(std::string_view email) = 0;
  virtual Result<std::vector<UserRecord>> listUsers() = 0;
  // Sets the hash and updatedAt = at (kNotFound for an unknown user); with
  // revokeSessions, every family of the user not yet revoked is revoked at
  // `at` in the same transaction.
  virtual Status setUserPasswordHash(std::string_view userId, std::string_view passwordHash, UnixMillis at,
                                     bool revokeSessions) = 0;
  // The user and every session of theirs; kNotFound when unknown; kConflict
  // (nothing written) when it would delete the last system administrator.
  virtual Status deleteUser(std::string_view userId) = 0;
  // Sets isAdmin and updatedAt = at. kNotFound for an unknown user; kConflict
  // (nothing written) when it would demote the last system administrator.
  virtual Status setUserAdmin(std::string_view userId, bool isAdmin, UnixMillis at) = 0;

  // Sessions. insertSession adds a family with its first refresh token
  // (kNotFound for an unknown user).
  virtual Status insertSession(const SessionFamilyRecord& family, const RefreshTokenRecord& token) = 0;
  virtual Result<std::optional<RefreshTokenLookup>> findRefreshToken(std::string_view tokenHash) = 0;
  // Atomic across processes: of two rotations of one token, exactly one is
  // kRotated; the other finds it spent, revokes the family (committed) and
  // answers kReused.
  virtual Result<RotationResult> rotateRefreshToken(const RefreshRotation& rotation) = 0;
  // The family with its user, unless it is revoked or gone (nullopt).
  virtual Result<std::optional<SessionUser>> findLiveSession(std::string_view familyId) = 0;
  // revokedAt = at unless already revoked (OK either way); kNotFound when unknown.
  virtual Status revokeSessionFamily(std::string_view familyId, UnixMillis at) = 0;
  // Drops refresh tokens that expired at or before `before`, and families
  // left without a token; how many tokens.
  virtual Result<std::int64_t> purgeExpiredSessions(UnixMillis before) = 0;
  // The stored access-token key; stores `candidate` first when there is none.
  // Atomic across processes: every caller gets the same key.
  virtual Result<AccessTokenKeyRecord> ensureAccessTokenKey(const AccessTokenKeyRecord& candidate) = 0;

  // Team members. addTeamMember: kNotFound for an unknown team or user,
  // kConflict when the user is a member already.
  virtual Status addTeamMember(const TeamMember& member) = 0;
  // The user's role in the team; nullopt when not a member (or either is unknown).
  virtual Result<std::optional<TeamRole>> findTeamRole(std::string_view teamId, std::string_view userId) = 0;
  // The team's members with their emails, oldest membership first.
  virtual Result<std::vector<TeamMember>> listTeamMembers(std::string_view teamId) = 0;
  // The user's teams with their role in each, oldest team first.
  virtual Result<std::vector<UserTeam>> listUserTeams(std::string_view userId) = 0;

  // The team and its first member (the creator, an owner) in one
  // transaction; kConflict for a name taken, kNotFound for an unknown user.
  virtual Result<Team> insertTeamWithOwner(const Team& team, const TeamMember& owner) = 0;
  // Both refuse atomically to leave a team without an owner (kConflict "A
  // team needs at least one owner"): of two concurrent demotions of a team's
  // last two owners, one succeeds. kNotFound when not a member.
  virtual Status setTeamMemberRole(std::string_view teamId, std::string_view userId, TeamRole role) = 0;
  virtual Status removeTeamMember(std::string_view teamId, std::string_view userId) = 0;

  // Invitations. insertInvitation: kNotFound for an unknown team.
  virtual Status insertInvitation(const TeamInvitation& invitation) = 0;
  virtual Result<std::optional<TeamInvitation>> findInvitationByTokenHash(std::string_view tokenHash) = 0;
  // The team's pending invitations at `now`, oldest first.
  virtual Result<std::vector<TeamInvitation>> listPendingInvitations(std::string_view teamId, UnixMillis now) = 0;
  // revokedAt = at; kNotFound unless pending at `at`.
  virtual Status revokeInvitation(std::string_view teamId, std::string_view invitationId, UnixMillis at) = 0;
  // In one transaction: the invitation, pending at `at` (kNotFound
  // otherwise), is accepted at `at`; `newUser` is inserted when given
  // (kConflict for an email taken); `member` joins (kConflict when a member already).
  virtual Status acceptInvitation(std::string_view invitationId, const std::optional<UserRecord>& newUser,
                                  const TeamMember& member, UnixMillis at) = 0;
  // Drops invitations that expired, or were accepted or revoked, before `before`; how many.
  virtual Result<std::int64_t> purgeInvitations(UnixMillis before) = 0;

  // Every row, read in one snapshot.
  virtual Result<StoreSnapshot> exportAll() = 0;
  // Writes every row of `snapshot`, exactly as given, in one transaction, into
  // a store that holds no team, project, media server, livestream, signing
  // key, audit entry, usage row or user (kConflict otherwise, and nothing is written).
  virtual Status importAll(const StoreSnapshot& snapshot) = 0;

  // Shared rate-limit counters (api/shared_rate_limiter.hpp). Adds every
  // delta to its (key, windowStart, windowMs) row, creating it at 0, in one
  // transaction, and returns the new totals in the order of `deltas`.
  // kInvalidArgument for a negative delta or a window that is not positive.
  virtual Result<std::vector<std::int64_t>> addRateCounts(const std::vector<RateCountDelta>& deltas) = 0;
  // Drops the rows of windows that ended at or before `endedBy`; how many.
  virtual Result<std::int64_t> purgeRateCounts(UnixMillis endedBy) = 0;

  // Usage metering (core/usage.hpp). Adds every row of the batch to its
  // (project, livestream, bucket, metric, dimension) total and records the
  // batch id, in one transaction: true when applied, false when that id was
  // applied before (nothing is added twice). kInvalidArgument for an empty
  // id, a negative value or a bucket that is not an hour's start. Usage rows
  // name projects and livestreams without referencing them: deleting either
  // keeps what was billed.
  virtual Result<bool> applyUsageBatch(const usage::UsageBatch& batch, UnixMillis appliedAt) = 0;
  // The rows of one project with from <= bucket start < to, by bucket, then
  // livestream, metric, dimension.
  virtual Result<std::vector<usage::UsageRow>> listUsage(std::string_view projectId, UnixMillis from,
                                                         UnixMillis to) = 0;
  // Forgets batch ids applied before `appliedBefore` (a resend older than
  // that would count again); how many.
  virtual Result<std::int64_t> purgeUsageBatches(UnixMillis appliedBefore) = 0;
};

}  // namespace ls
