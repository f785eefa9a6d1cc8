#include "app/config.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <functional>

#include "core/base_url.hpp"
#include "core/quoted.hpp"
#include "webhooks/duration.hpp"

namespace ls::app {

namespace {

Status fieldError(std::string_view key, std::string_view problem) {
  return invalidArgument("config " + std::string(key) + ": " + std::string(problem));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

Result<std::int64_t> parseInteger(std::string_view key, std::string_view value, std::int64_t min, std::int64_t max) {
  std::int64_t out = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc() || ptr != value.data() + value.size() || value.empty()) {
    return fieldError(key, quoted(value) + " is not an integer");
  }
  if (out < min || out > max) {
    return fieldError(key, std::to_string(out) + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
  }
  return out;
}


using Setter = std::function<Status(Config&, std::string_view key, std::string_view value)>;

template <typename Int>
Setter integerSetter(Int Config::*field, std::int64_t min, std::int64_t max) {
  return [field, min, max](Config& cfg, std::string_view key, std::string_view value) -> Status {
    auto n = parseInteger(key, value, min, max);
    if (!n.ok()) return n.status();
    cfg.*field = static_cast<Int>(*n);
    return Status::ok();
  };
}

Setter urlSetter(std::string Config::*field, std::initializer_list<std::string_view> schemes, std::string_view hint) {
  std::vector<std::string_view> allowed(schemes);
  std::string message(hint);
  return [field, allowed, message](Config& cfg, std::string_view key, std::string_view value) -> Status {
    for (std::string_view s : allowed) {
      if (isBaseUrl(value, {s})) {
        cfg.*field = withoutTrailingSlash(value);
        return Status::ok();
      }
    }
    return fieldError(key, quoted(value) + " " + message);
  };
}

Setter boolSetter(bool Config::*field) {
  return [field](Config& cfg, std::string_view key, std::string_view value) -> Status {
    if (value != "true" && value != "false") return fieldError(key, "must be true or false");
    cfg.*field = value == "true";
    return Status::ok();
  };
}

// A duration with a unit ("5d", "24h", "250ms"; webhooks/duration.hpp) within min..max ms.
Setter durationSetter(std::int64_t Config::*field, std::int64_t minMs, std::int64_t maxMs) {
  return [field, minMs, maxMs](Config& cfg, std::string_view key, std::string_view value) -> Status {
    auto ms = webhooks::parseDurationMs(value);
    if (!ms.ok()) return fieldError(key, ms.status().message());
    if (*ms < minMs || *ms > maxMs) {
      return fieldError(key, "must be " + webhooks::formatDuration(minMs) + " to " + webhooks::formatDuration(maxMs));
    }
    cfg.*field = *ms;
    return Status::ok();
  };
}

Setter listenSetter(ListenAddress Config::*field) {
  return [field](Config& cfg, std::string_view key, std::string_view value) -> Status {
    auto parsed = parseListenAddress(value);
    if (!parsed.ok()) return fieldError(key, parsed.status().message());
    cfg.*field = *parsed;
    return Status::ok();
  };
}

struct KeySpec {
  std::string_view key;
  Setter set;
};

Setter stringSetter(std::string Config::*field, std::size_t maxSize) {
  return [field, maxSize](Config& cfg, std::string_view key, std::string_view value) -> Status {
    if (value.size() > maxSize) return fieldError(key, "is over " + std::to_string(maxSize) + " characters");
    for (const char c : value) {
      if (c <= ' ' || c == 0x7f) return fieldError(key, "must not contain spaces or control characters");
    }
    cfg.*field = std::string(value);
    return Status::ok();
  };
}

const std::vector<KeySpec>& keySpecs() {
  static const std::vector<KeySpec> specs = {
      {"server.role",
       [](Config& cfg, std::string_view key, std::string_view value) -> Status {
         if (value == "all") {
           cfg.role = ServerRole::kAll;
         } else if (value == "api") {
           cfg.role = ServerRole::kApi;
         } else if (value == "media") {
           cfg.role = ServerRole::kMedia;
         } else {
           return fieldError(key, "must be all, api or media");
         }
         return Status::ok();
       }},
      {"data_dir",
       [](Config& cfg, std::string_view key, std::string_view value) -> Status {
         if (value.empty()) return fieldError(key, "must not be empty");
         cfg.dataDir = std::filesystem::path(std::string(value));
         return Status::ok();
       }},
      {"http.listen", listenSetter(&Config::http)},
      {"rtmp.listen", listenSetter(&Config::rtmp)},
      {"http.threads", integerSetter(&Config::httpThreads, 1, 64)},
      {"rtmp.threads", integerSetter(&Config::rtmpThreads, 0, 64)},
      {"public.api_url", urlSetter(&Config::publicApiUrl, {"http://", "https://"}, "must be an http(s):// URL")},
      {"public.rtmp_url", urlSetter(&Config::publicRtmpUrl, {"rtmp://", "rtmps://"}, "must be an rtmp(s):// URL")},
      {"public.hls_url", urlSetter(&Config::publicHlsUrl, {"http://", "https://"}, "must be an http(s):// URL")},
      {"media_server.name",
       [](Config& cfg, std::string_view key, std::string_view value) -> Status {
         if (value.empty() || value.size() > 255) return fieldError(key, "must be 1 to 255 characters");
         cfg.mediaServerName = std::string(value);
         return Status::ok();
       }},
      {"media_server.cdns",
       [](Config& cfg, std::string_view key, std::string_view value) -> Status {
         auto cdns = parseCdnList(value);
         if (!cdns.ok()) return fieldError(key, cdns.status().message());
         cfg.cdns = std::move(*cdns);
         return Status::ok();
       }},
      {"token.ttl_seconds", integerSetter(&Config::tokenTtlSeconds, 60, 2592000)},
      {"ratelimit.partner_per_minute", integerSetter(&Config::partnerRequestsPerMinute, 1, 10'000'000)},
      {"ratelimit.partner_per_hour", integerSetter(&Config::partnerRequestsPerHour, 1, 10'000'000)},
      {"ratelimit.public_per_minute", integerSetter(&Config::publicRequestsPerMinute, 1, 10'000'000)},
      {"ratelimit.sync_interval_ms", integerSetter(&Config::rateLimitSyncIntervalMs, 0, 60'000)},
      {"ratelimit.api_nodes", integerSetter(&Config::rateLimitApiNodes, 1, 1000)},
      {"usage.flush_interval_ms", integerSetter(&Config::usageFlushIntervalMs, 100, 3'600'000)},
      {"hls.segment_target_ms", integerSetter(&Config::hlsSegmentTargetMs, 500, 20000)},
      {"hls.window_segments", integerSetter(&Config::hlsWindowSegments, 2, 100)},
      {"hls.ended_linger_seconds", integerSetter(&Config::hlsEndedLingerSeconds, 0, 86400)},
      {"hls.first_segment_wait_ms", integerSetter(&Config::hlsFirstSegmentWaitMs, 0, 60000)},
      {"hls.ll_enabled", boolSetter(&Config::hlsLlEnabled)},
      {"hls.part_target_ms", integerSetter(&Config::hlsPartTargetMs, 100, 1000)},
      {"nodes.lease_seconds", integerSetter(&Config::nodesLeaseSeconds, 3, 86400)},
      {"nodes.poll_interval_seconds", integerSetter(&Config::nodesPollIntervalSeconds, 1, 3600)},
      {"keys.reload_seconds", integerSetter(&Config::keysReloadSeconds, 1, 3600)},
      {"auth.argon2_memory_kib", integerSetter(&Config::argon2MemoryKiB, 1024, 1024 * 1024)},
      {"auth.argon2_time_cost", integerSetter(&Config::argon2TimeCost, 1, 16)},
      {"auth.argon2_parallelism", integerSetter(&Config::argon2Parallelism, 1, 16)},
      {"auth.login_failures_per_account", integerSetter(&Config::loginFailuresPerAccount, 1, 1000)},
      {"auth.login_attempts_per_address", integerSetter(&Config::loginAttemptsPerAddress, 1, 1'000'000)},
      {"auth.login_threads", integerSetter(&Config::loginThreads, 1, 64)},
      {"auth.login_queue", integerSetter(&Config::loginQueue, 1, 10000)},
      {"auth.access_ttl_seconds", integerSetter(&Config::accessTtlSeconds, 1, 3600)},
      {"auth.refresh_ttl_seconds", integerSetter(&Config::refreshTtlSeconds, 300, 31'536'000)},
      {"teams.invitation_ttl_hours", integerSetter(&Config::invitationTtlHours, 1, 8760)},
      {"auth.cookie_secure",
       [](Config& cfg, std::string_view key, std::string_view value) -> Status {
         if (value != "auto" && value != "true" && value != "false") return fieldError(key, "must be auto, true or false");
         cfg.cookieSecure = std::string(value);
         return Status::ok();
       }},
      {"abr.enabled",
       [](Config& cfg, std::string_view key, std::string_view value) -> Status {
         if (value != "true" && value != "false") return fieldError(key, "must be true or false");
         cfg.abr.enabled = value == "true";
         return Status::ok();
       }},
      {"abr.ladder",
       [](Config& cfg, std::string_view key, std::string_view value) -> Status {
         auto ladder = abr::parseLadder(value);
         if (!ladder.ok()) return fieldError(key, ladder.status().message());
         cfg.abr.ladder = std::move(*ladder);
         return Status::ok();
       }},
      {"abr.x264_preset",
       [](Config& cfg, std::string_view key, std::string_view value) -> Status {
         if (!abr::isX264Preset(value)) {
           return fieldError(key,
                             "must be an x264 preset: ultrafast, superfast, veryfast, faster, fast, medium, "
                             "slow, slower, veryslow or placebo");
         }
         cfg.abr.x264Preset = std::string(value);
         return Status::ok();
       }},
      {"abr.max_lag_ms",
       [](Config& cfg, std::string_view key, std::string_view value) -> Status {
         auto n = parseInteger(key, value, 200, 60000);
         if (!n.ok()) return n.status();
         cfg.abr.maxLagMs = *n;
         return Status::ok();
       }},
      {"ingest.idle_timeout_seconds", integerSetter(&Config::ingestIdleTimeoutSeconds, 1, 3600)},
      {"ingest.handshake_timeout_seconds", integerSetter(&Config::ingestHandshakeTimeoutSeconds, 1, 600)},
      {"ingest.max_unauthorized_connections", integerSetter(&Config::ingestMaxUnauthorized, 1, 1'000'000)},
      {"ingest.max_unauthorized_per_address", integerSetter(&Config::ingestMaxUnauthorizedPerAddress, 1, 1'000'000)},
      {"ingest.max_unauthorized_mb", integerSetter(&Config::ingestMaxUnauthorizedMb, 1, 65536)},
      {"database.url",
       [](Config& cfg, std::string_view key, std::string_view value) -> Status {
         // The value is not echoed: it may hold a password.
         if (!value.empty() && !value.starts_with("postgres://") && !value.starts_with("postgresql://")) {
           return fieldError(key, "must be empty (SQLite in the data dir) or a postgres:// or postgresql:// URL");
         }
         cfg.databaseUrl = std::string(value);
         return Status::ok();
       }},
      {"database.busy_timeout_ms", integerSetter(&Config::databaseBusyTimeoutMs, 0, 600000)},
      {"metrics.token",
       [](Config& cfg, std::string_view key, std::string_view value) -> Status {
         if (!value.empty() && value.size() < 16) return fieldError(key, "must be empty or at least 16 characters");
         for (const char c : value) {
           if (c <= ' ' || c == 0x7f) return fieldError(key, "must not contain spaces or control characters");
         }
         cfg.metricsToken = std::string(value);
         return Status::ok();
       }},
      {"node.control_url", urlSetter(&Config::nodeControlUrl, {"http://", "https://"}, "must be an http(s):// URL")},
      {"node.id", stringSetter(&Config::nodeId, 64)},
      {"node.secret", stringSetter(&Config::nodeSecret, 256)},
      {"node.heartbeat_interval_ms", integerSetter(&Config::nodeHeartbeatIntervalMs, 100, 60000)},
      {"webhooks.enabled", boolSetter(&Config::webhooksEnabled)},
      {"webhooks.retry_schedule",
       [](Config& cfg, std::string_view key, std::string_view value) -> Status {
         auto schedule = webhooks::parseRetrySchedule(value);
         if (!schedule.ok()) return fieldError(key, schedule.status().message());
         if (schedule->front() != 0) {
           return fieldError(key, "must start with 0s: the first attempt is made as the event happens");
         }
         cfg.webhooksRetryScheduleMs = std::move(*schedule);
         return Status::ok();
       }},
      {"webhooks.timeout_ms", integerSetter(&Config::webhooksTimeoutMs, 100, 600'000)},
      {"webhooks.allow_private_targets", boolSetter(&Config::webhooksAllowPrivateTargets)},
      {"webhooks.disable_after", durationSetter(&Config::webhooksDisableAfterMs, 1000, webhooks::kMaxDurationMs)},
      {"webhooks.max_in_flight", integerSetter(&Config::webhooksMaxInFlight, 1, 10'000)},
      {"webhooks.per_endpoint_concurrency", integerSetter(&Config::webhooksPerEndpointConcurrency, 1, 1000)},
      {"webhooks.retention_days", integerSetter(&Config::webhooksRetentionDays, 1, 3650)},
      {"webhooks.secret_overlap", durationSetter(&Config::webhooksSecretOverlapMs, 0, 30LL * 86'400'000)},
      {"steering.enabled", boolSetter(&Config::steeringEnabled)},
      {"steering.ttl_seconds", integerSetter(&Config::steeringTtlSeconds, 1, 3600)},
      {"steering.probe_interval_ms", integerSetter(&Config::steeringProbeIntervalMs, 100, 3'600'000)},
      {"steering.probe_timeout_ms", integerSetter(&Config::steeringProbeTimeoutMs, 50, 60'000)},
      {"steering.failures_to_down", integerSetter(&Config::steeringFailuresToDown, 1, 100)},
      {"steering.successes_to_up", integerSetter(&Config::steeringSuccessesToUp, 1, 100)},
      {"steering.hysteresis_ms", integerSetter(&Config::steeringHysteresisMs, 0, 60'000)},
      {"steering.hysteresis_percent", integerSetter(&Config::steeringHysteresisPercent, 0, 1000)},
      {"log.level",
       [](Config& cfg, std::string_view key, std::string_view value) -> Status {
         for (std::string_view level : {"trace", "debug", "info", "warn", "error", "off"}) {
           if (value == level) {
             cfg.logLevel = std::string(value);
             return Status::ok();
           }
         }
         return fieldError(key, "must be one of trace, debug, info, warn, error, off");
       }},
  };
  return specs;
}

}  // namespace

std::string_view toString(ServerRole role) {
  switch (role) {
    case ServerRole::kApi: return "api";
    case ServerRole::kMedia: return "media";
    case ServerRole::kAll: break;
  }
  return "all";
}

std::string ListenAddress::toString() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<ListenAddress> parseListenAddress(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return invalidArgument(quoted(text) + " is not HOST:PORT");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return invalidArgument(quoted(text) + " is not HOST:PORT");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return invalidArgument("IPv6 hosts are written [HOST]:PORT");
  }
  if (host.empty()) return invalidArgument(quoted(text) + " has no host");
  for (char c : host) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
                    c == '-' || c == ':';
    if (!ok) return invalidArgument(quoted(host) + " is not a host name or address");
  }
  auto n = parseInteger("port", port, 0, 65535);
  if (!n.ok()) return invalidArgument("port '" + std::string(port) + "' must be 0..65535");
  return ListenAddress{std::string(host), static_cast<std::uint16_t>(*n)};
}

Result<std::vector<CdnEndpoint>> parseCdnList(std::string_view text) {
  std::vector<CdnEndpoint> out;
  text = trim(text);
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view item = trim(text.substr(0, comma));
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return invalidArgument(quoted(item) + " is not name=https://base-url");
    }
    out.push_back({std::string(trim(item.substr(0, eq))), withoutTrailingSlash(trim(item.substr(eq + 1)))});
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  // The same rules as a media server added through the API or the CLI.
  std::vector<std::string> problems;
  appendCdnProblems(out, problems);
  if (!problems.empty()) return invalidArgument(problems.front());
  return out;
}

auth::PasswordHashParams passwordHashParams(const Config& cfg) {
  return auth::PasswordHashParams{.timeCost = static_cast<std::uint32_t>(cfg.argon2TimeCost),
                                  .memoryKiB = static_cast<std::uint32_t>(cfg.argon2MemoryKiB),
                                  .parallelism = static_cast<std::uint32_t>(cfg.argon2Parallelism)};
}

Status applyConfigValue(Config& cfg, std::string_view key, std::string_view value) {
  for (const KeySpec& spec : keySpecs()) {
    if (spec.key == key) return spec.set(cfg, key, trim(value));
  }
  return invalidArgument("config " + std::string(key) + ": unknown setting");
}

const std::vector<std::string_view>& configKeys() {
  static const std::vector<std::string_view> keys = [] {
    std::vector<std::string_view> out;
    for (const KeySpec& spec : keySpecs()) out.push_back(spec.key);
    return out;
  }();
  return keys;
}

Result<ConfigValues> parseConfigText(std::string_view text) {
  ConfigValues out;
  std::size_t lineNo = 0;
  while (!text.empty()) {
    ++lineNo;
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.find('\0') != std::string_view::npos) {
      return invalidArgument("config line " + std::to_string(lineNo) + ": contains a NUL byte");
    }
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return invalidArgument("config line " + std::to_string(lineNo) + ": expected 'key = value'");
    }
    const std::string key(trim(line.substr(0, eq)));
    const std::string_view value = trim(line.substr(eq + 1));
    if (key.empty()) return invalidArgument("config line " + std::to_string(lineNo) + ": missing key");
    if (out.contains(key)) {
      return invalidArgument("config line " + std::to_string(lineNo) + ": " + key + " is set twice");
    }
    out.emplace(key, std::string(value));
  }
  return out;
}

ConfigValues configFromEnvironment(char** environ) {
  ConfigValues out;
  if (environ == nullptr) return out;
  for (std::string_view key : configKeys()) {
    std::string name = "LUNARSTREAM_";
    for (char c : key) name.push_back(c == '.' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c));
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string_view entry(*e);
      if (entry.size() > name.size() && entry.substr(0, name.size()) == name && entry[name.size()] == '=') {
        out.emplace(std::string(key), std::string(entry.substr(name.size() + 1)));
      }
    }
  }
  return out;
}

Status checkHlsConfig(const Config& cfg) {
  if (cfg.hlsLlEnabled && cfg.hlsPartTargetMs * 2 > cfg.hlsSegmentTargetMs) {
    return fieldError("hls.part_target_ms", "(" + std::to_string(cfg.hlsPartTargetMs) +
                                                ") must be at most half of hls.segment_target_ms (" +
                                                std::to_string(cfg.hlsSegmentTargetMs) +
                                                "), or set hls.ll_enabled = false");
  }
  return Status::ok();
}

void derivePublicUrls(Config& cfg, std::uint16_t boundHttpPort, std::uint16_t boundRtmpPort) {
  auto publicHost = [](const std::string& host) -> std::string {
    if (host == "0.0.0.0" || host.empty()) return "127.0.0.1";
    if (host == "::") return "[::1]";
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
  };
  if (cfg.publicApiUrl.empty()) {
    cfg.publicApiUrl = "http://" + publicHost(cfg.http.host) + ":" + std::to_string(boundHttpPort);
  }
  if (cfg.publicHlsUrl.empty()) cfg.publicHlsUrl = cfg.publicApiUrl;
  if (cfg.publicRtmpUrl.empty()) {
    cfg.publicRtmpUrl = "rtmp://" + publicHost(cfg.rtmp.host) + ":" + std::to_string(boundRtmpPort) + "/live";
  }
}

Result<ConfigValues> readConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalidArgument("config file " + path + " cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().size() > 1024 * 1024) return invalidArgument("config file " + path + " is over 1 MiB");
  auto values = parseConfigText(text.str());
  if (!values.ok()) return invalidArgument(path + ": " + values.status().message());
  return values;
}

}  // namespace ls::app
