#include "store/sqlite/migrations.hpp"

#include <array>
#include <string>

#include "store/sqlite/transaction.hpp"

namespace ls::sqlite {

namespace {

// Version 1: teams, projects, media servers, livestreams. Times are INTEGER
// UnixMillis; enums are their API spelling (core/model.cpp toString()).
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE teams (
  id         TEXT PRIMARY KEY NOT NULL,
  name       TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

CREATE TABLE projects (
  id           TEXT PRIMARY KEY NOT NULL,
  team_id      TEXT NOT NULL REFERENCES teams(id),
  name         TEXT NOT NULL,
  -- NULL while no key is set: an empty hash must never match a lookup.
  api_key_hash TEXT UNIQUE,
  abr_enabled  INTEGER NOT NULL CHECK (abr_enabled IN (0, 1)),
  created_at   INTEGER NOT NULL
);
CREATE INDEX projects_team_id ON projects(team_id);

CREATE TABLE media_servers (
  id               TEXT PRIMARY KEY NOT NULL,
  name             TEXT NOT NULL,
  type             TEXT NOT NULL CHECK (type IN ('EMBEDDED', 'ZLMEDIAKIT', 'MEDIAMTX')),
  rtmp_base_url    TEXT NOT NULL,
  hls_base_url     TEXT NOT NULL,
  -- Ordered [{"name": ..., "baseUrl": ...}]; order is the hlsSources order (SPEC).
  cdns_json        TEXT NOT NULL,
  hook_secret_hash TEXT,
  created_at       INTEGER NOT NULL
);

CREATE TABLE livestreams (
  id               TEXT PRIMARY KEY NOT NULL,
  project_id       TEXT NOT NULL REFERENCES projects(id),
  media_server_id  TEXT NOT NULL REFERENCES media_servers(id),
  name             TEXT NOT NULL,
  -- UNIQUE gives the index that publish lookups by stream key use.
  stream_key       TEXT NOT NULL UNIQUE,
  -- The stored phase; TOKEN_EXPIRED is derived at read time (core/lifecycle.hpp).
  phase            TEXT NOT NULL CHECK (phase IN ('READY_FOR_USE', 'STARTED', 'ENDED')),
  current_token_id TEXT NOT NULL,
  token_expires_at INTEGER NOT NULL,
  created_at       INTEGER NOT NULL,
  started_at       INTEGER,
  ended_at         INTEGER
);
-- The list query: per project, newest first, id as the tie-break.
CREATE INDEX livestreams_project_created ON livestreams(project_id, created_at DESC, id DESC);
-- endAllStartedLivestreams, and the foreign-key check of deleteMediaServer.
CREATE INDEX livestreams_media_server ON livestreams(media_server_id, phase);
)sql";

// Version 2: the row Store::probeWrite() rewrites. Its own table, so proving
// that a write commits (for /api/v1/health) touches no data and no index.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE write_probe (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  writes INTEGER NOT NULL
);
)sql";

// Version 3: external media nodes as managed nodes (their configuration,
// liveness and project assignments), what carried each publish, and the
// list index ordered by insertion within a millisecond (rowid, implicit).
constexpr const char* kSchemaV3 = R"sql(
ALTER TABLE media_servers ADD COLUMN hls_path_template TEXT NOT NULL DEFAULT '';
-- Comma-separated CIDR blocks / addresses whose hook calls need no secret.
ALTER TABLE media_servers ADD COLUMN hook_allow TEXT NOT NULL DEFAULT '';
ALTER TABLE media_servers ADD COLUMN remote_id TEXT NOT NULL DEFAULT '';
ALTER TABLE media_servers ADD COLUMN api_url TEXT NOT NULL DEFAULT '';
-- A credential LunarStream presents to the node, so it cannot be hashed.
ALTER TABLE media_servers ADD COLUMN api_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE media_servers ADD COLUMN last_seen_at INTEGER;
ALTER TABLE media_servers ADD COLUMN heartbeat_at INTEGER;
ALTER TABLE media_servers ADD COLUMN keepalive_interval_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE media_servers ADD COLUMN offline_since INTEGER;
ALTER TABLE media_servers ADD COLUMN last_hook_index INTEGER NOT NULL DEFAULT -1;

-- A server with no rows here is available to every project.
CREATE TABLE media_server_projects (
  media_server_id TEXT NOT NULL REFERENCES media_servers(id) ON DELETE CASCADE,
  project_id      TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  PRIMARY KEY (media_server_id, project_id)
);

ALTER TABLE livestreams ADD COLUMN publish_protocol TEXT NOT NULL DEFAULT '';
ALTER TABLE livestreams ADD COLUMN publish_sequence INTEGER;

-- Read backwards, (project_id, created_at, rowid) is newest first with the
-- later insert first among equal created_at.
DROP INDEX livestreams_project_created;
CREATE INDEX livestreams_project_created ON livestreams(project_id, created_at);
)sql";

// Version 4: push-token signing keys, shared by every process on the
// database (control/key_ring.hpp chooses the signer and the verifiers).
constexpr const char* kSchemaV4 = R"sql(
CREATE TABLE signing_keys (
  kid             TEXT PRIMARY KEY NOT NULL,
  -- Unencrypted PKCS#8 PEM: the database is as secret as the key (docs/operations.md).
  private_key_pem TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  activates_at    INTEGER NOT NULL,
  retires_at      INTEGER
);
)sql";

// Version 5: rate-limit counters every API process on one database adds to
// (api/shared_rate_limiter.hpp). One row per key and fixed window; rows of
// ended windows are purged (Store::purgeRateCounts) by window end.
constexpr const char* kSchemaV5 = R"sql(
CREATE TABLE rate_counters (
  key          TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  window_ms    INTEGER NOT NULL,
  count        INTEGER NOT NULL,
  PRIMARY KEY (key, window_start, window_ms)
);
CREATE INDEX rate_counters_window_end ON rate_counters(window_start + window_ms);
)sql";

// Version 6: per-project partner rate limits (both NULL = the configured
// defaults) and the audit log of administrative changes (control/audit_log.hpp).
constexpr const char* kSchemaV6 = R"sql(
ALTER TABLE projects ADD COLUMN rate_limit_per_minute INTEGER;
ALTER TABLE projects ADD COLUMN rate_limit_per_hour INTEGER;
CREATE TABLE audit_log (
  id           TEXT PRIMARY KEY NOT NULL,
  at           INTEGER NOT NULL,
  actor_type   TEXT NOT NULL CHECK (actor_type IN ('user', 'cli', 'api-key')),
  actor_id     TEXT NOT NULL,
  actor_label  TEXT NOT NULL,
  action       TEXT NOT NULL,
  team_id      TEXT NOT NULL,
  project_id   TEXT NOT NULL,
  target_type  TEXT NOT NULL,
  target_id    TEXT NOT NULL,
  details_json TEXT NOT NULL
);
-- Read backwards: newest first, the later insert first among equal times.
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_team_at ON audit_log(team_id, at);
)sql";

// Version 7: usage metering (core/usage.hpp). Rows name their project and
// livestream without a foreign key: deleting either keeps what was billed.
// usage_batches holds the ids of applied batches, so a resent batch adds
// nothing; ids older than a day are purged.
constexpr const char* kSchemaV7 = R"sql(
CREATE TABLE usage_counts (
  project_id    TEXT NOT NULL,
  bucket_start  INTEGER NOT NULL,
  livestream_id TEXT NOT NULL,
  metric        TEXT NOT NULL,
  dimension     TEXT NOT NULL,
  value         INTEGER NOT NULL CHECK (value >= 0),
  PRIMARY KEY (project_id, bucket_start, livestream_id, metric, dimension)
);
CREATE TABLE usage_batches (
  id         TEXT PRIMARY KEY NOT NULL,
  applied_at INTEGER NOT NULL
);
CREATE INDEX usage_batches_applied ON usage_batches(applied_at);
)sql";

// Version 8: dashboard users and their logins (control/session_service.hpp).
// A login is a session family: its refresh tokens form a chain (each refresh
// rotates to a new one); only SHA-256 hashes of refresh and CSRF tokens are
// stored. access_token_key holds the one HS256 key of access JWTs (id = 1).
constexpr const char* kSchemaV8 = R"sql(
CREATE TABLE users (
  id            TEXT PRIMARY KEY NOT NULL,
  -- Trimmed and lower-cased by control::UserService before it gets here.
  email         TEXT NOT NULL UNIQUE,
  -- argon2id PHC string (auth/password.hpp): parameters travel with the hash.
  password_hash TEXT NOT NULL,
  is_admin      INTEGER NOT NULL CHECK (is_admin IN (0, 1)),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

CREATE TABLE session_families (
  id         TEXT PRIMARY KEY NOT NULL,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_hash  TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX session_families_user_id ON session_families(user_id);

CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY NOT NULL,
  family_id  TEXT NOT NULL REFERENCES session_families(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  rotated_at INTEGER
);
CREATE INDEX refresh_tokens_family_id ON refresh_tokens(family_id);

CREATE TABLE access_token_key (
  id         INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
  secret     TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
)sql";

// Version 9: who belongs to which team, and in what role
// (control/team_policy.hpp). A deleted user leaves every team; a team is
// deleted with its memberships.
constexpr const char* kSchemaV9 = R"sql(
CREATE TABLE team_members (
  team_id    TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role       TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user_id ON team_members(user_id);

-- Invitations by email; the token itself is never stored, only its SHA-256.
CREATE TABLE team_invitations (
  id          TEXT PRIMARY KEY NOT NULL,
  team_id     TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  email       TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
  token_hash  TEXT NOT NULL UNIQUE,
  invited_by  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  accepted_at INTEGER,
  revoked_at  INTEGER
);
CREATE INDEX team_invitations_team_id ON team_invitations(team_id, created_at);
)sql";

// Version 10: partner webhooks (store/webhook_outbox.hpp). Endpoints go with
// their project; deliveries and attempts with their endpoint. Events name
// their project without a foreign key (a deleted project's events stay until
// purged; their deliveries went with its endpoints). webhook_sequences
// outlives the subjects it counts for (a deleted livestream keeps its number).
constexpr const char* kSchemaV10 = R"sql(
CREATE TABLE webhook_endpoints (
  id                         TEXT PRIMARY KEY NOT NULL,
  project_id                 TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  url                        TEXT NOT NULL,
  description                TEXT NOT NULL,
  -- A JSON array of event types; [] = every type.
  event_types_json           TEXT NOT NULL,
  enabled                    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  secret                     TEXT NOT NULL,
  previous_secret            TEXT NOT NULL,
  previous_secret_expires_at INTEGER,
  created_at                 INTEGER NOT NULL,
  updated_at                 INTEGER NOT NULL,
  failing_since              INTEGER,
  disabled_at                INTEGER,
  disabled_reason            TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_project ON webhook_endpoints(project_id, created_at);

CREATE TABLE webhook_events (
  id          TEXT PRIMARY KEY NOT NULL,
  project_id  TEXT NOT NULL,
  type        TEXT NOT NULL,
  subject_id  TEXT NOT NULL,
  sequence    INTEGER NOT NULL,
  occurred_at INTEGER NOT NULL,
  body        TEXT NOT NULL
);
CREATE INDEX webhook_events_project ON webhook_events(project_id, occurred_at);
CREATE INDEX webhook_events_occurred ON webhook_events(occurred_at);

CREATE TABLE webhook_deliveries (
  id              TEXT PRIMARY KEY NOT NULL,
  event_id        TEXT NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
  endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  -- The event's subject and sequence: one subject's events go out in order per endpoint.
  subject_id      TEXT NOT NULL,
  event_order     INTEGER NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
  attempts        INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  lease_owner     TEXT,
  lease_until     INTEGER,
  created_at      INTEGER NOT NULL,
  finished_at     INTEGER
);
-- Claim: pending and due, oldest first; and the order rule's lookup.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_order ON webhook_deliveries(endpoint_id, subject_id, event_order)
  WHERE state = 'pending';
CREATE INDEX webhook_deliveries_event ON webhook_deliveries(event_id);
CREATE INDEX webhook_deliveries_done ON webhook_deliveries(created_at) WHERE state <> 'pending';

-- The delivery log. delivery_id '' for a row of no delivery (an endpoint disabled).
CREATE TABLE webhook_attempts (
  id              INTEGER PRIMARY KEY,
  delivery_id     TEXT NOT NULL,
  endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  event_id        TEXT NOT NULL,
  event_type      TEXT NOT NULL,
  at              INTEGER NOT NULL,
  status          INTEGER NOT NULL,
  latency_ms      INTEGER NOT NULL,
  error           TEXT NOT NULL,
  response_prefix TEXT NOT NULL
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts(endpoint_id, at, id);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id);

CREATE TABLE webhook_sequences (
  subject_id    TEXT PRIMARY KEY NOT NULL,
  last_sequence INTEGER NOT NULL
);

-- The token whose expiry was announced (livestream.token_expired, once per token).
-- Tokens already expired at the upgrade are not announced.
ALTER TABLE livestreams ADD COLUMN token_expired_event_for TEXT;
UPDATE livestreams SET token_expired_event_for = current_token_id
  WHERE phase <> 'STARTED' AND token_expires_at <= CAST(strftime('%s', 'now') AS INTEGER) * 1000;
CREATE INDEX livestreams_token_expiry ON livestreams(token_expires_at)
  WHERE token_expired_event_for IS NOT current_token_id;
)sql";

// A claim reads each endpoint's due deliveries in claim order through this
// index, as many as it may take of that endpoint, instead of the whole backlog.
constexpr const char* kSchemaV11 = R"sql(
CREATE INDEX webhook_deliveries_endpoint_due
  ON webhook_deliveries(endpoint_id, next_attempt_at, created_at, event_order) WHERE state = 'pending';
)sql";

constexpr std::array<const char*, 11> kScripts = {kSchemaV1, kSchemaV2, kSchemaV3, kSchemaV4,
                                                  kSchemaV5, kSchemaV6, kSchemaV7, kSchemaV8,
                                                  kSchemaV9, kSchemaV10, kSchemaV11};

constexpr NamedSql kHasMigrationsTable{
    "read schema version", "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"};
constexpr NamedSql kMaxVersion{"read schema version", "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"};
constexpr NamedSql kRecordVersion{
    "record migration",
    "INSERT INTO schema_migrations(version, applied_at) VALUES (?1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"};

Result<std::int64_t> readSingleInt(Connection& conn, const NamedSql& q) {
  Result<StatementHandle> st = conn.prepare(q);
  if (!st.ok()) return st.status();
  Result<bool> row = conn.nextRow(*st);
  if (!row.ok()) return row.status();
  if (!*row) return internalError(std::string(q.name) + ": no row");
  return (*st)->int64(0);
}

Status refuseNewer(std::int64_t version) {
  return unavailable("database schema version " + std::to_string(version) + " is newer than this binary supports (" +
                     std::to_string(latestSchemaVersion()) + "); upgrade LunarStream or use a matching data directory");
}

}  // namespace

std::span<const char* const> migrationScripts() {
  return kScripts;
}

std::int64_t latestSchemaVersion() {
  return static_cast<std::int64_t>(kScripts.size());
}

Result<std::int64_t> readSchemaVersion(Connection& conn) {
  Result<std::int64_t> hasTable = readSingleInt(conn, kHasMigrationsTable);
  if (!hasTable.ok()) return hasTable.status();
  if (*hasTable == 0) return std::int64_t{0};
  return readSingleInt(conn, kMaxVersion);
}

Status migrate(Connection& conn) {
  // Usual case first, without the write lock: a server restart must not wait
  // for an admin CLI that is busy writing.
  Result<std::int64_t> seen = readSchemaVersion(conn);
  if (!seen.ok()) return seen.status();
  if (*seen > latestSchemaVersion()) return refuseNewer(*seen);
  if (*seen == latestSchemaVersion()) return Status::ok();

  for (;;) {
    Result<Transaction> txn = Transaction::begin(conn, Transaction::Kind::kWrite, "migrate schema");
    if (!txn.ok()) return txn.status();
    LS_RETURN_IF_ERROR(conn.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
        "create schema_migrations"));
    // Read again under the write lock: another process may have migrated meanwhile.
    Result<std::int64_t> version = readSchemaVersion(conn);
    if (!version.ok()) return version.status();
    if (*version > latestSchemaVersion()) return refuseNewer(*version);
    if (*version == latestSchemaVersion()) return txn->commit();

    const std::string what = "apply migration " + std::to_string(*version + 1);
    LS_RETURN_IF_ERROR(conn.exec(kScripts[static_cast<std::size_t>(*version)], what));
    Result<StatementHandle> record = conn.prepare(kRecordVersion);
    if (!record.ok()) return record.status();
    (*record)->bindInt64(1, *version + 1);
    LS_RETURN_IF_ERROR(conn.run(*record));
    LS_RETURN_IF_ERROR(txn->commit());
  }
}

Status checkSchemaIsLatest(Connection& conn) {
  Result<std::int64_t> version = readSchemaVersion(conn);
  if (!version.ok()) return version.status();
  if (*version > latestSchemaVersion()) return refuseNewer(*version);
  if (*version < latestSchemaVersion()) {
    return unavailable("database schema version " + std::to_string(*version) + " is older than this binary's (" +
                       std::to_string(latestSchemaVersion()) + ") and a read-only open cannot migrate it");
  }
  return Status::ok();
}

}  // namespace ls::sqlite
