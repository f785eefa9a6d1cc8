// Typed configuration of `lunarstream serve`, with its defaults in one place.
// Sources, later ones winning: defaults < config file < LUNARSTREAM_* environment < flags.
// Every value is validated when it is read; a bad one is an error naming its key.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/password.hpp"
#include "core/model.hpp"
#include "core/status.hpp"
#include "media/abr/ladder_config.hpp"

namespace ls::app {

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
  [[nodiscard]] std::string toString() const;
};

// What one `serve` process runs (server.role): everything, the API tier
// only, or a media node only (RTMP ingest + HLS origin, no database).
enum class ServerRole { kAll, kApi, kMedia };
std::string_view toString(ServerRole role);

struct Config {
  ServerRole role = ServerRole::kAll;
  std::filesystem::path dataDir = "./data";
  ListenAddress http{"0.0.0.0", 8080};
  ListenAddress rtmp{"0.0.0.0", 1935};
  // Public base URLs; empty means "derive from the listen address".
  std::string publicApiUrl;
  std::string publicRtmpUrl;
  std::string publicHlsUrl;
  std::string mediaServerName = "embedded";
  std::vector<CdnEndpoint> cdns;
  std::size_t httpThreads = 2;
  // RTMP ingest event loops; 0 means one per CPU core.
  std::size_t rtmpThreads = 0;
  std::int64_t tokenTtlSeconds = 3600;
  std::int64_t partnerRequestsPerMinute = 100;
  std::int64_t partnerRequestsPerHour = 1000;
  std::int64_t publicRequestsPerMinute = 1000;
  // On PostgreSQL, partner limits are shared by every API process on the
  // database: each syncs its counts this often (ms; 0 keeps them per process).
  std::int64_t rateLimitSyncIntervalMs = 250;
  // Usage metering: how often metered usage is stored (one batch per flush);
  // a crash loses at most this much.
  std::int64_t usageFlushIntervalMs = 5000;
  // How many API processes share the database (sizes how often a key near
  // its limit syncs; a higher guess only syncs more).
  std::int64_t rateLimitApiNodes = 4;
  std::int64_t hlsSegmentTargetMs = 2000;
  std::size_t hlsWindowSegments = 6;
  std::int64_t hlsEndedLingerSeconds = 60;
  // How long a playlist of a publishing stream without segments yet is held
  // before its 404 (media_server::HlsOriginOptions); 0 answers 404 at once.
  std::int64_t hlsFirstSegmentWaitMs = 4000;
  // Low-latency HLS (fMP4 parts, blocking reload) beside the MPEG-TS playlists;
  // livestreams then list llHlsSources.
  bool hlsLlEnabled = true;
  std::int64_t hlsPartTargetMs = 200;
  // nodes.*: leases and polling of external media nodes (control::NodeLeaseOptions).
  std::int64_t nodesLeaseSeconds = 30;
  std::int64_t nodesPollIntervalSeconds = 5;
  // keys.reload_seconds: how often the push-token keys are read from the
  // store (control::StoreKeyRing); `keys rotate` activates a new key after
  // twice this by default, so every process verifies it before any signs.
  std::int64_t keysReloadSeconds = 30;
  // auth.*: dashboard logins (control::SessionService, api/auth_routes.hpp).
  // argon2id parameters of new and upgraded password hashes; defaults are
  // auth::PasswordHashParams'.
  std::int64_t argon2MemoryKiB = 19 * 1024;
  std::int64_t argon2TimeCost = 2;
  std::int64_t argon2Parallelism = 1;
  // Failed logins per account per 15 minutes, and attempts per client
  // address per minute, before 429.
  std::int64_t loginFailuresPerAccount = 5;
  std::int64_t loginAttemptsPerAddress = 30;
  // The login pool (argon2 never runs on an event loop): threads, and logins
  // that may wait for one before 503.
  std::int64_t loginThreads = 2;
  std::int64_t loginQueue = 64;
  std::int64_t refreshTtlSeconds = 14LL * 24 * 3600;
  // Lifetime of a dashboard access token (short values are for tests).
  std::int64_t accessTtlSeconds = 900;
  // Secure on the session cookies: true, false, or auto (when public.api_url is https://).
  std::string cookieSecure = "auto";
  // How long a team invitation can be accepted (teams.invitation_ttl_hours).
  std::int64_t invitationTtlHours = 168;
  std::int64_t ingestIdleTimeoutSeconds = 10;
  // Connections not yet authorized to publish: deadline and budgets.
  std::int64_t ingestHandshakeTimeoutSeconds = 10;
  std::size_t ingestMaxUnauthorized = 1000;
  std::size_t ingestMaxUnauthorizedPerAddress = 50;
  std::size_t ingestMaxUnauthorizedMb = 64;
  // abr.*: the transcoding ladder (SPEC §5); its defaults live in abr::AbrOptions.
  abr::AbrOptions abr;
  // postgres://user:pass@host:port/db to keep the data in PostgreSQL; empty:
  // SQLite (lunarstream.db) in the data dir. The data dir still holds the
  // push-token keys and HLS scratch either way.
  std::string databaseUrl;
  std::int64_t databaseBusyTimeoutMs = 5000;
  std::string logLevel = "info";
  // Bearer token GET /metrics requires; empty: metrics are open (bind the
  // HTTP listener to a private address then).
  std::string metricsToken;
  // node.*: a `--role media` node's link to the API tier.
  std::string nodeControlUrl;
  std::string nodeId;
  std::string nodeSecret;
  std::int64_t nodeHeartbeatIntervalMs = 2000;
  // webhooks.*: partner webhook delivery (docs/webhooks.md; webhooks::DispatcherOptions).
  bool webhooksEnabled = true;
  // Entry i: the wait before attempt i + 1 (entry 0 is 0s: the first attempt is at once).
  std::vector<std::int64_t> webhooksRetryScheduleMs{0,          5'000,         300'000,       1'800'000,
                                                    7'200'000,  18'000'000,    36'000'000,    36'000'000};
  std::int64_t webhooksTimeoutMs = 10'000;
  bool webhooksAllowPrivateTargets = false;
  std::int64_t webhooksDisableAfterMs = 5LL * 86'400'000;
  std::int64_t webhooksMaxInFlight = 256;
  std::int64_t webhooksPerEndpointConcurrency = 4;
  std::int64_t webhooksRetentionDays = 30;
  // How long a rotated-out secret keeps signing (`webhook rotate-secret` default).
  std::int64_t webhooksSecretOverlapMs = 24LL * 3'600'000;
  // steering.*: HLS Content Steering across a media server's CDNs
  // (docs/steering.md; control::SteeringOptions).
  bool steeringEnabled = true;
  std::int64_t steeringTtlSeconds = 5;
  std::int64_t steeringProbeIntervalMs = 2000;
  std::int64_t steeringProbeTimeoutMs = 1500;
  std::int64_t steeringFailuresToDown = 2;
  std::int64_t steeringSuccessesToUp = 2;
  std::int64_t steeringHysteresisMs = 30;
  std::int64_t steeringHysteresisPercent = 20;
};

// key -> value as written in a file, the environment or flags.
using ConfigValues = std::map<std::string, std::string, std::less<>>;

// Applies one key (e.g. "http.listen") to cfg; InvalidArgument naming the key on a bad value or unknown key.
Status applyConfigValue(Config& cfg, std::string_view key, std::string_view value);

// Parses the config file text: "key = value" lines, '#' comments, blank lines.
// Errors name the line and key.
Result<ConfigValues> parseConfigText(std::string_view text);
// Reads and parses a config file (at most 1 MiB); errors name the file.
Result<ConfigValues> readConfigFile(const std::string& path);

// LUNARSTREAM_HTTP_LISTEN=... -> {"http.listen", ...} for every known key.
ConfigValues configFromEnvironment(char** environ);

// Every known key, in the order of the sample file.
const std::vector<std::string_view>& configKeys();

// URLs derived from listen addresses where not set explicitly
// (0.0.0.0 / :: become 127.0.0.1). Call after the listeners are bound
// so that port 0 resolves to the real port.
void derivePublicUrls(Config& cfg, std::uint16_t boundHttpPort, std::uint16_t boundRtmpPort);

// Rules between hls.* keys that no single key can check: a part must be at
// most half a segment (hls.part_target_ms vs hls.segment_target_ms).
Status checkHlsConfig(const Config& cfg);

// The argon2id parameters of auth.argon2_*.
auth::PasswordHashParams passwordHashParams(const Config& cfg);

Result<ListenAddress> parseListenAddress(std::string_view text);
Result<std::vector<CdnEndpoint>> parseCdnList(std::string_view text);

}  // namespace ls::app
