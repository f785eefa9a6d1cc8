// What a running ServerApp owns, in construction order (private to
// app/server_app*.cpp). A `--role media` node fills only the media part.
#pragma once

#include <memory>

#include "api/admin_project_routes.hpp"
#include "api/admin_user_routes.hpp"
#include "api/admin_webhook_routes.hpp"
#include "api/api_deps.hpp"
#include "api/auth_routes.hpp"
#include "api/bounded_pool.hpp"
#include "api/rate_limiter.hpp"
#include "api/team_member_routes.hpp"
#include "app/config.hpp"
#include "app/data_dir.hpp"
#include "app/server_app.hpp"
#include "app/steering_prober.hpp"
#include "api/rate_count_sync.hpp"
#include "control/control_ingest_service.hpp"
#include "control/health_service.hpp"
#include "control/key_ring.hpp"
#include "control/livestream_service.hpp"
#include "control/media_server_service.hpp"
#include "control/node_service.hpp"
#include "control/node_supervisor.hpp"
#include "control/project_service.hpp"
#include "control/team_service.hpp"
#include "control/steering.hpp"
#include "control/user_service.hpp"
#include "control/webhook_service.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http_client/http_client.hpp"
#include "ingest/usage_flusher.hpp"
#include "media/hls/steering.hpp"
#include "media/server/media_server.hpp"
#include "node_client/heartbeat_agent.hpp"
#include "node_client/remote_ingest_service.hpp"
#include "webhooks/dispatcher.hpp"

namespace ls::app {

struct ServerApp::Parts {
  Config config;
  SystemClock clock;
  SecureRandom random;
  DataDir dataDir;
  // Content steering: the order the HLS origin steers this process's streams
  // by (read by HTTP loops: outlives the router), the control side's health
  // and ranking of every server's CDNs, and the prober that measures them.
  hls::SteeringBoard steeringBoard;
  std::unique_ptr<control::SteeringState> steering;
  std::unique_ptr<SteeringProber> steeringProber;
  // The push-token keys, read from the store (shared by every process on it).
  std::unique_ptr<control::StoreKeyRing> keys;
  std::unique_ptr<control::ProjectService> projects;
  std::unique_ptr<control::MediaServerService> mediaServers;
  std::unique_ptr<control::LivestreamService> livestreams;
  // The control APIs of external nodes, over one outgoing HTTP client.
  http_client::HttpClient httpClient;
  std::unique_ptr<control::NodeApi> nodeApi;
  std::unique_ptr<control::NodeService> nodes;
  std::unique_ptr<control::NodeSupervisor> nodeSupervisor;
  std::unique_ptr<control::HealthService> health;
  std::unique_ptr<control::ControlIngestService> ingest;
  std::unique_ptr<api::RateLimiter> partnerLimiter;
  std::unique_ptr<api::RateLimiter> publicLimiter;
  // Syncs partnerLimiter when it is shared (PostgreSQL); destroyed first.
  std::unique_ptr<api::RateCountSync> rateSync;
  std::unique_ptr<api::ApiDeps> apiDeps;
  // Usage metering: the media plane counts into the meter, the flusher
  // stores it (through the reporter) every usage.flush_interval_ms.
  std::unique_ptr<usage::UsageMeter> usageMeter;
  std::unique_ptr<ingest::UsageReporter> usageReporter;
  std::unique_ptr<ingest::UsageFlusher> usageFlusher;
  // Dashboard logins: sessions, their throttles (shared on PostgreSQL, with
  // their syncs) and the pool that runs argon2; the pool is stopped before
  // the HTTP server and destroyed first.
  std::unique_ptr<control::SessionService> sessions;
  std::unique_ptr<api::RateLimiter> loginAddressLimiter;
  std::unique_ptr<api::RateLimiter> loginAccountLimiter;
  std::vector<std::unique_ptr<api::RateCountSync>> loginRateSyncs;
  std::unique_ptr<api::AuthDeps> authDeps;
  // Teams, members and invitations (/api/v1/admin/teams...).
  std::unique_ptr<control::UserService> users;
  std::unique_ptr<control::TeamService> teams;
  std::unique_ptr<api::TeamRouteDeps> teamDeps;
  std::unique_ptr<api::BoundedPool> loginPool;
  // The administration API (/api/v1/admin/*): usage reads and its deps.
  std::unique_ptr<control::UsageService> usageService;
  std::unique_ptr<api::AdminDeps> adminDeps;
  std::unique_ptr<api::AdminUserDeps> adminUserDeps;
  // Partner webhook endpoints (/api/v1/admin/projects/:id/webhooks, /api/v1/admin/webhooks/...).
  std::unique_ptr<control::WebhookService> webhooks;
  std::unique_ptr<api::WebhookRouteDeps> webhookDeps;
  http::Router router;
  std::unique_ptr<http::Server> httpServer;
  // A `--role media` node: publish decisions from the API tier, heartbeats to it.
  std::unique_ptr<node_client::RemoteIngestService> remoteIngest;
  std::unique_ptr<media_server::MediaServer> mediaServer;
  std::unique_ptr<node_client::HeartbeatAgent> heartbeat;
  // Partner webhook delivery (roles all and api, webhooks.enabled); stopped
  // after the HTTP server, so the events its last requests caused still go.
  std::unique_ptr<webhooks::Dispatcher> webhookDispatcher;
  MediaServer embedded;
  bool stopped = false;
};

// The media plane's options from the configuration (every role that has one).
media_server::MediaServerOptions mediaOptionsFor(const Config& cfg);
// steering.* as the control side takes them.
control::SteeringOptions steeringOptionsFor(const Config& cfg);
const char* serverVersion();

}  // namespace ls::app
