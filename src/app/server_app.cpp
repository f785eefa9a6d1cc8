#include "app/server_app.hpp"
#include "app/server_parts.hpp"

#include <spdlog/spdlog.h>

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

#include "api/admin_audit_routes.hpp"
#include "api/admin_user_routes.hpp"
#include "api/admin_livestream_routes.hpp"
#include "api/admin_media_server_routes.hpp"
#include "api/api_deps.hpp"
#include "api/dashboard_routes.hpp"
#include "api/auth_routes.hpp"
#include "api/hook_routes.hpp"
#include "api/livestream_routes.hpp"
#include "api/node_routes.hpp"
#include "api/public_routes.hpp"
#include "api/rate_count_sync.hpp"
#include "api/rate_limiter.hpp"
#include "api/shared_rate_limiter.hpp"
#include "api/webhook_event_json.hpp"
#include "app/data_dir.hpp"
#include "auth/jwks.hpp"
#include "auth/signing_key.hpp"
#include "control/control_ingest_service.hpp"
#include "control/health_service.hpp"
#include "control/key_ring.hpp"
#include "control/livestream_service.hpp"
#include "control/media_server_service.hpp"
#include "control/node_service.hpp"
#include "control/node_supervisor.hpp"
#include "control/project_service.hpp"
#include "control/signing_keys.hpp"
#include "control/usage_service.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http_client/http_client.hpp"
#include "media/server/hls_origin.hpp"
#include "media/server/media_server.hpp"
#include "media/server/metrics.hpp"
#include "nodes/external_node_api.hpp"
#include "store/postgres/errors.hpp"
#include "webhooks/dispatcher.hpp"

namespace ls::app {

namespace {
constexpr const char* kVersion = "0.1.0";

// The CPUs this process may run on: the affinity mask (taskset, a cgroup
// cpuset) rather than every core of the machine.
unsigned usableCpuCount() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<unsigned>(n);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}
}  // namespace


namespace {

// First start: a default team, project and API key, printed once with a
// curl command that works as pasted.
Status bootstrapDefaultProject(ServerApp::Parts& p);
Status startWebhooks(ServerApp::Parts& p, Store& store);

// A limiter for login throttling: shared by every API process on PostgreSQL
// (synced like the partner limits), this process's counts otherwise.
std::unique_ptr<api::RateLimiter> loginLimiter(ServerApp::Parts& p, Store& store, api::RateLimit limit) {
  const Config& cfg = p.config;
  if (!cfg.databaseUrl.empty() && cfg.rateLimitSyncIntervalMs > 0) {
    auto shared = std::make_unique<api::SharedRateLimiter>(p.clock, std::vector<api::RateLimit>{limit},
                                                           cfg.rateLimitApiNodes);
    p.loginRateSyncs.push_back(std::make_unique<api::RateCountSync>(
        *shared, store, p.clock, std::chrono::milliseconds(cfg.rateLimitSyncIntervalMs)));
    return shared;
  }
  return std::make_unique<api::LocalRateLimiter>(p.clock, std::vector<api::RateLimit>{limit});
}

// Sessions (the access-token key is read or created here), throttles, the
// login pool and what the auth routes get.
Status startLogins(ServerApp::Parts& p, Store& store) {
  const Config& cfg = p.config;
  control::SessionOptions options;
  options.passwordParams = passwordHashParams(cfg);
  options.refreshTtlMs = cfg.refreshTtlSeconds * 1000;
  options.accessTtlSeconds = cfg.accessTtlSeconds;
  auto sessions = control::SessionService::create(store, p.clock, p.random, options);
  if (!sessions.ok()) return sessions.status();
  p.sessions = std::move(*sessions);
  // Expired refresh tokens only take room; a failure here must not stop a start.
  if (auto purged = store.purgeExpiredSessions(p.clock.now()); !purged.ok()) {
    spdlog::warn("could not purge expired sessions: {}", purged.status().message());
  } else if (*purged > 0) {
    spdlog::info("purged {} expired refresh token(s)", *purged);
  }
  constexpr std::int64_t kAccountWindowMs = 15 * api::kMinuteMs;
  p.loginAddressLimiter = loginLimiter(p, store, {cfg.loginAttemptsPerAddress, api::kMinuteMs});
  p.loginAccountLimiter = loginLimiter(p, store, {cfg.loginFailuresPerAccount, kAccountWindowMs});
  p.loginPool = std::make_unique<api::BoundedPool>(static_cast<std::size_t>(cfg.loginThreads),
                                                   static_cast<std::size_t>(cfg.loginQueue));
  const bool secure =
      cfg.cookieSecure == "true" || (cfg.cookieSecure == "auto" && cfg.publicApiUrl.starts_with("https://"));
  p.authDeps = std::make_unique<api::AuthDeps>(api::AuthDeps{.sessions = *p.sessions,
                                                             .addressLimiter = *p.loginAddressLimiter,
                                                             .accountLimiter = *p.loginAccountLimiter,
                                                             .loginPool = *p.loginPool,
                                                             .clock = p.clock,
                                                             .cookieSecure = secure,
                                                             .store = &store});
  p.users = std::make_unique<control::UserService>(store, p.clock, p.random, passwordHashParams(cfg));
  p.teams = std::make_unique<control::TeamService>(store, *p.projects, *p.users, p.sessions.get(), p.clock, p.random,
                                                   control::TeamOptions{cfg.invitationTtlHours});
  p.teamDeps = std::make_unique<api::TeamRouteDeps>(
      api::TeamRouteDeps{*p.teams, *p.sessions, store, p.clock, secure});
  // Used and expired invitations only take room; a failure must not stop a start.
  if (auto purged = store.purgeInvitations(p.clock.now()); !purged.ok()) {
    spdlog::warn("could not purge old invitations: {}", purged.status().message());
  }
  return Status::ok();
}

// The webhook dispatcher of an API process (not started yet), when webhooks.enabled.
Status startWebhooks(ServerApp::Parts& p, Store& store) {
  const Config& cfg = p.config;
  if (!cfg.webhooksEnabled) {
    spdlog::info("webhook delivery is off (webhooks.enabled = false)");
    return Status::ok();
  }
  webhooks::DispatcherOptions options;
  options.retrySchedule = cfg.webhooksRetryScheduleMs;
  options.timeoutMs = cfg.webhooksTimeoutMs;
  options.allowPrivateTargets = cfg.webhooksAllowPrivateTargets;
  options.disableAfterMs = cfg.webhooksDisableAfterMs;
  options.maxInFlight = cfg.webhooksMaxInFlight;
  options.perEndpointConcurrency = cfg.webhooksPerEndpointConcurrency;
  options.retentionDays = cfg.webhooksRetentionDays;
  p.webhookDispatcher = std::make_unique<webhooks::Dispatcher>(store, p.clock, p.random, std::move(options));
  if (cfg.webhooksAllowPrivateTargets) {
    spdlog::warn("webhooks.allow_private_targets = true: webhooks may reach loopback and private addresses");
  }
  return Status::ok();
}

}  // namespace

ServerApp::ServerApp(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

ServerApp::~ServerApp() { stop(); }

void ServerApp::stop() {
  if (!parts_ || parts_->stopped) return;
  parts_->stopped = true;
  // Ingest first (it records ENDED for live streams), then the API, then
  // the node supervisor (hooks may be calling into the node service until then).
  if (parts_->mediaServer) parts_->mediaServer->stop();
  if (parts_->heartbeat) parts_->heartbeat->stop();
  // Logins in flight answer through the HTTP server: finish them first.
  if (parts_->loginPool) parts_->loginPool->stop();
  if (parts_->httpServer) parts_->httpServer->stop();
  // After the media plane and the origin: the last batch has everything.
  if (parts_->usageFlusher) parts_->usageFlusher->stop();
  if (parts_->nodeSupervisor) parts_->nodeSupervisor->stop();
  if (parts_->steeringProber) parts_->steeringProber->stop();
  if (parts_->webhookDispatcher) parts_->webhookDispatcher->stop();
  if (parts_->keys) parts_->keys->stop();
}

std::vector<http::RouteInfo> ServerApp::routes() const { return parts_->router.routes(); }

media_server::MediaServerOptions mediaOptionsFor(const Config& cfg) {
  media_server::MediaServerOptions mediaOptions;
  mediaOptions.segmentTargetMs = cfg.hlsSegmentTargetMs;
  mediaOptions.windowSegments = cfg.hlsWindowSegments;
  mediaOptions.endedLingerMs = cfg.hlsEndedLingerSeconds * 1000;
  mediaOptions.idleTimeoutMs = cfg.ingestIdleTimeoutSeconds * 1000;
  mediaOptions.handshakeTimeoutMs = cfg.ingestHandshakeTimeoutSeconds * 1000;
  mediaOptions.unauthorized = {cfg.ingestMaxUnauthorized, cfg.ingestMaxUnauthorizedPerAddress,
                               cfg.ingestMaxUnauthorizedMb << 20};
  // Ingest spreads over every usable core by default: one loop held all of it
  // before (bench/RESULTS.md, Media findings).
  mediaOptions.loops = cfg.rtmpThreads > 0 ? static_cast<std::size_t>(cfg.rtmpThreads) : std::size_t{usableCpuCount()};
  mediaOptions.abr = cfg.abr;
  mediaOptions.ll = {cfg.hlsLlEnabled, cfg.hlsPartTargetMs};
  return mediaOptions;
}

control::SteeringOptions steeringOptionsFor(const Config& cfg) {
  control::SteeringOptions o;
  o.enabled = cfg.steeringEnabled;
  o.ttlSeconds = cfg.steeringTtlSeconds;
  o.probeIntervalMs = cfg.steeringProbeIntervalMs;
  o.probeTimeoutMs = cfg.steeringProbeTimeoutMs;
  o.failuresToDown = static_cast<int>(cfg.steeringFailuresToDown);
  o.successesToUp = static_cast<int>(cfg.steeringSuccessesToUp);
  o.hysteresisMs = cfg.steeringHysteresisMs;
  o.hysteresisPercent = cfg.steeringHysteresisPercent;
  return o;
}

const char* serverVersion() { return kVersion; }

Result<std::unique_ptr<ServerApp>> ServerApp::start(Config config) {
  auto p = std::make_unique<Parts>();
  p->config = std::move(config);
  if (p->config.role == ServerRole::kMedia) return startMediaNode(std::move(p));
  Config& cfg = p->config;
  // The API tier runs no media plane: remote nodes (`node add`) carry the streams.
  const bool media = cfg.role == ServerRole::kAll;

  auto dir = openDataDir(cfg.dataDir, cfg.databaseBusyTimeoutMs, cfg.databaseUrl);
  if (!dir.ok()) return std::move(dir).takeStatus();
  p->dataDir = std::move(*dir);
  Store& store = *p->dataDir.store;

  auto firstKey = control::ensureSigningKey(store, p->clock, legacySigningKeyFile(cfg.dataDir));
  if (!firstKey.ok()) return std::move(firstKey).takeStatus();
  if (firstKey->has_value()) spdlog::info("stored the first push-token signing key {}", **firstKey);
  p->keys = std::make_unique<control::StoreKeyRing>(store, p->clock,
                                                    control::KeyRingOptions{.reloadMs = cfg.keysReloadSeconds * 1000});
  LS_RETURN_IF_ERROR(p->keys->reload());
  if (!p->keys->signer()) spdlog::warn("no active push-token signing key: `lunarstream keys rotate` adds one");
  p->projects = std::make_unique<control::ProjectService>(store, p->clock, p->random);
  p->mediaServers = std::make_unique<control::MediaServerService>(store, p->clock, p->random);
  p->nodeApi = std::make_unique<nodes::ExternalNodeApi>(p->httpClient);
  control::NodeLeaseOptions lease;
  lease.leaseMs = cfg.nodesLeaseSeconds * 1000;
  lease.pollIntervalMs = cfg.nodesPollIntervalSeconds * 1000;
  // Two polls' time for a node to register a stream it just authorized.
  lease.registrationGraceMs = std::clamp<std::int64_t>(2 * lease.pollIntervalMs, 2000, 10000);
  p->nodes = std::make_unique<control::NodeService>(store, p->clock, p->nodeApi.get(), lease);
  control::LivestreamOptions livestreamOptions;
  livestreamOptions.defaultTokenTtlSeconds = cfg.tokenTtlSeconds;
  livestreamOptions.lease = lease;
  p->livestreams =
      std::make_unique<control::LivestreamService>(store, *p->keys, p->clock, p->random, livestreamOptions);
  p->livestreams->setNodeApi(p->nodeApi.get());
  p->steering = std::make_unique<control::SteeringState>(steeringOptionsFor(cfg));
  p->mediaServers->setSteering(p->steering.get());
  p->livestreams->setSteering(p->steering.get());
  const std::vector<api::RateLimit> partnerLimits{{cfg.partnerRequestsPerMinute, api::kMinuteMs},
                                                  {cfg.partnerRequestsPerHour, api::kHourMs}};
  if (!cfg.databaseUrl.empty() && cfg.rateLimitSyncIntervalMs > 0) {
    // Several API processes may share this database: partner limits count
    // across them. With SQLite one process serves the API, and per-process
    // counts are the whole count.
    auto shared = std::make_unique<api::SharedRateLimiter>(p->clock, partnerLimits, cfg.rateLimitApiNodes);
    p->rateSync = std::make_unique<api::RateCountSync>(*shared, store, p->clock,
                                                       std::chrono::milliseconds(cfg.rateLimitSyncIntervalMs));
    p->partnerLimiter = std::move(shared);
  } else {
    p->partnerLimiter = std::make_unique<api::LocalRateLimiter>(p->clock, partnerLimits);
  }
  p->publicLimiter = std::make_unique<api::LocalRateLimiter>(p->clock, cfg.publicRequestsPerMinute);
  p->health = std::make_unique<control::HealthService>(store);
  p->apiDeps = std::make_unique<api::ApiDeps>(api::ApiDeps{*p->projects, *p->livestreams, *p->mediaServers, *p->nodes, *p->health,
                                                           p->clock, *p->partnerLimiter, *p->publicLimiter,
                                                           *p->keys, "", kVersion,
                                                           p->clock.now()});
  LS_RETURN_IF_ERROR(startLogins(*p, store));
  p->apiDeps->sessions = p->sessions.get();
  p->apiDeps->steering = p->steering.get();
  p->ingest = std::make_unique<control::ControlIngestService>(store, *p->keys, p->clock, control::IngestOptions{});
  p->apiDeps->ingest = p->ingest.get();
  // Stores this process's usage and remote media nodes' (the internal node API).
  p->usageReporter = std::make_unique<control::StoreUsageReporter>(store, p->clock);
  p->apiDeps->usage = p->usageReporter.get();
  if (media) {
    LS_RETURN_IF_ERROR(checkHlsConfig(cfg));
    p->usageMeter = std::make_unique<usage::UsageMeter>();
    p->usageFlusher = std::make_unique<ingest::UsageFlusher>(*p->usageMeter, *p->usageReporter, p->random,
                                                             std::chrono::milliseconds(cfg.usageFlushIntervalMs));
    media_server::MediaServerOptions mediaOptions = mediaOptionsFor(cfg);
    mediaOptions.usage = p->usageMeter.get();
    p->mediaServer = std::make_unique<media_server::MediaServer>(mediaOptions, *p->ingest, p->clock, p->random);
    p->livestreams->addStreamCutter(p->mediaServer.get());
    media_server::registerHlsRoutes(p->router, p->mediaServer->hls(),
                                    {std::chrono::milliseconds(cfg.hlsFirstSegmentWaitMs),
                                     std::chrono::milliseconds(3 * cfg.hlsSegmentTargetMs),
                                     &p->mediaServer->originCounters(), &p->clock,
                                     cfg.steeringEnabled ? &p->steeringBoard : nullptr});
  }
  LS_RETURN_IF_ERROR(startWebhooks(*p, store));
  const webhooks::Dispatcher* dispatcher = p->webhookDispatcher.get();
  const control::SteeringState* steering = cfg.steeringEnabled ? p->steering.get() : nullptr;
  media_server::MetricsAppender webhookMetrics = [dispatcher, steering](std::string& out) {
    if (dispatcher != nullptr) webhooks::appendWebhookMetrics(out, dispatcher->counters());
    if (steering != nullptr) control::appendSteeringMetrics(out, steering->views());
  };
  if (media) {
    media_server::registerMetricsRoute(p->router, *p->mediaServer, cfg.metricsToken, &p->usageFlusher->counters(),
                                       webhookMetrics);
  } else {
    media_server::registerMetricsTextRoute(p->router, cfg.metricsToken, webhookMetrics);
  }
  api::registerLivestreamRoutes(p->router, *p->apiDeps);
  api::registerMediaServerRoutes(p->router, *p->apiDeps);
  api::registerPublicRoutes(p->router, *p->apiDeps);
  api::registerHookRoutes(p->router, *p->apiDeps);
  api::registerNodeRoutes(p->router, *p->apiDeps);
  api::registerDashboardRoutes(p->router, *p->apiDeps);
  api::registerAuthRoutes(p->router, *p->authDeps);
  api::registerTeamMemberRoutes(p->router, *p->teamDeps);
  p->usageService = std::make_unique<control::UsageService>(store);
  p->adminDeps = std::make_unique<api::AdminDeps>(api::AdminDeps{*p->apiDeps, *p->sessions, *p->usageService, store});
  api::registerAdminProjectRoutes(p->router, *p->adminDeps);
  api::registerAdminAuditRoutes(p->router, *p->adminDeps);
  api::registerAdminLivestreamRoutes(p->router, *p->adminDeps);
  api::registerAdminMediaServerRoutes(p->router, *p->adminDeps);
  p->adminUserDeps = std::make_unique<api::AdminUserDeps>(api::AdminUserDeps{
      *p->adminDeps, *p->users, p->random, *p->loginPool, cfg.keysReloadSeconds, p->authDeps->cookieSecure});
  api::registerAdminUserRoutes(p->router, *p->adminUserDeps);
  p->webhooks = std::make_unique<control::WebhookService>(
      store, p->clock, p->random, control::WebhookOptions{.secretOverlapSeconds = cfg.webhooksSecretOverlapMs / 1000,
                                                  .allowPrivateTargets = cfg.webhooksAllowPrivateTargets});
  p->webhookDeps = std::make_unique<api::WebhookRouteDeps>(api::WebhookRouteDeps{*p->adminDeps, *p->webhooks});
  api::registerAdminWebhookRoutes(p->router, *p->webhookDeps);

  http::ServerOptions httpOptions;
  httpOptions.threads = cfg.httpThreads;
  p->httpServer = std::make_unique<http::Server>(httpOptions, p->router);
  auto httpEndpoint = p->httpServer->listen(cfg.http.host, cfg.http.port);
  if (!httpEndpoint.ok()) {
    return unavailable("cannot listen for HTTP on " + cfg.http.toString() + ": " + httpEndpoint.status().message());
  }
  std::uint16_t rtmpPort = 0;
  if (media) {
    auto rtmpEndpoint = p->mediaServer->listen(cfg.rtmp.host, cfg.rtmp.port);
    if (!rtmpEndpoint.ok()) return std::move(rtmpEndpoint).takeStatus();
    rtmpPort = rtmpEndpoint->port;
  }
  derivePublicUrls(cfg, httpEndpoint->port, rtmpPort);
  if (!media) cfg.publicRtmpUrl.clear();
  p->apiDeps->apiBaseUrl = cfg.publicApiUrl;
  p->apiDeps->llHls = cfg.hlsLlEnabled;
  // Webhook events carry the partner API's JSON, so the renderer needs the
  // public URL: installed as soon as it is known, before any event-causing change.
  store.setWebhookRenderer(api::webhookRenderer(cfg.publicApiUrl, lease, cfg.hlsLlEnabled));

  if (media) {
    control::MediaServerInput embeddedInput;
    embeddedInput.name = cfg.mediaServerName;
    embeddedInput.type = MediaServerType::kEmbedded;
    embeddedInput.rtmpBaseUrl = cfg.publicRtmpUrl;
    embeddedInput.hlsBaseUrl = cfg.publicHlsUrl;
    embeddedInput.cdns = cfg.cdns;
    auto embedded = p->mediaServers->ensureEmbedded(embeddedInput);
    if (!embedded.ok()) return std::move(embedded).takeStatus();
    p->embedded = std::move(*embedded);
    // Nothing is live right after a start: streams left STARTED by a previous run have ended.
    auto ended = store.endAllStartedLivestreams(p->embedded.id, p->clock.now());
    if (!ended.ok()) return std::move(ended).takeStatus();
    if (*ended > 0) spdlog::info("marked {} livestream(s) left live by the previous run as ENDED", *ended);
    // This process's origin steers by its own server's order.
    p->steering->setListener([state = p->steering.get(), board = &p->steeringBoard, id = p->embedded.id](
                                 const std::string& serverId) {
      if (serverId == id) board->set(std::make_shared<const SteeringSnapshot>(state->snapshot(id)));
    });
    p->steering->configure(p->embedded);
  }
  if (cfg.steeringEnabled) p->steeringProber = std::make_unique<SteeringProber>(store, *p->steering, p->clock);
  // External nodes that fell silent while this process was down are OFFLINE
  // now, before the first request, so none of their streams stays STARTED.
  LS_RETURN_IF_ERROR(p->nodes->sweepLeases());
  p->nodeSupervisor = std::make_unique<control::NodeSupervisor>(*p->nodes, store, p->clock);

  LS_RETURN_IF_ERROR(bootstrapDefaultProject(*p));

  if (media) {
    p->mediaServer->setMediaServerId(p->embedded.id);
    p->mediaServer->start();
    p->usageFlusher->start();
  }
  p->httpServer->start();
  p->nodeSupervisor->start();
  if (p->steeringProber) p->steeringProber->start();
  p->keys->start();
  if (p->webhookDispatcher) p->webhookDispatcher->start();
  spdlog::info("LunarStream {} serving (role {}): api={} hls={} rtmp={} data={} database={}", kVersion,
               toString(cfg.role), cfg.publicApiUrl, media ? cfg.publicHlsUrl : "-", media ? cfg.publicRtmpUrl : "-",
               cfg.dataDir.string(), cfg.databaseUrl.empty() ? "sqlite" : postgres::redactedTarget(cfg.databaseUrl));
  // A stable line on stdout for scripts and tests that start the server on port 0.
  // The API tier has no RTMP listener: "rtmp=-" and rtmp_port=0.
  std::cout << "LunarStream ready: api=" << cfg.publicApiUrl
            << " rtmp=" << (cfg.publicRtmpUrl.empty() ? std::string("-") : cfg.publicRtmpUrl)
            << " http_port=" << httpEndpoint->port << " rtmp_port=" << rtmpPort << std::endl;
  return std::unique_ptr<ServerApp>(new ServerApp(std::move(p)));
}

namespace {

Status bootstrapDefaultProject(ServerApp::Parts& p) {
  auto existing = p.dataDir.store->listProjects();
  if (!existing.ok()) return std::move(existing).takeStatus();
  if (!existing->empty()) return Status::ok();
  auto created = p.projects->create("Default project", "Default team",
                                        Actor{ActorType::kCli, "serve", "first start"});
  if (!created.ok()) return std::move(created).takeStatus();
  const std::string& url = p.config.publicApiUrl;
  std::cout << "\nFirst start: created team \"" << created->team.name << "\" and project \"" << created->project.name
            << "\" (" << created->project.id << ").\n"
            << "API key (shown only now; `lunarstream apikey regenerate` makes a new one):\n\n  "
            << created->apiKey << "\n\n"
            << "Create a livestream:\n\n"
            << "  curl -s -X POST " << url << "/api/v1/livestream \\\n"
            << "    -H 'ls-api-key: " << created->apiKey << "' -H 'Content-Type: application/json' \\\n"
            << "    -d '{\"name\":\"My first stream\",\"projectId\":\"" << created->project.id
            << (p.embedded.id.empty() ? std::string("\"") : "\",\"mediaServerId\":\"" + p.embedded.id + "\"")
            << "}'\n\n"
            << std::flush;
  return Status::ok();
}

}  // namespace

}  // namespace ls::app
