// Every statement PostgresStore runs, by name. Each is prepared once per
// connection (Connection::run keys them by address) and every value is a
// bound parameter. Column lists match the readers in rows.hpp. Parameters
// carry explicit casts so their types never depend on inference.
#pragma once

#include "store/postgres/connection.hpp"

namespace ls::postgres::sql {

inline constexpr NamedSql kPing{"ping", "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"};
// Always changes the row (a counter), so the commit has something to write.
inline constexpr NamedSql kProbeWrite{"probe write",
                                      "INSERT INTO write_probe (id, writes) VALUES (1, 1) "
                                      "ON CONFLICT (id) DO UPDATE SET writes = write_probe.writes + 1"};

// Teams: id, name, created_at.
inline constexpr NamedSql kInsertTeam{
    "insert team", "INSERT INTO teams (id, name, created_at) VALUES ($1::text, $2::text, $3::bigint)"};
inline constexpr NamedSql kFindTeam{"find team", "SELECT id, name, created_at FROM teams WHERE id = $1::text"};
inline constexpr NamedSql kFindTeamByName{"find team by name",
                                          "SELECT id, name, created_at FROM teams WHERE name = $1::text"};
// FOR KEY SHARE: the team cannot go away before the new project commits.
inline constexpr NamedSql kTeamExists{"check team", "SELECT 1 FROM teams WHERE id = $1::text FOR KEY SHARE"};

// Projects: id, team_id, name, api_key_hash, abr_enabled, created_at,
// rate_limit_per_minute, rate_limit_per_hour (both NULL = the defaults).
#define LS_PROJECT_COLUMNS \
  "id, team_id, name, api_key_hash, abr_enabled, created_at, rate_limit_per_minute, rate_limit_per_hour "
inline constexpr NamedSql kInsertProject{
    "insert project",
    "INSERT INTO projects (id, team_id, name, api_key_hash, abr_enabled, created_at, rate_limit_per_minute, "
    "rate_limit_per_hour) VALUES ($1::text, $2::text, $3::text, $4::text, $5::boolean, $6::bigint, $7::bigint, "
    "$8::bigint)"};
inline constexpr NamedSql kFindProject{"find project",
                                       "SELECT " LS_PROJECT_COLUMNS "FROM projects WHERE id = $1::text"};
inline constexpr NamedSql kFindProjectByApiKeyHash{
    "find project by api key", "SELECT " LS_PROJECT_COLUMNS "FROM projects WHERE api_key_hash = $1::text"};
inline constexpr NamedSql kListProjects{"list projects",
                                        "SELECT " LS_PROJECT_COLUMNS "FROM projects ORDER BY created_at, id"};
inline constexpr NamedSql kListProjectsOfTeam{
    "list projects of team",
    "SELECT " LS_PROJECT_COLUMNS "FROM projects WHERE team_id = $1::text ORDER BY created_at, id"};
#undef LS_PROJECT_COLUMNS
inline constexpr NamedSql kSetProjectApiKeyHash{"set project api key",
                                                "UPDATE projects SET api_key_hash = $2::text WHERE id = $1::text"};
inline constexpr NamedSql kSetProjectAbrEnabled{"set project abr",
                                                "UPDATE projects SET abr_enabled = $2::boolean WHERE id = $1::text"};
inline constexpr NamedSql kRenameProject{"rename project", "UPDATE projects SET name = $2::text WHERE id = $1::text"};
inline constexpr NamedSql kSetProjectRateLimit{
    "set project rate limit",
    "UPDATE projects SET rate_limit_per_minute = $2::bigint, rate_limit_per_hour = $3::bigint WHERE id = $1::text"};
// Locks the project first, so a livestream insert racing the delete either
// commits before it (and is deleted with it) or waits and finds no project.
inline constexpr NamedSql kLockProject{"lock project", "SELECT 1 FROM projects WHERE id = $1::text FOR UPDATE"};
inline constexpr NamedSql kDeleteProjectLivestreams{"delete project livestreams",
                                                    "DELETE FROM livestreams WHERE project_id = $1::text"};
// media_server_projects rows go with it (ON DELETE CASCADE).
inline constexpr NamedSql kDeleteProject{"delete project", "DELETE FROM projects WHERE id = $1::text"};
inline constexpr NamedSql kRenameTeam{"rename team", "UPDATE teams SET name = $2::text WHERE id = $1::text"};
// FOR UPDATE: a project insert (which takes FOR KEY SHARE) waits for the delete.
inline constexpr NamedSql kLockTeam{"lock team", "SELECT 1 FROM teams WHERE id = $1::text FOR UPDATE"};
inline constexpr NamedSql kTeamHasProjects{"check team projects",
                                           "SELECT 1 FROM projects WHERE team_id = $1::text LIMIT 1"};
inline constexpr NamedSql kDeleteTeam{"delete team", "DELETE FROM teams WHERE id = $1::text"};

// Audit log (rows.cpp readAuditEntry), newest first: at, then seq, descending.
#define LS_AUDIT_COLUMNS                                                                                   \
  "id, at, actor_type, actor_id, actor_label, action, team_id, project_id, target_type, target_id, " \
  "details_json "
inline constexpr NamedSql kInsertAuditEntry{
    "insert audit entry",
    "INSERT INTO audit_log (id, at, actor_type, actor_id, actor_label, action, team_id, project_id, target_type, "
    "target_id, details_json) VALUES ($1::text, $2::bigint, $3::text, $4::text, $5::text, $6::text, $7::text, "
    "$8::text, $9::text, $10::text, $11::text)"};
inline constexpr NamedSql kCountAuditEntries{
    "count audit entries", "SELECT count(*) FROM audit_log WHERE ($1::text = '' OR team_id = $1::text)"};
inline constexpr NamedSql kListAuditEntries{
    "list audit entries",
    "SELECT " LS_AUDIT_COLUMNS "FROM audit_log WHERE ($1::text = '' OR team_id = $1::text) "
    "ORDER BY at DESC, seq DESC LIMIT $2::bigint OFFSET $3::bigint"};
inline constexpr NamedSql kListAllAuditEntries{"list all audit entries",
                                               "SELECT " LS_AUDIT_COLUMNS "FROM audit_log ORDER BY seq"};
#undef LS_AUDIT_COLUMNS
inline constexpr NamedSql kProjectExists{"check project", "SELECT 1 FROM projects WHERE id = $1::text FOR KEY SHARE"};

// Media servers: the configuration, then the liveness (rows.cpp readMediaServer).
#define LS_MEDIA_SERVER_COLUMNS                                                                               \
  "id, name, type, rtmp_base_url, hls_base_url, cdns_json, hook_secret_hash, created_at, hls_path_template, " \
  "hook_allow, remote_id, api_url, api_secret, last_seen_at, heartbeat_at, keepalive_interval_ms, "           \
  "offline_since, last_hook_index "
inline constexpr NamedSql kInsertMediaServer{
    "insert media server",
    "INSERT INTO media_servers (id, name, type, rtmp_base_url, hls_base_url, cdns_json, hook_secret_hash, "
    "hls_path_template, hook_allow, remote_id, api_url, api_secret, created_at) "
    "VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::text, "
    "$11::text, $12::text, $13::bigint)"};
inline constexpr NamedSql kFindMediaServer{"find media server",
                                           "SELECT " LS_MEDIA_SERVER_COLUMNS "FROM media_servers WHERE id = $1::text"};
inline constexpr NamedSql kListMediaServers{
    "list media servers", "SELECT " LS_MEDIA_SERVER_COLUMNS "FROM media_servers ORDER BY created_at, id"};
#undef LS_MEDIA_SERVER_COLUMNS
inline constexpr NamedSql kUpdateMediaServer{
    "update media server",
    "UPDATE media_servers SET name = $2::text, type = $3::text, rtmp_base_url = $4::text, hls_base_url = $5::text, "
    "cdns_json = $6::text, hook_secret_hash = $7::text, hls_path_template = $8::text, hook_allow = $9::text, "
    "remote_id = $10::text, api_url = $11::text, api_secret = $12::text WHERE id = $1::text"};
inline constexpr NamedSql kListMediaServerProjects{
    "list media server projects",
    "SELECT media_server_id, project_id FROM media_server_projects ORDER BY media_server_id, project_id"};
inline constexpr NamedSql kFindMediaServerProjects{
    "find media server projects",
    "SELECT media_server_id, project_id FROM media_server_projects WHERE media_server_id = $1::text "
    "ORDER BY project_id"};
inline constexpr NamedSql kClearMediaServerProjects{
    "clear media server projects", "DELETE FROM media_server_projects WHERE media_server_id = $1::text"};
inline constexpr NamedSql kAddMediaServerProject{
    "assign media server project",
    "INSERT INTO media_server_projects (media_server_id, project_id) VALUES ($1::text, $2::text)"};
// Liveness: read with the row locked (FOR NO KEY UPDATE, which lets
// livestream inserts' foreign-key checks through), so a contact and the lease
// lapsing (markNodeOffline) take turns on the node, then written whole.
inline constexpr NamedSql kReadNodeLiveness{
    "read node liveness",
    "SELECT last_seen_at, heartbeat_at, keepalive_interval_ms, offline_since, last_hook_index "
    "FROM media_servers WHERE id = $1::text FOR NO KEY UPDATE"};
inline constexpr NamedSql kWriteNodeLiveness{
    "record node contact",
    "UPDATE media_servers SET last_seen_at = $2::bigint, heartbeat_at = $3::bigint, "
    "keepalive_interval_ms = $4::bigint, offline_since = $5::bigint, last_hook_index = $6::bigint "
    "WHERE id = $1::text"};
// Conditional: only a node that is not OFFLINE and has not been heard from
// since $2. The UPDATE locks the row; one that waited on a contact re-checks
// the condition against the row the contact committed.
inline constexpr NamedSql kMarkNodeOffline{
    "mark node offline",
    "UPDATE media_servers SET offline_since = $3::bigint WHERE id = $1::text AND offline_since IS NULL "
    "AND (last_seen_at IS NULL OR last_seen_at <= $2::bigint)"};
// FOR KEY SHARE: the server cannot be deleted before the new livestream commits.
inline constexpr NamedSql kMediaServerExists{"check media server",
                                             "SELECT 1 FROM media_servers WHERE id = $1::text FOR KEY SHARE"};
// Taken first by a delete: inserts of livestreams on it wait for the outcome.
inline constexpr NamedSql kLockMediaServer{"lock media server",
                                           "SELECT 1 FROM media_servers WHERE id = $1::text FOR UPDATE"};
inline constexpr NamedSql kMediaServerInUse{"check media server use",
                                            "SELECT 1 FROM livestreams WHERE media_server_id = $1::text LIMIT 1"};
inline constexpr NamedSql kDeleteMediaServer{"delete media server", "DELETE FROM media_servers WHERE id = $1::text"};

// Livestreams: id, project_id, media_server_id, name, stream_key, phase,
// current_token_id, token_expires_at, created_at, started_at, ended_at,
// publish_protocol, publish_sequence.
#define LS_LIVESTREAM_COLUMNS                                                                                  \
  "id, project_id, media_server_id, name, stream_key, phase, current_token_id, token_expires_at, created_at, " \
  "started_at, ended_at, publish_protocol, publish_sequence "
inline constexpr NamedSql kInsertLivestream{
    "insert livestream",
    "INSERT INTO livestreams (id, project_id, media_server_id, name, stream_key, phase, current_token_id, "
    "token_expires_at, created_at, started_at, ended_at, publish_protocol, publish_sequence) VALUES ($1::text, "
    "$2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::bigint, $9::bigint, $10::bigint, $11::bigint, "
    "$12::text, $13::bigint)"};
inline constexpr NamedSql kFindLivestream{"find livestream",
                                          "SELECT " LS_LIVESTREAM_COLUMNS "FROM livestreams WHERE id = $1::text"};
inline constexpr NamedSql kFindLivestreamByStreamKey{
    "find livestream by stream key", "SELECT " LS_LIVESTREAM_COLUMNS "FROM livestreams WHERE stream_key = $1::text"};

// The list filter, shared by the page and its total. $1 project; $2 LIKE
// pattern or NULL; $3/$4 accepted phases or NULL (no status filter); $5
// expiry rule (0 any, 1 token not expired, 2 expired) at time $6. Mirrors
// statusFilterFor() in core/lifecycle.hpp. The search folds ASCII case only
// (lower() under COLLATE "C"), exactly as SQLite's LIKE does.
#define LS_LIVESTREAM_LIST_FILTER                                                                       \
  " AND ($2::text IS NULL OR lower(name COLLATE \"C\") LIKE lower($2::text COLLATE \"C\") ESCAPE '\\')" \
  " AND ($3::text IS NULL OR phase = $3::text OR phase = $4::text)"                                     \
  " AND ($5::integer = 0 OR ($5::integer = 1 AND token_expires_at > $6::bigint)"                        \
  " OR ($5::integer = 2 AND token_expires_at <= $6::bigint))"
#define LS_LIVESTREAM_LIST_WHERE " WHERE project_id = $1::text" LS_LIVESTREAM_LIST_FILTER
// The administration API's list across projects: $1 is the project ids
// joined by commas (UUIDs); each seeks the (project_id, created_at) index.
#define LS_LIVESTREAMS_OF_PROJECTS_WHERE \
  " WHERE project_id = ANY(string_to_array($1::text, ','))" LS_LIVESTREAM_LIST_FILTER
// Livestreams created in the same millisecond keep their creation order: seq
// grows with each insert, where the random UUID would shuffle them.
inline constexpr NamedSql kListLivestreams{"list livestreams",
                                           "SELECT " LS_LIVESTREAM_COLUMNS "FROM livestreams" LS_LIVESTREAM_LIST_WHERE
                                           " ORDER BY created_at DESC, seq DESC LIMIT $7::bigint OFFSET $8::bigint"};
inline constexpr NamedSql kCountLivestreams{"count livestreams",
                                            "SELECT COUNT(*) FROM livestreams" LS_LIVESTREAM_LIST_WHERE};
inline constexpr NamedSql kListLivestreamsOfProjects{
    "list livestreams of projects",
    "SELECT " LS_LIVESTREAM_COLUMNS "FROM livestreams" LS_LIVESTREAMS_OF_PROJECTS_WHERE
    " ORDER BY created_at DESC, seq DESC LIMIT $7::bigint OFFSET $8::bigint"};
inline constexpr NamedSql kCountLivestreamsOfProjects{
    "count livestreams of projects", "SELECT COUNT(*) FROM livestreams" LS_LIVESTREAMS_OF_PROJECTS_WHERE};
#undef LS_LIVESTREAMS_OF_PROJECTS_WHERE
#undef LS_LIVESTREAM_LIST_WHERE
#undef LS_LIVESTREAM_LIST_FILTER

inline constexpr NamedSql kRenameLivestream{"rename livestream",
                                            "UPDATE livestreams SET name = $2::text WHERE id = $1::text"};
// STARTED stays STARTED (the live publisher keeps going); anything else is
// READY_FOR_USE again (SPEC §2: a new push token). The UPDATE's row lock
// orders it with a start of the same livestream.
inline constexpr NamedSql kReplaceLivestreamToken{
    "replace push token",
    "UPDATE livestreams SET current_token_id = $2::text, token_expires_at = $3::bigint, "
    "phase = CASE phase WHEN 'STARTED' THEN 'STARTED' ELSE 'READY_FOR_USE' END WHERE id = $1::text"};
// Conditional: changes nothing while the stream is live (the row lock makes
// it and a start take turns).
inline constexpr NamedSql kMoveLivestreamWithToken{
    "move livestream",
    "UPDATE livestreams SET media_server_id = $2::text, current_token_id = $3::text, token_expires_at = $4::bigint, "
    "phase = 'READY_FOR_USE' WHERE id = $1::text AND phase <> 'STARTED'"};
// A start locks the row first (FOR UPDATE), so it and a token replacement, a
// delete or a second start of the same livestream take turns, and the answer
// (gone, token no longer current, already live) is read under that lock.
inline constexpr NamedSql kLockLivestreamStartState{
    "read livestream state", "SELECT phase, current_token_id FROM livestreams WHERE id = $1::text FOR UPDATE"};
inline constexpr NamedSql kStartLivestream{
    "start livestream",
    "UPDATE livestreams SET phase = 'STARTED', started_at = $2::bigint, ended_at = NULL, "
    "publish_protocol = $3::text, publish_sequence = $4::bigint WHERE id = $1::text"};
inline constexpr NamedSql kResumeLivestream{
    "resume livestream",
    "UPDATE livestreams SET phase = 'STARTED', started_at = COALESCE(started_at, $2::bigint), ended_at = NULL "
    "WHERE id = $1::text AND phase <> 'STARTED'"};
inline constexpr NamedSql kListStartedLivestreams{
    "list started livestreams",
    "SELECT " LS_LIVESTREAM_COLUMNS
    "FROM livestreams WHERE media_server_id = $1::text AND phase = 'STARTED' ORDER BY started_at, id"};
inline constexpr NamedSql kCountStartedLivestreams{
    "count started livestreams",
    "SELECT media_server_id, COUNT(*) FROM livestreams WHERE phase = 'STARTED' GROUP BY media_server_id "
    "ORDER BY media_server_id"};
inline constexpr NamedSql kEndLivestream{
    "end livestream",
    "UPDATE livestreams SET phase = 'ENDED', ended_at = $2::bigint WHERE id = $1::text AND phase = 'STARTED'"};
inline constexpr NamedSql kLivestreamExists{"check livestream", "SELECT 1 FROM livestreams WHERE id = $1::text"};
inline constexpr NamedSql kEndAllStartedLivestreams{"end started livestreams",
                                                    "UPDATE livestreams SET phase = 'ENDED', ended_at = $2::bigint "
                                                    "WHERE media_server_id = $1::text AND phase = 'STARTED' "
                                                    "RETURNING id"};
inline constexpr NamedSql kDeleteLivestream{"delete livestream", "DELETE FROM livestreams WHERE id = $1::text"};

// Signing keys: kid, private_key_pem, created_at, activates_at, retires_at.
inline constexpr NamedSql kListSigningKeys{
    "list signing keys",
    "SELECT kid, private_key_pem, created_at, activates_at, retires_at FROM signing_keys ORDER BY activates_at, kid"};
inline constexpr NamedSql kInsertSigningKey{
    "insert signing key",
    "INSERT INTO signing_keys (kid, private_key_pem, created_at, activates_at, retires_at) "
    "VALUES ($1::text, $2::text, $3::bigint, $4::bigint, $5::bigint)"};
inline constexpr NamedSql kAnySigningKey{"check signing keys", "SELECT 1 FROM signing_keys LIMIT 1"};
// Never moves a retirement later.
inline constexpr NamedSql kRetireSigningKey{
    "retire signing key",
    "UPDATE signing_keys SET retires_at = CASE WHEN retires_at IS NULL OR retires_at > $2::bigint THEN $2::bigint "
    "ELSE retires_at END WHERE kid = $1::text"};

// Export and import (exportAll / importAll).
inline constexpr NamedSql kListTeams{"list teams", "SELECT id, name, created_at FROM teams ORDER BY created_at, id"};
inline constexpr NamedSql kListAllLivestreams{
    "list all livestreams",
    "SELECT id, project_id, media_server_id, name, stream_key, phase, current_token_id, token_expires_at, "
    "created_at, started_at, ended_at, publish_protocol, publish_sequence FROM livestreams ORDER BY seq"};
inline constexpr NamedSql kCountAllRows{
    "count rows",
    "SELECT (SELECT count(*) FROM teams) + (SELECT count(*) FROM projects) + (SELECT count(*) FROM media_servers) + "
    "(SELECT count(*) FROM livestreams) + (SELECT count(*) FROM signing_keys) + (SELECT count(*) FROM audit_log) + "
    "(SELECT count(*) FROM usage_counts) + (SELECT count(*) FROM users)"};
// Usage: project_id, bucket_start, livestream_id, metric, dimension, value.
inline constexpr NamedSql kRecordUsageBatch{
    "record usage batch",
    "INSERT INTO usage_batches (id, applied_at) VALUES ($1, $2::bigint) ON CONFLICT (id) DO NOTHING"};
inline constexpr NamedSql kAddUsage{
    "add usage",
    "INSERT INTO usage_counts (project_id, bucket_start, livestream_id, metric, dimension, value) "
    "VALUES ($1, $2::bigint, $3, $4, $5, $6::bigint) "
    "ON CONFLICT (project_id, bucket_start, livestream_id, metric, dimension) "
    "DO UPDATE SET value = usage_counts.value + excluded.value"};
inline constexpr NamedSql kInsertUsage{
    "insert usage",
    "INSERT INTO usage_counts (project_id, bucket_start, livestream_id, metric, dimension, value) "
    "VALUES ($1, $2::bigint, $3, $4, $5, $6::bigint)"};
inline constexpr NamedSql kListUsage{
    "list usage",
    "SELECT project_id, bucket_start, livestream_id, metric, dimension, value FROM usage_counts "
    "WHERE project_id = $1 AND bucket_start >= $2::bigint AND bucket_start < $3::bigint "
    "ORDER BY bucket_start, livestream_id, metric, dimension"};
inline constexpr NamedSql kListAllUsage{
    "list all usage",
    "SELECT project_id, bucket_start, livestream_id, metric, dimension, value FROM usage_counts "
    "ORDER BY project_id, bucket_start, livestream_id, metric, dimension"};
inline constexpr NamedSql kPurgeUsageBatches{"purge usage batches",
                                             "DELETE FROM usage_batches WHERE applied_at < $1::bigint"};
// Rate counters: key, window_start, window_ms -> count.
inline constexpr NamedSql kAddRateCount{
    "add rate count",
    "INSERT INTO rate_counters (key, window_start, window_ms, count) VALUES ($1, $2::bigint, $3::bigint, $4::bigint) "
    "ON CONFLICT (key, window_start, window_ms) DO UPDATE SET count = rate_counters.count + excluded.count "
    "RETURNING count"};
inline constexpr NamedSql kPurgeRateCounts{"purge rate counts",
                                           "DELETE FROM rate_counters WHERE window_start + window_ms <= $1::bigint"};

// Users: id, email, password_hash, is_admin, created_at, updated_at.
inline constexpr NamedSql kInsertUser{
    "insert user",
    "INSERT INTO users (id, email, password_hash, is_admin, created_at, updated_at) "
    "VALUES ($1::text, $2::text, $3::text, $4::boolean, $5::bigint, $6::bigint)"};
inline constexpr NamedSql kFindUser{
    "find user", "SELECT id, email, password_hash, is_admin, created_at, updated_at FROM users WHERE id = $1::text"};
inline constexpr NamedSql kFindUserByEmail{
    "find user by email",
    "SELECT id, email, password_hash, is_admin, created_at, updated_at FROM users WHERE email = $1::text"};
inline constexpr NamedSql kListUsers{
    "list users",
    "SELECT id, email, password_hash, is_admin, created_at, updated_at FROM users ORDER BY created_at, id"};
inline constexpr NamedSql kSetUserPasswordHash{
    "set user password", "UPDATE users SET password_hash = $2::text, updated_at = $3::bigint WHERE id = $1::text"};
inline constexpr NamedSql kRevokeUserSessions{
    "revoke user sessions",
    "UPDATE session_families SET revoked_at = $2::bigint WHERE user_id = $1::text AND revoked_at IS NULL"};
// Deleting or demoting an administrator only while another remains; the
// caller locks the administrators' rows first (kLockAdmins) so two deletions
// or demotions cannot both pass.
inline constexpr NamedSql kDeleteUser{
    "delete user",
    "DELETE FROM users WHERE id = $1::text AND "
    "(NOT is_admin OR EXISTS (SELECT 1 FROM users WHERE is_admin AND id <> $1::text))"};
inline constexpr NamedSql kLockAdmins{"lock admins", "SELECT id FROM users WHERE is_admin FOR UPDATE"};
inline constexpr NamedSql kSetUserAdmin{
    "set user admin",
    "UPDATE users SET is_admin = $2::boolean, updated_at = $3::bigint WHERE id = $1::text AND "
    "($2::boolean OR EXISTS (SELECT 1 FROM users WHERE is_admin AND id <> $1::text))"};
inline constexpr NamedSql kLockUser{"lock user", "SELECT 1 FROM users WHERE id = $1::text FOR KEY SHARE"};

// Sessions: families (id, user_id, csrf_hash, created_at, revoked_at) and
// refresh tokens (token_hash, family_id, created_at, expires_at, rotated_at).
inline constexpr NamedSql kInsertSessionFamily{
    "insert session family",
    "INSERT INTO session_families (id, user_id, csrf_hash, created_at, revoked_at) "
    "VALUES ($1::text, $2::text, $3::text, $4::bigint, $5::bigint)"};
inline constexpr NamedSql kInsertRefreshToken{
    "insert refresh token",
    "INSERT INTO refresh_tokens (token_hash, family_id, created_at, expires_at, rotated_at) "
    "VALUES ($1::text, $2::text, $3::bigint, $4::bigint, $5::bigint)"};
inline constexpr NamedSql kFindRefreshToken{
    "find refresh token",
    "SELECT t.token_hash, t.family_id, t.created_at, t.expires_at, t.rotated_at, "
    "f.id, f.user_id, f.csrf_hash, f.created_at, f.revoked_at "
    "FROM refresh_tokens t JOIN session_families f ON f.id = t.family_id WHERE t.token_hash = $1::text"};
// Spends the token only while it is current and unexpired. Under READ
// COMMITTED a second rotation of the same token waits for the first's row
// lock, re-checks rotated_at on the committed row and changes nothing.
inline constexpr NamedSql kSpendRefreshToken{
    "spend refresh token",
    "UPDATE refresh_tokens SET rotated_at = $2::bigint WHERE token_hash = $1::text AND rotated_at IS NULL "
    "AND expires_at > $2::bigint RETURNING family_id"};
// Locks the family row, so a revocation and a rotation take turns.
inline constexpr NamedSql kLockLiveFamily{
    "lock session family",
    "SELECT 1 FROM session_families WHERE id = $1::text AND revoked_at IS NULL FOR NO KEY UPDATE"};
inline constexpr NamedSql kSetFamilyCsrf{"set session csrf",
                                         "UPDATE session_families SET csrf_hash = $2::text WHERE id = $1::text"};
inline constexpr NamedSql kRevokeFamily{
    "revoke session family",
    "UPDATE session_families SET revoked_at = COALESCE(revoked_at, $2::bigint) WHERE id = $1::text"};
inline constexpr NamedSql kFindLiveSession{
    "find live session",
    "SELECT f.id, f.user_id, f.csrf_hash, f.created_at, f.revoked_at, "
    "u.id, u.email, u.password_hash, u.is_admin, u.created_at, u.updated_at "
    "FROM session_families f JOIN users u ON u.id = f.user_id WHERE f.id = $1::text AND f.revoked_at IS NULL"};
inline constexpr NamedSql kPurgeRefreshTokens{"purge refresh tokens",
                                              "DELETE FROM refresh_tokens WHERE expires_at <= $1::bigint"};
inline constexpr NamedSql kPurgeEmptyFamilies{
    "purge session families",
    "DELETE FROM session_families f WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = f.id)"};
// The one access-token key: the first insert wins, everyone reads it.
inline constexpr NamedSql kInsertAccessTokenKey{
    "insert access token key",
    "INSERT INTO access_token_key (id, secret, created_at) VALUES (1, $1::text, $2::bigint) "
    "ON CONFLICT (id) DO NOTHING"};
inline constexpr NamedSql kFindAccessTokenKey{"read access token key",
                                              "SELECT secret, created_at FROM access_token_key WHERE id = 1"};

// Webhooks (postgres_store_webhooks.cpp). Endpoints: id, project_id, url,
// description, event_types_json, enabled, secret, previous_secret,
// previous_secret_expires_at, created_at, updated_at, failing_since,
// disabled_at, disabled_reason.
#define LS_WEBHOOK_ENDPOINT_COLUMNS                                                                    \
  "id, project_id, url, description, event_types_json, enabled, secret, previous_secret, "            \
  "previous_secret_expires_at, created_at, updated_at, failing_since, disabled_at, disabled_reason "
inline constexpr NamedSql kInsertWebhookEndpoint{
    "insert webhook endpoint",
    "INSERT INTO webhook_endpoints (" LS_WEBHOOK_ENDPOINT_COLUMNS
    ") VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::boolean, $7::text, $8::text, $9::bigint, "
    "$10::bigint, $11::bigint, $12::bigint, $13::bigint, $14::text)"};
inline constexpr NamedSql kFindWebhookEndpoint{
    "find webhook endpoint", "SELECT " LS_WEBHOOK_ENDPOINT_COLUMNS "FROM webhook_endpoints WHERE id = $1::text"};
inline constexpr NamedSql kListWebhookEndpoints{
    "list webhook endpoints",
    "SELECT " LS_WEBHOOK_ENDPOINT_COLUMNS "FROM webhook_endpoints WHERE project_id = $1::text ORDER BY created_at, seq"};
inline constexpr NamedSql kListAllWebhookEndpoints{
    "list all webhook endpoints", "SELECT " LS_WEBHOOK_ENDPOINT_COLUMNS "FROM webhook_endpoints ORDER BY seq"};
#undef LS_WEBHOOK_ENDPOINT_COLUMNS
inline constexpr NamedSql kUpdateWebhookEndpoint{
    "update webhook endpoint",
    "UPDATE webhook_endpoints SET url = COALESCE($2::text, url), description = COALESCE($3::text, description), "
    "event_types_json = COALESCE($4::text, event_types_json), enabled = COALESCE($5::boolean, enabled), "
    "updated_at = $6::bigint, "
    "failing_since = CASE WHEN $5::boolean THEN NULL ELSE failing_since END, "
    "disabled_at = CASE WHEN $5::boolean THEN NULL ELSE disabled_at END, "
    "disabled_reason = CASE WHEN $5::boolean THEN '' ELSE disabled_reason END WHERE id = $1::text"};
inline constexpr NamedSql kDeleteWebhookEndpoint{"delete webhook endpoint",
                                                 "DELETE FROM webhook_endpoints WHERE id = $1::text"};
inline constexpr NamedSql kRotateWebhookSecret{
    "rotate webhook secret",
    "UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = $3::bigint, "
    "secret = $2::text, updated_at = $4::bigint WHERE id = $1::text"};
inline constexpr NamedSql kDisableWebhookEndpoint{
    "disable webhook endpoint",
    "UPDATE webhook_endpoints SET enabled = FALSE, disabled_at = $2::bigint, disabled_reason = $3::text, "
    "updated_at = $2::bigint WHERE id = $1::text"};
inline constexpr NamedSql kEnabledWebhookEndpoints{
    "read subscribed endpoints",
    "SELECT id, event_types_json FROM webhook_endpoints WHERE project_id = $1::text AND enabled "
    "ORDER BY created_at, seq"};
inline constexpr NamedSql kProjectsWithWebhookEndpoints{
    "read projects with endpoints",
    "SELECT DISTINCT project_id FROM webhook_endpoints WHERE enabled ORDER BY project_id"};
// The row lock orders concurrent events of one subject: commit order.
inline constexpr NamedSql kNextWebhookSequence{
    "count webhook sequence",
    "INSERT INTO webhook_sequences (subject_id, last_sequence) VALUES ($1::text, 1) "
    "ON CONFLICT (subject_id) DO UPDATE SET last_sequence = webhook_sequences.last_sequence + 1 "
    "RETURNING last_sequence"};
#define LS_WEBHOOK_EVENT_COLUMNS "id, project_id, type, subject_id, sequence, occurred_at, body "
inline constexpr NamedSql kInsertWebhookEvent{
    "insert webhook event",
    "INSERT INTO webhook_events (" LS_WEBHOOK_EVENT_COLUMNS
    ") VALUES ($1::text, $2::text, $3::text, $4::text, $5::bigint, $6::bigint, $7::text)"};
inline constexpr NamedSql kFindWebhookEvent{"find webhook event",
                                            "SELECT " LS_WEBHOOK_EVENT_COLUMNS "FROM webhook_events WHERE id = $1::text"};
inline constexpr NamedSql kListWebhookEvents{
    "list webhook events",
    "SELECT " LS_WEBHOOK_EVENT_COLUMNS "FROM webhook_events WHERE project_id = $1::text "
    "ORDER BY occurred_at DESC, seq DESC LIMIT $2::bigint OFFSET $3::bigint"};
inline constexpr NamedSql kInsertWebhookDelivery{
    "insert webhook delivery",
    "INSERT INTO webhook_deliveries (id, event_id, endpoint_id, subject_id, event_order, state, attempts, "
    "next_attempt_at, created_at) VALUES ($1::text, $2::text, $3::text, $4::text, $5::bigint, $6::text, $7::bigint, "
    "$8::bigint, $9::bigint)"};
// Due, pending, of an enabled endpoint, not leased, with no earlier event of
// the same subject pending for the endpoint. Oldest due first, at most $2 in
// all, $4 of one endpoint, and of an endpoint named in the JSON object $3 at
// most its value there (0 = skipped). Each endpoint's candidates are read in
// claim order through webhook_deliveries_endpoint_due (a LATERAL subquery
// limited to its cap), so a claim reads about what it takes, not the whole
// backlog; then those rows are locked (FOR UPDATE cannot share a query with
// the LATERAL LIMIT), rows another claim holds are skipped, and a row it
// leased meanwhile is re-checked after the lock.
inline constexpr NamedSql kClaimableWebhookDeliveries{
    "claim webhook deliveries",
    "WITH caps AS (SELECT j.key AS endpoint_id, j.value::bigint AS room FROM jsonb_each_text($3::text::jsonb) j), "
    "picked AS (SELECT x.id, x.next_attempt_at, x.created_at, x.event_order, x.seq FROM webhook_endpoints e "
    "LEFT JOIN caps k ON k.endpoint_id = e.id "
    "CROSS JOIN LATERAL (SELECT d.id, d.next_attempt_at, d.created_at, d.event_order, d.seq "
    "FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.state = 'pending' "
    "AND d.next_attempt_at <= $1::bigint AND (d.lease_until IS NULL OR d.lease_until <= $1::bigint) "
    "AND (d.subject_id = '' OR NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.state = 'pending' "
    "AND p.endpoint_id = d.endpoint_id AND p.subject_id = d.subject_id AND p.event_order < d.event_order)) "
    "ORDER BY d.next_attempt_at, d.created_at, d.event_order, d.seq LIMIT COALESCE(k.room, $4::bigint)) x "
    "WHERE e.enabled AND COALESCE(k.room, $4::bigint) > 0 "
    "ORDER BY x.next_attempt_at, x.created_at, x.event_order, x.seq LIMIT $2::bigint) "
    "SELECT d.id FROM webhook_deliveries d WHERE d.id IN (SELECT id FROM picked) AND d.state = 'pending' "
    "AND (d.lease_until IS NULL OR d.lease_until <= $1::bigint) "
    "ORDER BY d.next_attempt_at, d.created_at, d.event_order, d.seq FOR UPDATE OF d SKIP LOCKED"};
inline constexpr NamedSql kLeaseWebhookDelivery{
    "lease webhook delivery",
    "UPDATE webhook_deliveries SET lease_owner = $2::text, lease_until = $3::bigint WHERE id = $1::text"};
inline constexpr NamedSql kReadWebhookJob{
    "read webhook job",
    "SELECT d.id, d.event_id, d.endpoint_id, d.state, d.attempts, d.next_attempt_at, d.created_at, "
    "v.id, v.project_id, v.type, v.subject_id, v.sequence, v.occurred_at, v.body, "
    "e.id, e.project_id, e.url, e.description, e.event_types_json, e.enabled, e.secret, e.previous_secret, "
    "e.previous_secret_expires_at, e.created_at, e.updated_at, e.failing_since, e.disabled_at, e.disabled_reason "
    "FROM webhook_deliveries d JOIN webhook_events v ON v.id = d.event_id "
    "JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = $1::text"};
inline constexpr NamedSql kFinishWebhookDelivery{
    "finish webhook attempt",
    "UPDATE webhook_deliveries SET attempts = attempts + 1, state = $3::text, next_attempt_at = $4::bigint, "
    "lease_owner = NULL, lease_until = NULL, finished_at = $5::bigint "
    "WHERE id = $1::text AND lease_owner = $2::text AND state = 'pending'"};
inline constexpr NamedSql kReadDeliveryRefs{
    "read webhook delivery",
    "SELECT d.endpoint_id, d.event_id, v.type FROM webhook_deliveries d JOIN webhook_events v ON v.id = d.event_id "
    "WHERE d.id = $1::text"};
inline constexpr NamedSql kEndpointFailing{
    "mark endpoint failing",
    "UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, $2::bigint) WHERE id = $1::text"};
inline constexpr NamedSql kEndpointSucceeding{
    "mark endpoint succeeding", "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1::text"};
inline constexpr NamedSql kInsertWebhookAttempt{
    "insert webhook attempt",
    "INSERT INTO webhook_attempts (delivery_id, endpoint_id, event_id, event_type, at, status, latency_ms, error, "
    "response_prefix) VALUES ($1::text, $2::text, $3::text, $4::text, $5::bigint, $6::bigint, $7::bigint, $8::text, "
    "$9::text)"};
inline constexpr NamedSql kListWebhookAttempts{
    "list webhook attempts",
    "SELECT delivery_id, endpoint_id, event_id, event_type, at, status, latency_ms, error, response_prefix "
    "FROM webhook_attempts WHERE endpoint_id = $1::text ORDER BY at DESC, seq DESC LIMIT $2::bigint OFFSET $3::bigint"};
inline constexpr NamedSql kWebhookBacklog{
    "read webhook backlog",
    "SELECT COUNT(*), MIN(v.occurred_at) FROM webhook_deliveries d JOIN webhook_events v ON v.id = d.event_id "
    "JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.state = 'pending' AND e.enabled"};
inline constexpr NamedSql kPurgeWebhookAttempts{
    "purge webhook attempts",
    "DELETE FROM webhook_attempts WHERE (delivery_id = '' AND at < $1::bigint) OR delivery_id IN "
    "(SELECT id FROM webhook_deliveries WHERE state <> 'pending' AND created_at < $1::bigint)"};
inline constexpr NamedSql kPurgeWebhookDeliveries{
    "purge webhook deliveries",
    "DELETE FROM webhook_deliveries WHERE state <> 'pending' AND created_at < $1::bigint"};
inline constexpr NamedSql kPurgeWebhookEvents{
    "purge webhook events",
    "DELETE FROM webhook_events v WHERE v.occurred_at < $1::bigint AND NOT EXISTS "
    "(SELECT 1 FROM webhook_deliveries d WHERE d.event_id = v.id)"};
#undef LS_WEBHOOK_EVENT_COLUMNS
inline constexpr NamedSql kTokenExpiredCandidates{
    "find expired tokens",
    "SELECT id, current_token_id FROM livestreams WHERE phase <> 'STARTED' AND token_expires_at <= $1::bigint "
    "AND token_expired_event_for IS DISTINCT FROM current_token_id ORDER BY token_expires_at, id LIMIT 500"};
// Conditional: a concurrent sweep waits on the row lock, re-checks, and changes nothing.
inline constexpr NamedSql kMarkTokenExpiredEvent{
    "mark expired token",
    "UPDATE livestreams SET token_expired_event_for = current_token_id WHERE id = $1::text "
    "AND current_token_id = $2::text AND phase <> 'STARTED' AND token_expires_at <= $3::bigint "
    "AND token_expired_event_for IS DISTINCT FROM current_token_id"};
inline constexpr NamedSql kMarkImportedExpiredTokens{
    "mark expired tokens",
    "UPDATE livestreams SET token_expired_event_for = current_token_id WHERE phase <> 'STARTED' "
    "AND token_expires_at <= $1::bigint"};
inline constexpr NamedSql kLockLivestream{
    "lock livestream", "SELECT " LS_LIVESTREAM_COLUMNS "FROM livestreams WHERE id = $1::text FOR UPDATE"};
inline constexpr NamedSql kLockProjectLivestreams{
    "lock project livestreams",
    "SELECT " LS_LIVESTREAM_COLUMNS "FROM livestreams WHERE project_id = $1::text ORDER BY seq FOR UPDATE"};
inline constexpr NamedSql kCountStartedOnServer{
    "count started livestreams",
    "SELECT COUNT(*) FROM livestreams WHERE media_server_id = $1::text AND phase = 'STARTED'"};
#undef LS_LIVESTREAM_COLUMNS

}  // namespace ls::postgres::sql
