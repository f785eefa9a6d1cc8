#include "store/postgres/migrations.hpp"

#include <array>
#include <string>

namespace ls::postgres {

namespace {

// Version 1: SQLite's schema version 3 in PostgreSQL types. Times are BIGINT
// UnixMillis (UTC); enums are their API spelling (core/model.cpp toString()).
// Identifiers compare and sort bytewise (COLLATE "C") as in SQLite, whatever
// the database's locale. livestreams.seq stands in for SQLite's rowid: the
// insertion order that breaks ties between equal created_at in lists.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE teams (
  id         TEXT COLLATE "C" PRIMARY KEY,
  name       TEXT COLLATE "C" NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);

CREATE TABLE projects (
  id           TEXT COLLATE "C" PRIMARY KEY,
  team_id      TEXT COLLATE "C" NOT NULL REFERENCES teams(id),
  name         TEXT NOT NULL,
  -- NULL while no key is set: an empty hash must never match a lookup.
  api_key_hash TEXT COLLATE "C" UNIQUE,
  abr_enabled  BOOLEAN NOT NULL,
  created_at   BIGINT NOT NULL
);
CREATE INDEX projects_team_id ON projects(team_id);

CREATE TABLE media_servers (
  id                    TEXT COLLATE "C" PRIMARY KEY,
  name                  TEXT NOT NULL,
  type                  TEXT NOT NULL CHECK (type IN ('EMBEDDED', 'ZLMEDIAKIT', 'MEDIAMTX')),
  rtmp_base_url         TEXT NOT NULL,
  hls_base_url          TEXT NOT NULL,
  -- Ordered [{"name": ..., "baseUrl": ...}]; order is the hlsSources order (SPEC).
  cdns_json             TEXT NOT NULL,
  hook_secret_hash      TEXT,
  created_at            BIGINT NOT NULL,
  hls_path_template     TEXT NOT NULL DEFAULT '',
  -- Comma-separated CIDR blocks / addresses whose hook calls need no secret.
  hook_allow            TEXT NOT NULL DEFAULT '',
  remote_id             TEXT NOT NULL DEFAULT '',
  api_url               TEXT NOT NULL DEFAULT '',
  -- A credential LunarStream presents to the node, so it cannot be hashed.
  api_secret            TEXT NOT NULL DEFAULT '',
  last_seen_at          BIGINT,
  heartbeat_at          BIGINT,
  keepalive_interval_ms BIGINT NOT NULL DEFAULT 0,
  offline_since         BIGINT,
  last_hook_index       BIGINT NOT NULL DEFAULT -1
);

-- A server with no rows here is available to every project.
CREATE TABLE media_server_projects (
  media_server_id TEXT COLLATE "C" NOT NULL REFERENCES media_servers(id) ON DELETE CASCADE,
  project_id      TEXT COLLATE "C" NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  PRIMARY KEY (media_server_id, project_id)
);

CREATE TABLE livestreams (
  seq              BIGSERIAL NOT NULL,
  id               TEXT COLLATE "C" PRIMARY KEY,
  project_id       TEXT COLLATE "C" NOT NULL REFERENCES projects(id),
  media_server_id  TEXT COLLATE "C" NOT NULL REFERENCES media_servers(id),
  name             TEXT NOT NULL,
  -- UNIQUE gives the index that publish lookups by stream key use.
  stream_key       TEXT COLLATE "C" NOT NULL UNIQUE,
  -- The stored phase; TOKEN_EXPIRED is derived at read time (core/lifecycle.hpp).
  phase            TEXT NOT NULL CHECK (phase IN ('READY_FOR_USE', 'STARTED', 'ENDED')),
  current_token_id TEXT NOT NULL,
  token_expires_at BIGINT NOT NULL,
  created_at       BIGINT NOT NULL,
  started_at       BIGINT,
  ended_at         BIGINT,
  publish_protocol TEXT NOT NULL DEFAULT '',
  publish_sequence BIGINT
);
-- The list query: per project, newest first, the later insert first among equals.
CREATE INDEX livestreams_project_created ON livestreams(project_id, created_at DESC, seq DESC);
-- endAllStartedLivestreams, and the foreign-key check of deleteMediaServer.
CREATE INDEX livestreams_media_server ON livestreams(media_server_id, phase);

-- The row Store::probeWrite() rewrites: proving that a write commits touches no data.
CREATE TABLE write_probe (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  writes BIGINT NOT NULL
);
)sql";

// Version 2: push-token signing keys, shared by every API process
// (control/key_ring.hpp chooses the signer and the verifiers).
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE signing_keys (
  kid             TEXT COLLATE "C" PRIMARY KEY,
  -- Unencrypted PKCS#8 PEM: the database is as secret as the key (docs/operations.md).
  private_key_pem TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  activates_at    BIGINT NOT NULL,
  retires_at      BIGINT
);
)sql";

// Version 3: SQLite's version 5, the shared rate-limit counters.
constexpr const char* kSchemaV3 = R"sql(
CREATE TABLE rate_counters (
  key          TEXT COLLATE "C" NOT NULL,
  window_start BIGINT NOT NULL,
  window_ms    BIGINT NOT NULL,
  count        BIGINT NOT NULL,
  PRIMARY KEY (key, window_start, window_ms)
);
CREATE INDEX rate_counters_window_end ON rate_counters((window_start + window_ms));
)sql";

// Version 4: SQLite's version 6, per-project rate limits and the audit log;
// seq stands in for SQLite's rowid as the tie-break among equal times.
constexpr const char* kSchemaV4 = R"sql(
ALTER TABLE projects ADD COLUMN rate_limit_per_minute BIGINT;
ALTER TABLE projects ADD COLUMN rate_limit_per_hour BIGINT;
CREATE TABLE audit_log (
  seq          BIGSERIAL NOT NULL,
  id           TEXT COLLATE "C" PRIMARY KEY NOT NULL,
  at           BIGINT NOT NULL,
  actor_type   TEXT COLLATE "C" NOT NULL CHECK (actor_type IN ('user', 'cli', 'api-key')),
  actor_id     TEXT COLLATE "C" NOT NULL,
  actor_label  TEXT COLLATE "C" NOT NULL,
  action       TEXT COLLATE "C" NOT NULL,
  team_id      TEXT COLLATE "C" NOT NULL,
  project_id   TEXT COLLATE "C" NOT NULL,
  target_type  TEXT COLLATE "C" NOT NULL,
  target_id    TEXT COLLATE "C" NOT NULL,
  details_json TEXT COLLATE "C" NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at DESC, seq DESC);
CREATE INDEX audit_log_team_at ON audit_log(team_id, at DESC, seq DESC);
)sql";

// Version 5: SQLite's version 7, usage metering (no foreign keys: deleting a
// project or livestream keeps what was billed).
constexpr const char* kSchemaV5 = R"sql(
CREATE TABLE usage_counts (
  project_id    TEXT COLLATE "C" NOT NULL,
  bucket_start  BIGINT NOT NULL,
  livestream_id TEXT COLLATE "C" NOT NULL,
  metric        TEXT COLLATE "C" NOT NULL,
  dimension     TEXT COLLATE "C" NOT NULL,
  value         BIGINT NOT NULL CHECK (value >= 0),
  PRIMARY KEY (project_id, bucket_start, livestream_id, metric, dimension)
);
CREATE TABLE usage_batches (
  id         TEXT COLLATE "C" PRIMARY KEY,
  applied_at BIGINT NOT NULL
);
CREATE INDEX usage_batches_applied ON usage_batches(applied_at);
)sql";

// Version 6: SQLite's version 8, users, session families, refresh tokens
// and the access-token key.
constexpr const char* kSchemaV6 = R"sql(
CREATE TABLE users (
  id            TEXT COLLATE "C" PRIMARY KEY,
  email         TEXT COLLATE "C" NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  is_admin      BOOLEAN NOT NULL,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);

CREATE TABLE session_families (
  id         TEXT COLLATE "C" PRIMARY KEY,
  user_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_hash  TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX session_families_user_id ON session_families(user_id);

CREATE TABLE refresh_tokens (
  token_hash TEXT COLLATE "C" PRIMARY KEY,
  family_id  TEXT COLLATE "C" NOT NULL REFERENCES session_families(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  rotated_at BIGINT
);
CREATE INDEX refresh_tokens_family_id ON refresh_tokens(family_id);

CREATE TABLE access_token_key (
  id         BIGINT PRIMARY KEY CHECK (id = 1),
  secret     TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
)sql";

// Version 7: SQLite's version 9, team memberships.
constexpr const char* kSchemaV7 = R"sql(
CREATE TABLE team_members (
  team_id    TEXT COLLATE "C" NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  user_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role       TEXT COLLATE "C" NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user_id ON team_members(user_id);

CREATE TABLE team_invitations (
  id          TEXT COLLATE "C" PRIMARY KEY,
  team_id     TEXT COLLATE "C" NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  email       TEXT COLLATE "C" NOT NULL,
  role        TEXT COLLATE "C" NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
  token_hash  TEXT COLLATE "C" NOT NULL UNIQUE,
  invited_by  TEXT COLLATE "C" NOT NULL,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL,
  accepted_at BIGINT,
  revoked_at  BIGINT
);
CREATE INDEX team_invitations_team_id ON team_invitations(team_id, created_at);
)sql";

// Version 8: SQLite's version 10 (partner webhooks). seq columns stand in for
// SQLite's rowid where lists break ties by insertion order.
constexpr const char* kSchemaV8 = R"sql(
CREATE TABLE webhook_endpoints (
  seq                        BIGSERIAL NOT NULL,
  id                         TEXT COLLATE "C" PRIMARY KEY,
  project_id                 TEXT COLLATE "C" NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  url                        TEXT NOT NULL,
  description                TEXT NOT NULL,
  event_types_json           TEXT NOT NULL,
  enabled                    BOOLEAN NOT NULL,
  secret                     TEXT NOT NULL,
  previous_secret            TEXT NOT NULL,
  previous_secret_expires_at BIGINT,
  created_at                 BIGINT NOT NULL,
  updated_at                 BIGINT NOT NULL,
  failing_since              BIGINT,
  disabled_at                BIGINT,
  disabled_reason            TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_project ON webhook_endpoints(project_id, created_at);

CREATE TABLE webhook_events (
  seq         BIGSERIAL NOT NULL,
  id          TEXT COLLATE "C" PRIMARY KEY,
  project_id  TEXT COLLATE "C" NOT NULL,
  type        TEXT COLLATE "C" NOT NULL,
  subject_id  TEXT COLLATE "C" NOT NULL,
  sequence    BIGINT NOT NULL,
  occurred_at BIGINT NOT NULL,
  body        TEXT NOT NULL
);
CREATE INDEX webhook_events_project ON webhook_events(project_id, occurred_at);
CREATE INDEX webhook_events_occurred ON webhook_events(occurred_at);

CREATE TABLE webhook_deliveries (
  seq             BIGSERIAL NOT NULL,
  id              TEXT COLLATE "C" PRIMARY KEY,
  event_id        TEXT COLLATE "C" NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
  endpoint_id     TEXT COLLATE "C" NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  subject_id      TEXT COLLATE "C" NOT NULL,
  event_order     BIGINT NOT NULL,
  state           TEXT COLLATE "C" NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
  attempts        BIGINT NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  lease_owner     TEXT COLLATE "C",
  lease_until     BIGINT,
  created_at      BIGINT NOT NULL,
  finished_at     BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_order ON webhook_deliveries(endpoint_id, subject_id, event_order)
  WHERE state = 'pending';
CREATE INDEX webhook_deliveries_event ON webhook_deliveries(event_id);
CREATE INDEX webhook_deliveries_done ON webhook_deliveries(created_at) WHERE state <> 'pending';

CREATE TABLE webhook_attempts (
  seq             BIGSERIAL PRIMARY KEY,
  delivery_id     TEXT COLLATE "C" NOT NULL,
  endpoint_id     TEXT COLLATE "C" NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  event_id        TEXT COLLATE "C" NOT NULL,
  event_type      TEXT COLLATE "C" NOT NULL,
  at              BIGINT NOT NULL,
  status          BIGINT NOT NULL,
  latency_ms      BIGINT NOT NULL,
  error           TEXT NOT NULL,
  response_prefix TEXT NOT NULL
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts(endpoint_id, at, seq);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id);

CREATE TABLE webhook_sequences (
  subject_id    TEXT COLLATE "C" PRIMARY KEY,
  last_sequence BIGINT NOT NULL
);

ALTER TABLE livestreams ADD COLUMN token_expired_event_for TEXT COLLATE "C";
UPDATE livestreams SET token_expired_event_for = current_token_id
  WHERE phase <> 'STARTED' AND token_expires_at <= (extract(epoch FROM now()) * 1000)::bigint;
CREATE INDEX livestreams_token_expiry ON livestreams(token_expires_at)
  WHERE token_expired_event_for IS DISTINCT FROM current_token_id;
)sql";

// A claim reads each endpoint's due deliveries in claim order through this
// index, as many as it may take of that endpoint, instead of the whole backlog.
constexpr const char* kSchemaV9 = R"sql(
CREATE INDEX webhook_deliveries_endpoint_due
  ON webhook_deliveries(endpoint_id, next_attempt_at, created_at, event_order, seq) WHERE state = 'pending';
)sql";

constexpr std::array<const char*, 9> kScripts = {kSchemaV1, kSchemaV2, kSchemaV3, kSchemaV4, kSchemaV5,
                                                 kSchemaV6, kSchemaV7, kSchemaV8, kSchemaV9};

// Any constant distinct from other users of advisory locks in the database;
// "LSMIGRAT" in ASCII.
constexpr const char* kLockMigrations = "SELECT pg_advisory_xact_lock(5499303159839343956)";
constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)";
constexpr NamedSql kHasMigrationsTable{"read schema version", "SELECT to_regclass('schema_migrations') IS NOT NULL"};
constexpr NamedSql kMaxVersion{"read schema version", "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"};
constexpr NamedSql kRecordVersion{"record migration",
                                  "INSERT INTO schema_migrations (version, applied_at) VALUES ($1::bigint, now())"};

Status refuseNewer(std::int64_t version) {
  return unavailable("database schema version " + std::to_string(version) + " is newer than this binary supports (" +
                     std::to_string(latestSchemaVersion()) + "); upgrade LunarStream or use a matching database");
}

Status rollback(Connection& conn, Status s) {
  if (conn.inTransaction()) (void)conn.exec("ROLLBACK", "rollback migration");
  return s;
}

}  // namespace

std::span<const char* const> migrationScripts() {
  return kScripts;
}

std::int64_t latestSchemaVersion() {
  return static_cast<std::int64_t>(kScripts.size());
}

Result<std::int64_t> readSchemaVersion(Connection& conn) {
  Result<PgResult> has = conn.run(kHasMigrationsTable, {});
  if (!has.ok()) return has.status();
  if (!has->boolean(0, 0)) return std::int64_t{0};
  Result<PgResult> max = conn.run(kMaxVersion, {});
  if (!max.ok()) return max.status();
  return max->int64(0, 0);
}

Status migrate(Connection& conn) {
  // Usual case first, without the lock: a restart must not queue behind
  // another process's migration of a database that is already current.
  Result<std::int64_t> seen = readSchemaVersion(conn);
  if (!seen.ok()) return seen.status();
  if (*seen > latestSchemaVersion()) return refuseNewer(*seen);
  if (*seen == latestSchemaVersion()) return Status::ok();

  if (Result<PgResult> begin = conn.exec("BEGIN", "migrate schema"); !begin.ok()) return begin.status();
  if (Result<PgResult> lock = conn.exec(kLockMigrations, "lock migrations"); !lock.ok()) {
    return rollback(conn, lock.status());
  }
  if (Result<PgResult> create = conn.exec(kCreateMigrationsTable, "create schema_migrations"); !create.ok()) {
    return rollback(conn, create.status());
  }
  // Read again under the lock: another process may have migrated meanwhile.
  Result<std::int64_t> version = readSchemaVersion(conn);
  if (!version.ok()) return rollback(conn, version.status());
  if (*version > latestSchemaVersion()) return rollback(conn, refuseNewer(*version));
  for (std::int64_t v = *version; v < latestSchemaVersion(); ++v) {
    const std::string what = "apply migration " + std::to_string(v + 1);
    Result<PgResult> applied = conn.exec(kScripts[static_cast<std::size_t>(v)], what);
    if (!applied.ok()) return rollback(conn, applied.status());
    Params p;
    p.int64(v + 1);
    Result<PgResult> recorded = conn.run(kRecordVersion, p);
    if (!recorded.ok()) return rollback(conn, recorded.status());
  }
  Result<PgResult> commit = conn.exec("COMMIT", "migrate schema");
  return commit.ok() ? Status::ok() : rollback(conn, commit.status());
}

}  // namespace ls::postgres
