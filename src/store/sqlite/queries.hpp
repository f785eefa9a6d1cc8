// Every statement SqliteStore runs, by name. Each is prepared once per
// connection (Connection::prepare caches by address). Column lists match the
// readers in rows.hpp.
#pragma once

#include "store/sqlite/statement.hpp"

namespace ls::sqlite::sql {

inline constexpr NamedSql kPing{"ping", "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"};
// Always changes the row (a counter), so the commit has a page to write.
inline constexpr NamedSql kProbeWrite{
    "probe write",
    "INSERT INTO write_probe (id, writes) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET writes = writes + 1"};

// Teams: id, name, created_at.
inline constexpr NamedSql kInsertTeam{"insert team", "INSERT INTO teams (id, name, created_at) VALUES (?1, ?2, ?3)"};
inline constexpr NamedSql kFindTeam{"find team", "SELECT id, name, created_at FROM teams WHERE id = ?1"};
inline constexpr NamedSql kFindTeamByName{"find team by name",
                                          "SELECT id, name, created_at FROM teams WHERE name = ?1"};
inline constexpr NamedSql kTeamExists{"check team", "SELECT 1 FROM teams WHERE id = ?1"};

// Projects: id, team_id, name, api_key_hash, abr_enabled, created_at,
// rate_limit_per_minute, rate_limit_per_hour (both NULL = the defaults).
#define LS_PROJECT_COLUMNS \
  "id, team_id, name, api_key_hash, abr_enabled, created_at, rate_limit_per_minute, rate_limit_per_hour "
inline constexpr NamedSql kInsertProject{
    "insert project",
    "INSERT INTO projects (id, team_id, name, api_key_hash, abr_enabled, created_at, rate_limit_per_minute, "
    "rate_limit_per_hour) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"};
inline constexpr NamedSql kFindProject{"find project", "SELECT " LS_PROJECT_COLUMNS "FROM projects WHERE id = ?1"};
inline constexpr NamedSql kFindProjectByApiKeyHash{
    "find project by api key", "SELECT " LS_PROJECT_COLUMNS "FROM projects WHERE api_key_hash = ?1"};
inline constexpr NamedSql kListProjects{"list projects",
                                        "SELECT " LS_PROJECT_COLUMNS "FROM projects ORDER BY created_at, id"};
inline constexpr NamedSql kListProjectsOfTeam{
    "list projects of team", "SELECT " LS_PROJECT_COLUMNS "FROM projects WHERE team_id = ?1 ORDER BY created_at, id"};
#undef LS_PROJECT_COLUMNS
inline constexpr NamedSql kSetProjectApiKeyHash{"set project api key",
                                                "UPDATE projects SET api_key_hash = ?2 WHERE id = ?1"};
inline constexpr NamedSql kSetProjectAbrEnabled{"set project abr",
                                                "UPDATE projects SET abr_enabled = ?2 WHERE id = ?1"};
inline constexpr NamedSql kRenameProject{"rename project", "UPDATE projects SET name = ?2 WHERE id = ?1"};
inline constexpr NamedSql kSetProjectRateLimit{
    "set project rate limit",
    "UPDATE projects SET rate_limit_per_minute = ?2, rate_limit_per_hour = ?3 WHERE id = ?1"};
inline constexpr NamedSql kDeleteProjectLivestreams{"delete project livestreams",
                                                    "DELETE FROM livestreams WHERE project_id = ?1"};
// media_server_projects rows go with it (ON DELETE CASCADE).
inline constexpr NamedSql kDeleteProject{"delete project", "DELETE FROM projects WHERE id = ?1"};
inline constexpr NamedSql kRenameTeam{"rename team", "UPDATE teams SET name = ?2 WHERE id = ?1"};
inline constexpr NamedSql kTeamHasProjects{"check team projects", "SELECT 1 FROM projects WHERE team_id = ?1 LIMIT 1"};
inline constexpr NamedSql kDeleteTeam{"delete team", "DELETE FROM teams WHERE id = ?1"};

// Audit log (rows.cpp readAuditEntry), newest first: read backwards by at, then rowid.
#define LS_AUDIT_COLUMNS                                                                                   \
  "id, at, actor_type, actor_id, actor_label, action, team_id, project_id, target_type, target_id, " \
  "details_json "
inline constexpr NamedSql kInsertAuditEntry{
    "insert audit entry",
    "INSERT INTO audit_log (id, at, actor_type, actor_id, actor_label, action, team_id, project_id, target_type, "
    "target_id, details_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"};
inline constexpr NamedSql kCountAuditEntries{"count audit entries",
                                             "SELECT count(*) FROM audit_log WHERE (?1 = '' OR team_id = ?1)"};
inline constexpr NamedSql kListAuditEntries{
    "list audit entries",
    "SELECT " LS_AUDIT_COLUMNS "FROM audit_log WHERE (?1 = '' OR team_id = ?1) "
    "ORDER BY at DESC, rowid DESC LIMIT ?2 OFFSET ?3"};
inline constexpr NamedSql kListAllAuditEntries{"list all audit entries",
                                               "SELECT " LS_AUDIT_COLUMNS "FROM audit_log ORDER BY rowid"};
#undef LS_AUDIT_COLUMNS
inline constexpr NamedSql kProjectExists{"check project", "SELECT 1 FROM projects WHERE id = ?1"};

// Media servers: the configuration, then the liveness (rows.cpp readMediaServer).
#define LS_MEDIA_SERVER_COLUMNS                                                                                 \
  "id, name, type, rtmp_base_url, hls_base_url, cdns_json, hook_secret_hash, created_at, hls_path_template, " \
  "hook_allow, remote_id, api_url, api_secret, last_seen_at, heartbeat_at, keepalive_interval_ms, "          \
  "offline_since, last_hook_index "
inline constexpr NamedSql kInsertMediaServer{
    "insert media server",
    "INSERT INTO media_servers (id, name, type, rtmp_base_url, hls_base_url, cdns_json, hook_secret_hash, "
    "hls_path_template, hook_allow, remote_id, api_url, api_secret, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"};
inline constexpr NamedSql kFindMediaServer{"find media server",
                                           "SELECT " LS_MEDIA_SERVER_COLUMNS "FROM media_servers WHERE id = ?1"};
inline constexpr NamedSql kListMediaServers{"list media servers",
                                            "SELECT " LS_MEDIA_SERVER_COLUMNS "FROM media_servers ORDER BY created_at, id"};
#undef LS_MEDIA_SERVER_COLUMNS
inline constexpr NamedSql kUpdateMediaServer{
    "update media server",
    "UPDATE media_servers SET name = ?2, type = ?3, rtmp_base_url = ?4, hls_base_url = ?5, cdns_json = ?6, "
    "hook_secret_hash = ?7, hls_path_template = ?8, hook_allow = ?9, remote_id = ?10, api_url = ?11, "
    "api_secret = ?12 WHERE id = ?1"};
// Project assignments: every row, or one server's, ordered for a stable output.
inline constexpr NamedSql kListMediaServerProjects{
    "list media server projects",
    "SELECT media_server_id, project_id FROM media_server_projects ORDER BY media_server_id, project_id"};
inline constexpr NamedSql kFindMediaServerProjects{
    "find media server projects",
    "SELECT media_server_id, project_id FROM media_server_projects WHERE media_server_id = ?1 ORDER BY project_id"};
inline constexpr NamedSql kClearMediaServerProjects{"clear media server projects",
                                                    "DELETE FROM media_server_projects WHERE media_server_id = ?1"};
inline constexpr NamedSql kAddMediaServerProject{
    "assign media server project", "INSERT INTO media_server_projects (media_server_id, project_id) VALUES (?1, ?2)"};
// Liveness: read under the write lock, then written whole.
inline constexpr NamedSql kReadNodeLiveness{
    "read node liveness",
    "SELECT last_seen_at, heartbeat_at, keepalive_interval_ms, offline_since, last_hook_index "
    "FROM media_servers WHERE id = ?1"};
inline constexpr NamedSql kWriteNodeLiveness{
    "record node contact",
    "UPDATE media_servers SET last_seen_at = ?2, heartbeat_at = ?3, keepalive_interval_ms = ?4, offline_since = ?5, "
    "last_hook_index = ?6 WHERE id = ?1"};
// Conditional: only a node that is not OFFLINE and has not been heard from since ?2.
inline constexpr NamedSql kMarkNodeOffline{
    "mark node offline",
    "UPDATE media_servers SET offline_since = ?3 WHERE id = ?1 AND offline_since IS NULL "
    "AND (last_seen_at IS NULL OR last_seen_at <= ?2)"};
inline constexpr NamedSql kMediaServerExists{"check media server", "SELECT 1 FROM media_servers WHERE id = ?1"};
inline constexpr NamedSql kMediaServerInUse{"check media server use",
                                            "SELECT 1 FROM livestreams WHERE media_server_id = ?1 LIMIT 1"};
inline constexpr NamedSql kDeleteMediaServer{"delete media server", "DELETE FROM media_servers WHERE id = ?1"};

// Livestreams: id, project_id, media_server_id, name, stream_key, phase,
// current_token_id, token_expires_at, created_at, started_at, ended_at,
// publish_protocol, publish_sequence.
inline constexpr NamedSql kInsertLivestream{
    "insert livestream",
    "INSERT INTO livestreams (id, project_id, media_server_id, name, stream_key, phase, current_token_id, "
    "token_expires_at, created_at, started_at, ended_at, publish_protocol, publish_sequence) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"};
inline constexpr NamedSql kFindLivestream{
    "find livestream",
    "SELECT id, project_id, media_server_id, name, stream_key, phase, current_token_id, token_expires_at, "
    "created_at, started_at, ended_at, publish_protocol, publish_sequence FROM livestreams WHERE id = ?1"};
inline constexpr NamedSql kFindLivestreamByStreamKey{
    "find livestream by stream key",
    "SELECT id, project_id, media_server_id, name, stream_key, phase, current_token_id, token_expires_at, "
    "created_at, started_at, ended_at, publish_protocol, publish_sequence FROM livestreams WHERE stream_key = ?1"};

// The list filter, shared by the page and its total. ?1 project; ?2 LIKE
// pattern or NULL; ?3/?4 accepted phases or NULL (no status filter); ?5 expiry
// rule (0 any, 1 token not expired, 2 expired) at time ?6. Mirrors
// statusFilterFor() in core/lifecycle.hpp.
#define LS_LIVESTREAM_LIST_FILTER                 \
  " AND (?2 IS NULL OR name LIKE ?2 ESCAPE '\\')" \
  " AND (?3 IS NULL OR phase = ?3 OR phase = ?4)" \
  " AND (?5 = 0 OR (?5 = 1 AND token_expires_at > ?6) OR (?5 = 2 AND token_expires_at <= ?6))"
#define LS_LIVESTREAM_LIST_WHERE " WHERE project_id = ?1" LS_LIVESTREAM_LIST_FILTER
// The administration API's list across projects: ?1 is a JSON array of
// project ids; each id seeks the (project_id, created_at) index.
#define LS_LIVESTREAMS_OF_PROJECTS_WHERE \
  " WHERE project_id IN (SELECT value FROM json_each(?1))" LS_LIVESTREAM_LIST_FILTER
// Livestreams created in the same millisecond keep their creation order: the
// implicit rowid grows with each insert (max + 1), where the random UUID would
// shuffle them.
inline constexpr NamedSql kListLivestreams{
    "list livestreams",
    "SELECT id, project_id, media_server_id, name, stream_key, phase, current_token_id, token_expires_at, "
    "created_at, started_at, ended_at, publish_protocol, publish_sequence FROM livestreams" LS_LIVESTREAM_LIST_WHERE
    " ORDER BY created_at DESC, rowid DESC LIMIT ?7 OFFSET ?8"};
inline constexpr NamedSql kCountLivestreams{"count livestreams",
                                            "SELECT COUNT(*) FROM livestreams" LS_LIVESTREAM_LIST_WHERE};
inline constexpr NamedSql kListLivestreamsOfProjects{
    "list livestreams of projects",
    "SELECT id, project_id, media_server_id, name, stream_key, phase, current_token_id, token_expires_at, "
    "created_at, started_at, ended_at, publish_protocol, publish_sequence FROM livestreams" LS_LIVESTREAMS_OF_PROJECTS_WHERE
    " ORDER BY created_at DESC, rowid DESC LIMIT ?7 OFFSET ?8"};
inline constexpr NamedSql kCountLivestreamsOfProjects{
    "count livestreams of projects", "SELECT COUNT(*) FROM livestreams" LS_LIVESTREAMS_OF_PROJECTS_WHERE};
#undef LS_LIVESTREAMS_OF_PROJECTS_WHERE
#undef LS_LIVESTREAM_LIST_WHERE
#undef LS_LIVESTREAM_LIST_FILTER

inline constexpr NamedSql kRenameLivestream{"rename livestream", "UPDATE livestreams SET name = ?2 WHERE id = ?1"};
// STARTED stays STARTED (the live publisher keeps going); anything else is
// READY_FOR_USE again (SPEC §2: a new push token).
inline constexpr NamedSql kReplaceLivestreamToken{
    "replace push token",
    "UPDATE livestreams SET current_token_id = ?2, token_expires_at = ?3, "
    "phase = CASE phase WHEN 'STARTED' THEN 'STARTED' ELSE 'READY_FOR_USE' END WHERE id = ?1"};
// Conditional: changes nothing while the stream is live.
inline constexpr NamedSql kMoveLivestreamWithToken{
    "move livestream",
    "UPDATE livestreams SET media_server_id = ?2, current_token_id = ?3, token_expires_at = ?4, "
    "phase = 'READY_FOR_USE' WHERE id = ?1 AND phase <> 'STARTED'"};
// Conditional: changes nothing unless the token is current and the stream is not live.
inline constexpr NamedSql kStartLivestream{
    "start livestream",
    "UPDATE livestreams SET phase = 'STARTED', started_at = ?3, ended_at = NULL, publish_protocol = ?4, "
    "publish_sequence = ?5 WHERE id = ?1 AND current_token_id = ?2 AND phase <> 'STARTED'"};
inline constexpr NamedSql kResumeLivestream{
    "resume livestream",
    "UPDATE livestreams SET phase = 'STARTED', started_at = COALESCE(started_at, ?2), ended_at = NULL "
    "WHERE id = ?1 AND phase <> 'STARTED'"};
inline constexpr NamedSql kListStartedLivestreams{
    "list started livestreams",
    "SELECT id, project_id, media_server_id, name, stream_key, phase, current_token_id, token_expires_at, "
    "created_at, started_at, ended_at, publish_protocol, publish_sequence FROM livestreams "
    "WHERE media_server_id = ?1 AND phase = 'STARTED' ORDER BY started_at, id"};
inline constexpr NamedSql kCountStartedLivestreams{
    "count started livestreams",
    "SELECT media_server_id, COUNT(*) FROM livestreams WHERE phase = 'STARTED' GROUP BY media_server_id"};
inline constexpr NamedSql kLivestreamStartState{"read livestream state",
                                                "SELECT phase, current_token_id FROM livestreams WHERE id = ?1"};
inline constexpr NamedSql kEndLivestream{
    "end livestream", "UPDATE livestreams SET phase = 'ENDED', ended_at = ?2 WHERE id = ?1 AND phase = 'STARTED'"};
inline constexpr NamedSql kLivestreamExists{"check livestream", "SELECT 1 FROM livestreams WHERE id = ?1"};
inline constexpr NamedSql kEndAllStartedLivestreams{
    "end started livestreams",
    "UPDATE livestreams SET phase = 'ENDED', ended_at = ?2 WHERE media_server_id = ?1 AND phase = 'STARTED'"};
inline constexpr NamedSql kDeleteLivestream{"delete livestream", "DELETE FROM livestreams WHERE id = ?1"};

// Signing keys: kid, private_key_pem, created_at, activates_at, retires_at.
inline constexpr NamedSql kListSigningKeys{
    "list signing keys",
    "SELECT kid, private_key_pem, created_at, activates_at, retires_at FROM signing_keys ORDER BY activates_at, kid"};
inline constexpr NamedSql kInsertSigningKey{
    "insert signing key",
    "INSERT INTO signing_keys (kid, private_key_pem, created_at, activates_at, retires_at) VALUES (?1, ?2, ?3, ?4, ?5)"};
inline constexpr NamedSql kAnySigningKey{"check signing keys", "SELECT 1 FROM signing_keys LIMIT 1"};
// Never moves a retirement later.
inline constexpr NamedSql kRetireSigningKey{
    "retire signing key",
    "UPDATE signing_keys SET retires_at = CASE WHEN retires_at IS NULL OR retires_at > ?2 THEN ?2 ELSE retires_at END "
    "WHERE kid = ?1"};

// Export and import (exportAll / importAll).
inline constexpr NamedSql kListTeams{"list teams", "SELECT id, name, created_at FROM teams ORDER BY created_at, id"};
inline constexpr NamedSql kListAllLivestreams{
    "list all livestreams",
    "SELECT id, project_id, media_server_id, name, stream_key, phase, current_token_id, token_expires_at, "
    "created_at, started_at, ended_at, publish_protocol, publish_sequence FROM livestreams ORDER BY rowid"};
inline constexpr NamedSql kCountAllRows{
    "count rows",
    "SELECT (SELECT count(*) FROM teams) + (SELECT count(*) FROM projects) + (SELECT count(*) FROM media_servers) + "
    "(SELECT count(*) FROM livestreams) + (SELECT count(*) FROM signing_keys) + (SELECT count(*) FROM audit_log) + "
    "(SELECT count(*) FROM usage_counts) + (SELECT count(*) FROM users)"};
// Usage: project_id, bucket_start, livestream_id, metric, dimension, value.
inline constexpr NamedSql kRecordUsageBatch{
    "record usage batch", "INSERT INTO usage_batches (id, applied_at) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING"};
inline constexpr NamedSql kAddUsage{"add usage",
                                    "INSERT INTO usage_counts (project_id, bucket_start, livestream_id, metric, "
                                    "dimension, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                                    "ON CONFLICT (project_id, bucket_start, livestream_id, metric, dimension) DO "
                                    "UPDATE SET value = value + excluded.value"};
inline constexpr NamedSql kInsertUsage{"insert usage",
                                       "INSERT INTO usage_counts (project_id, bucket_start, livestream_id, metric, "
                                       "dimension, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"};
inline constexpr NamedSql kListUsage{
    "list usage",
    "SELECT project_id, bucket_start, livestream_id, metric, dimension, value FROM usage_counts "
    "WHERE project_id = ?1 AND bucket_start >= ?2 AND bucket_start < ?3 "
    "ORDER BY bucket_start, livestream_id, metric, dimension"};
inline constexpr NamedSql kListAllUsage{
    "list all usage",
    "SELECT project_id, bucket_start, livestream_id, metric, dimension, value FROM usage_counts "
    "ORDER BY project_id, bucket_start, livestream_id, metric, dimension"};
inline constexpr NamedSql kPurgeUsageBatches{"purge usage batches", "DELETE FROM usage_batches WHERE applied_at < ?1"};
// Rate counters: key, window_start, window_ms -> count.
inline constexpr NamedSql kAddRateCount{
    "add rate count",
    "INSERT INTO rate_counters (key, window_start, window_ms, count) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (key, window_start, window_ms) DO UPDATE SET count = count + excluded.count RETURNING count"};
inline constexpr NamedSql kPurgeRateCounts{"purge rate counts",
                                           "DELETE FROM rate_counters WHERE window_start + window_ms <= ?1"};

// Users: id, email, password_hash, is_admin, created_at, updated_at.
inline constexpr NamedSql kInsertUser{
    "insert user",
    "INSERT INTO users (id, email, password_hash, is_admin, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"};
inline constexpr NamedSql kFindUser{
    "find user", "SELECT id, email, password_hash, is_admin, created_at, updated_at FROM users WHERE id = ?1"};
inline constexpr NamedSql kFindUserByEmail{
    "find user by email",
    "SELECT id, email, password_hash, is_admin, created_at, updated_at FROM users WHERE email = ?1"};
inline constexpr NamedSql kListUsers{
    "list users",
    "SELECT id, email, password_hash, is_admin, created_at, updated_at FROM users ORDER BY created_at, id"};
inline constexpr NamedSql kSetUserPasswordHash{"set user password",
                                               "UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1"};
inline constexpr NamedSql kRevokeUserSessions{
    "revoke user sessions", "UPDATE session_families SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL"};
// Deleting an administrator only while another remains (one statement: no race).
inline constexpr NamedSql kDeleteUser{
    "delete user",
    "DELETE FROM users WHERE id = ?1 AND "
    "(is_admin = 0 OR EXISTS (SELECT 1 FROM users WHERE is_admin = 1 AND id <> ?1))"};
// Demoting only while another administrator remains (one statement: no race).
inline constexpr NamedSql kSetUserAdmin{
    "set user admin",
    "UPDATE users SET is_admin = ?2, updated_at = ?3 WHERE id = ?1 AND "
    "(?2 = 1 OR EXISTS (SELECT 1 FROM users WHERE is_admin = 1 AND id <> ?1))"};
inline constexpr NamedSql kUserExists{"check user", "SELECT 1 FROM users WHERE id = ?1"};

// Sessions: families (id, user_id, csrf_hash, created_at, revoked_at) and
// refresh tokens (token_hash, family_id, created_at, expires_at, rotated_at).
inline constexpr NamedSql kInsertSessionFamily{
    "insert session family",
    "INSERT INTO session_families (id, user_id, csrf_hash, created_at, revoked_at) VALUES (?1, ?2, ?3, ?4, ?5)"};
inline constexpr NamedSql kInsertRefreshToken{
    "insert refresh token",
    "INSERT INTO refresh_tokens (token_hash, family_id, created_at, expires_at, rotated_at) VALUES (?1, ?2, ?3, ?4, ?5)"};
inline constexpr NamedSql kFindRefreshToken{
    "find refresh token",
    "SELECT t.token_hash, t.family_id, t.created_at, t.expires_at, t.rotated_at, "
    "f.id, f.user_id, f.csrf_hash, f.created_at, f.revoked_at "
    "FROM refresh_tokens t JOIN session_families f ON f.id = t.family_id WHERE t.token_hash = ?1"};
// Spends the token only while it is current, unexpired and its family live:
// of two rotations of one token, one changes the row.
inline constexpr NamedSql kSpendRefreshToken{
    "spend refresh token",
    "UPDATE refresh_tokens SET rotated_at = ?2 WHERE token_hash = ?1 AND rotated_at IS NULL AND expires_at > ?2 "
    "AND family_id IN (SELECT id FROM session_families WHERE revoked_at IS NULL)"};
inline constexpr NamedSql kSetFamilyCsrf{"set session csrf",
                                         "UPDATE session_families SET csrf_hash = ?2 WHERE id = ?1"};
inline constexpr NamedSql kRevokeFamily{
    "revoke session family",
    "UPDATE session_families SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1"};
inline constexpr NamedSql kFindLiveSession{
    "find live session",
    "SELECT f.id, f.user_id, f.csrf_hash, f.created_at, f.revoked_at, "
    "u.id, u.email, u.password_hash, u.is_admin, u.created_at, u.updated_at "
    "FROM session_families f JOIN users u ON u.id = f.user_id WHERE f.id = ?1 AND f.revoked_at IS NULL"};
inline constexpr NamedSql kPurgeRefreshTokens{"purge refresh tokens",
                                              "DELETE FROM refresh_tokens WHERE expires_at <= ?1"};
inline constexpr NamedSql kPurgeEmptyFamilies{
    "purge session families",
    "DELETE FROM session_families WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = "
    "session_families.id)"};
// The one access-token key: the first insert wins, everyone reads it.
inline constexpr NamedSql kInsertAccessTokenKey{
    "insert access token key",
    "INSERT INTO access_token_key (id, secret, created_at) VALUES (1, ?1, ?2) ON CONFLICT (id) DO NOTHING"};
inline constexpr NamedSql kFindAccessTokenKey{"read access token key",
                                              "SELECT secret, created_at FROM access_token_key WHERE id = 1"};

// Webhooks (sqlite_store_webhooks.cpp). Endpoints: id, project_id, url,
// description, event_types_json, enabled, secret, previous_secret,
// previous_secret_expires_at, created_at, updated_at, failing_since,
// disabled_at, disabled_reason.
#define LS_WEBHOOK_ENDPOINT_COLUMNS                                                                    \
  "id, project_id, url, description, event_types_json, enabled, secret, previous_secret, "            \
  "previous_secret_expires_at, created_at, updated_at, failing_since, disabled_at, disabled_reason "
inline constexpr NamedSql kInsertWebhookEndpoint{
    "insert webhook endpoint",
    "INSERT INTO webhook_endpoints (" LS_WEBHOOK_ENDPOINT_COLUMNS
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"};
inline constexpr NamedSql kFindWebhookEndpoint{
    "find webhook endpoint", "SELECT " LS_WEBHOOK_ENDPOINT_COLUMNS "FROM webhook_endpoints WHERE id = ?1"};
inline constexpr NamedSql kListWebhookEndpoints{
    "list webhook endpoints",
    "SELECT " LS_WEBHOOK_ENDPOINT_COLUMNS "FROM webhook_endpoints WHERE project_id = ?1 ORDER BY created_at, rowid"};
inline constexpr NamedSql kListAllWebhookEndpoints{
    "list all webhook endpoints", "SELECT " LS_WEBHOOK_ENDPOINT_COLUMNS "FROM webhook_endpoints ORDER BY rowid"};
#undef LS_WEBHOOK_ENDPOINT_COLUMNS
inline constexpr NamedSql kUpdateWebhookEndpoint{
    "update webhook endpoint",
    "UPDATE webhook_endpoints SET url = COALESCE(?2, url), description = COALESCE(?3, description), "
    "event_types_json = COALESCE(?4, event_types_json), enabled = COALESCE(?5, enabled), updated_at = ?6, "
    "failing_since = CASE WHEN ?5 = 1 THEN NULL ELSE failing_since END, "
    "disabled_at = CASE WHEN ?5 = 1 THEN NULL ELSE disabled_at END, "
    "disabled_reason = CASE WHEN ?5 = 1 THEN '' ELSE disabled_reason END WHERE id = ?1"};
inline constexpr NamedSql kDeleteWebhookEndpoint{"delete webhook endpoint",
                                                 "DELETE FROM webhook_endpoints WHERE id = ?1"};
inline constexpr NamedSql kDeleteWebhookEndpointAttempts{"delete webhook attempts",
                                                         "DELETE FROM webhook_attempts WHERE endpoint_id = ?1"};
inline constexpr NamedSql kRotateWebhookSecret{
    "rotate webhook secret",
    "UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = ?3, secret = ?2, "
    "updated_at = ?4 WHERE id = ?1"};
inline constexpr NamedSql kDisableWebhookEndpoint{
    "disable webhook endpoint",
    "UPDATE webhook_endpoints SET enabled = 0, disabled_at = ?2, disabled_reason = ?3, updated_at = ?2 WHERE id = ?1"};
inline constexpr NamedSql kEnabledWebhookEndpoints{
    "read subscribed endpoints",
    "SELECT id, event_types_json FROM webhook_endpoints WHERE project_id = ?1 AND enabled = 1 ORDER BY created_at, rowid"};
inline constexpr NamedSql kProjectsWithWebhookEndpoints{
    "read projects with endpoints",
    "SELECT DISTINCT project_id FROM webhook_endpoints WHERE enabled = 1 ORDER BY project_id"};
inline constexpr NamedSql kNextWebhookSequence{
    "count webhook sequence",
    "INSERT INTO webhook_sequences (subject_id, last_sequence) VALUES (?1, 1) "
    "ON CONFLICT (subject_id) DO UPDATE SET last_sequence = last_sequence + 1 RETURNING last_sequence"};
// Events: id, project_id, type, subject_id, sequence, occurred_at, body.
#define LS_WEBHOOK_EVENT_COLUMNS "id, project_id, type, subject_id, sequence, occurred_at, body "
inline constexpr NamedSql kInsertWebhookEvent{
    "insert webhook event",
    "INSERT INTO webhook_events (" LS_WEBHOOK_EVENT_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"};
inline constexpr NamedSql kFindWebhookEvent{"find webhook event",
                                            "SELECT " LS_WEBHOOK_EVENT_COLUMNS "FROM webhook_events WHERE id = ?1"};
inline constexpr NamedSql kListWebhookEvents{
    "list webhook events",
    "SELECT " LS_WEBHOOK_EVENT_COLUMNS
    "FROM webhook_events WHERE project_id = ?1 ORDER BY occurred_at DESC, rowid DESC LIMIT ?2 OFFSET ?3"};
// Deliveries: id, event_id, endpoint_id, state, attempts, next_attempt_at, created_at.
inline constexpr NamedSql kInsertWebhookDelivery{
    "insert webhook delivery",
    "INSERT INTO webhook_deliveries (id, event_id, endpoint_id, subject_id, event_order, state, attempts, "
    "next_attempt_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"};
// Due, pending, of an enabled endpoint, not leased, and with no earlier event
// of the same subject still pending for the same endpoint. Oldest due first,
// at most ?2 in all, ?4 of one endpoint, and of an endpoint named in the JSON
// object ?3 at most its value there (0 = skipped); ?5 = the largest of those
// caps. Each endpoint's candidates are read in claim order through
// webhook_deliveries_endpoint_due, at most ?5 of them, so a claim reads about
// what it takes, not the whole backlog (nor any of a skipped endpoint's).
inline constexpr NamedSql kClaimableWebhookDeliveries{
    "claim webhook deliveries",
    "WITH caps(endpoint_id, room) AS MATERIALIZED (SELECT key, CAST(value AS INTEGER) FROM json_each(?3)) "
    "SELECT id FROM (SELECT d.id, d.next_attempt_at, d.created_at, d.event_order, d.rowid AS r, "
    "row_number() OVER (PARTITION BY d.endpoint_id ORDER BY d.next_attempt_at, d.created_at, d.event_order, d.rowid) "
    "AS n, COALESCE(k.room, ?4) AS room "
    "FROM webhook_endpoints e JOIN webhook_deliveries d ON d.id IN (SELECT x.id FROM webhook_deliveries x "
    "WHERE x.endpoint_id = e.id AND x.state = 'pending' AND x.next_attempt_at <= ?1 "
    "AND (x.lease_until IS NULL OR x.lease_until <= ?1) "
    "AND (x.subject_id = '' OR NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.state = 'pending' "
    "AND p.endpoint_id = x.endpoint_id AND p.subject_id = x.subject_id AND p.event_order < x.event_order)) "
    "ORDER BY x.next_attempt_at, x.created_at, x.event_order, x.rowid LIMIT ?5) "
    "LEFT JOIN caps k ON k.endpoint_id = e.id "
    "WHERE e.enabled = 1 AND e.id NOT IN (SELECT endpoint_id FROM caps WHERE room <= 0)) "
    "WHERE n <= room ORDER BY next_attempt_at, created_at, event_order, r LIMIT ?2"};
inline constexpr NamedSql kLeaseWebhookDelivery{
    "lease webhook delivery", "UPDATE webhook_deliveries SET lease_owner = ?2, lease_until = ?3 WHERE id = ?1"};
// A job: the delivery, its event, its endpoint (readWebhookJob).
inline constexpr NamedSql kReadWebhookJob{
    "read webhook job",
    "SELECT d.id, d.event_id, d.endpoint_id, d.state, d.attempts, d.next_attempt_at, d.created_at, "
    "v.id, v.project_id, v.type, v.subject_id, v.sequence, v.occurred_at, v.body, "
    "e.id, e.project_id, e.url, e.description, e.event_types_json, e.enabled, e.secret, e.previous_secret, "
    "e.previous_secret_expires_at, e.created_at, e.updated_at, e.failing_since, e.disabled_at, e.disabled_reason "
    "FROM webhook_deliveries d JOIN webhook_events v ON v.id = d.event_id "
    "JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = ?1"};
// Only while the worker holds the lease: ?1 id, ?2 worker, ?3 state, ?4 next attempt, ?5 finished at.
inline constexpr NamedSql kFinishWebhookDelivery{
    "finish webhook attempt",
    "UPDATE webhook_deliveries SET attempts = attempts + 1, state = ?3, next_attempt_at = ?4, "
    "lease_owner = NULL, lease_until = NULL, finished_at = ?5 "
    "WHERE id = ?1 AND lease_owner = ?2 AND state = 'pending'"};
inline constexpr NamedSql kReadDeliveryRefs{
    "read webhook delivery",
    "SELECT d.endpoint_id, d.event_id, v.type FROM webhook_deliveries d JOIN webhook_events v ON v.id = d.event_id "
    "WHERE d.id = ?1"};
inline constexpr NamedSql kEndpointFailing{
    "mark endpoint failing",
    "UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, ?2) WHERE id = ?1"};
inline constexpr NamedSql kEndpointSucceeding{"mark endpoint succeeding",
                                              "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?1"};
// Attempts: delivery_id, endpoint_id, event_id, event_type, at, status, latency_ms, error, response_prefix.
inline constexpr NamedSql kInsertWebhookAttempt{
    "insert webhook attempt",
    "INSERT INTO webhook_attempts (delivery_id, endpoint_id, event_id, event_type, at, status, latency_ms, error, "
    "response_prefix) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"};
inline constexpr NamedSql kListWebhookAttempts{
    "list webhook attempts",
    "SELECT delivery_id, endpoint_id, event_id, event_type, at, status, latency_ms, error, response_prefix "
    "FROM webhook_attempts WHERE endpoint_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2 OFFSET ?3"};
inline constexpr NamedSql kWebhookBacklog{
    "read webhook backlog",
    "SELECT COUNT(*), MIN(v.occurred_at) FROM webhook_deliveries d JOIN webhook_events v ON v.id = d.event_id "
    "JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.state = 'pending' AND e.enabled = 1"};
inline constexpr NamedSql kPurgeWebhookAttempts{
    "purge webhook attempts",
    "DELETE FROM webhook_attempts WHERE (delivery_id = '' AND at < ?1) OR delivery_id IN "
    "(SELECT id FROM webhook_deliveries WHERE state <> 'pending' AND created_at < ?1)"};
inline constexpr NamedSql kPurgeWebhookDeliveries{
    "purge webhook deliveries",
    "DELETE FROM webhook_deliveries WHERE state <> 'pending' AND created_at < ?1"};
inline constexpr NamedSql kPurgeWebhookEvents{
    "purge webhook events",
    "DELETE FROM webhook_events WHERE occurred_at < ?1 AND NOT EXISTS "
    "(SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)"};
#undef LS_WEBHOOK_EVENT_COLUMNS
// livestream.token_expired: streams whose token expired and was not yet announced.
inline constexpr NamedSql kTokenExpiredCandidates{
    "find expired tokens",
    "SELECT id, current_token_id FROM livestreams WHERE phase <> 'STARTED' AND token_expires_at <= ?1 "
    "AND token_expired_event_for IS NOT current_token_id ORDER BY token_expires_at, id LIMIT 500"};
// Conditional: of two sweeps, one marks the token (and emits).
inline constexpr NamedSql kMarkTokenExpiredEvent{
    "mark expired token",
    "UPDATE livestreams SET token_expired_event_for = current_token_id WHERE id = ?1 AND current_token_id = ?2 "
    "AND phase <> 'STARTED' AND token_expires_at <= ?3 AND token_expired_event_for IS NOT current_token_id"};
inline constexpr NamedSql kMarkImportedExpiredTokens{
    "mark expired tokens",
    "UPDATE livestreams SET token_expired_event_for = current_token_id WHERE phase <> 'STARTED' "
    "AND token_expires_at <= ?1"};
inline constexpr NamedSql kStartedLivestreamIds{
    "list started livestreams",
    "SELECT id FROM livestreams WHERE media_server_id = ?1 AND phase = 'STARTED' ORDER BY started_at, id"};
inline constexpr NamedSql kProjectLivestreams{
    "list project livestreams",
    "SELECT id, project_id, media_server_id, name, stream_key, phase, current_token_id, token_expires_at, "
    "created_at, started_at, ended_at, publish_protocol, publish_sequence FROM livestreams WHERE project_id = ?1 "
    "ORDER BY created_at, rowid"};
inline constexpr NamedSql kCountStartedOnServer{
    "count started livestreams",
    "SELECT COUNT(*) FROM livestreams WHERE media_server_id = ?1 AND phase = 'STARTED'"};

}  // namespace ls::sqlite::sql
