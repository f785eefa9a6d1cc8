// What the /api/v1 handlers need, handed in by app/ (the only place that
// knows every module). Handlers hold a reference; the object outlives the
// HTTP server. apiBaseUrl is filled in once the listener is bound.
#pragma once

#include <functional>
#include <string>

#include "api/rate_limiter.hpp"
#include "auth/key_ring.hpp"
#include "control/health_service.hpp"
#include "control/livestream_service.hpp"
#include "control/media_server_service.hpp"
#include "control/node_service.hpp"
#include "control/project_service.hpp"
#include "control/session_service.hpp"
#include "control/steering.hpp"
#include "core/time.hpp"
#include "ingest/ingest_service.hpp"
#include "ingest/usage_flusher.hpp"

namespace ls::api {

struct ApiDeps {
  control::ProjectService& projects;
  control::LivestreamService& livestreams;
  control::MediaServerService& mediaServers;
  control::NodeService& nodes;
  control::HealthService& health;
  const Clock& clock;
  RateLimiter& partnerLimiter;
  RateLimiter& publicLimiter;
  // The push-token keys; /.well-known/jwks.json serves their public halves.
  const auth::KeyRing& keys;
  // Public base URL of this API, e.g. "http://127.0.0.1:8080".
  std::string apiBaseUrl;
  std::string version;
  UnixMillis startedAt = 0;
  // Publish decisions for external media servers' hooks; set before serving.
  ingest::IngestService* ingest = nullptr;
  // Stores remote media nodes' usage batches (POST /internal/v1/nodes/:id/usage); null: 503.
  ingest::UsageReporter* usage = nullptr;
  // Dashboard sessions (api/auth_routes.hpp principalEndpoint); set before serving.
  control::SessionService* sessions = nullptr;
  // Embedded media servers offer LL-HLS (hls.ll_enabled): livestreams list llHlsSources.
  bool llHls = false;
  // Content steering (heartbeat answers carry a node's steering snapshot;
  // the admin media-server view shows CDN health); null: none.
  const control::SteeringState* steering = nullptr;
};

}  // namespace ls::api
