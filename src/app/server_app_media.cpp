// `serve --role media`: RTMP ingest and the HLS origin for an API tier. No
// store and no database: publish decisions and STARTED/ENDED go to the API
// tier over its internal API (node_client::RemoteIngestService), the node
// heartbeats with what it has live, and serves the API tier's cut and list
// calls on its HTTP listener.
#include <spdlog/spdlog.h>

#include <array>
#include <iostream>

#include "app/server_parts.hpp"
#include "core/encoding.hpp"
#include "media/server/hls_origin.hpp"
#include "media/server/metrics.hpp"
#include "node_client/node_stream_routes.hpp"
#include "node_client/remote_usage_reporter.hpp"

namespace ls::app {

namespace {

Status checkMediaConfig(const Config& cfg) {
  if (!cfg.databaseUrl.empty()) {
    return invalidArgument(
        "--role media keeps no database: remove --database / database.url / LUNARSTREAM_DATABASE_URL (a media node "
        "asks the API tier at node.control_url)");
  }
  std::vector<std::string> missing;
  if (cfg.nodeControlUrl.empty()) missing.emplace_back("--control-url (node.control_url): the API tier's URL");
  if (cfg.nodeId.empty()) missing.emplace_back("--node-id (node.id): the id `lunarstream node add` printed");
  if (cfg.nodeSecret.empty()) missing.emplace_back("--node-secret (node.secret): the secret `lunarstream node add` printed");
  if (!missing.empty()) return {Code::kInvalidArgument, "--role media needs " + missing.front(), missing};
  if (!isUuid(cfg.nodeId)) return invalidArgument("--node-id must be the node's id (a UUID) from `lunarstream node add`");
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<ServerApp>> ServerApp::startMediaNode(std::unique_ptr<Parts> p) {
  Config& cfg = p->config;
  LS_RETURN_IF_ERROR(checkMediaConfig(cfg));
  LS_RETURN_IF_ERROR(checkHlsConfig(cfg));
  const node_client::NodeCredentials node{cfg.nodeControlUrl, cfg.nodeId, cfg.nodeSecret};
  p->remoteIngest = std::make_unique<node_client::RemoteIngestService>(p->httpClient, node);
  // Usage is metered here and stored by the API tier (resent until it answers).
  p->usageMeter = std::make_unique<usage::UsageMeter>();
  p->usageReporter = std::make_unique<node_client::RemoteUsageReporter>(p->httpClient, node);
  p->usageFlusher = std::make_unique<ingest::UsageFlusher>(*p->usageMeter, *p->usageReporter, p->random,
                                                           std::chrono::milliseconds(cfg.usageFlushIntervalMs));
  media_server::MediaServerOptions mediaOptions = mediaOptionsFor(cfg);
  mediaOptions.usage = p->usageMeter.get();
  p->mediaServer = std::make_unique<media_server::MediaServer>(mediaOptions, *p->remoteIngest, p->clock, p->random);
  media_server::MediaServer& media = *p->mediaServer;
  auto liveKeys = [&media] { return media.liveStreamKeys(); };
  media_server::registerHlsRoutes(
      p->router, media.hls(),
      {std::chrono::milliseconds(cfg.hlsFirstSegmentWaitMs), std::chrono::milliseconds(3 * cfg.hlsSegmentTargetMs),
       &media.originCounters(), &p->clock,
       cfg.steeringEnabled ? &p->steeringBoard : nullptr});
  media_server::registerMetricsRoute(p->router, media, cfg.metricsToken, &p->usageFlusher->counters());
  p->router.add(http::Method::kGet, "/api/v1/health", [](const http::Request&) {
    return http::Response::json(200, R"({"status":"ok","role":"media"})");
  });
  node_client::registerNodeStreamRoutes(p->router, cfg.nodeSecret, liveKeys, media);

  std::array<std::uint8_t, 16> boot{};
  p->random.fill(boot);
  node_client::HeartbeatOptions beats;
  beats.interval = std::chrono::milliseconds(cfg.nodeHeartbeatIntervalMs);
  beats.timeout = std::chrono::milliseconds(std::clamp<std::int64_t>(cfg.nodeHeartbeatIntervalMs, 1000, 5000));
  // The API tier probes this node's CDNs; its order arrives with each heartbeat answer.
  beats.onSteering = [board = &p->steeringBoard](const SteeringSnapshot& snapshot) {
    board->set(std::make_shared<const SteeringSnapshot>(snapshot));
  };
  p->heartbeat = std::make_unique<node_client::HeartbeatAgent>(p->httpClient, node, hexEncode(boot), liveKeys, media, beats);
  // Credentials the API tier refuses stop the node now; an API tier that is
  // merely unreachable is retried by the heartbeats (publishes are refused meanwhile).
  if (Status first = p->heartbeat->beat(); !first.isOk()) {
    if (first.code() == Code::kUnauthenticated) return first;
    spdlog::warn("the API tier at {} does not answer yet ({}); starting anyway and retrying", cfg.nodeControlUrl,
                 first.message());
  }

  http::ServerOptions httpOptions;
  httpOptions.threads = cfg.httpThreads;
  p->httpServer = std::make_unique<http::Server>(httpOptions, p->router);
  auto httpEndpoint = p->httpServer->listen(cfg.http.host, cfg.http.port);
  if (!httpEndpoint.ok()) {
    return unavailable("cannot listen for HTTP on " + cfg.http.toString() + ": " + httpEndpoint.status().message());
  }
  auto rtmpEndpoint = media.listen(cfg.rtmp.host, cfg.rtmp.port);
  if (!rtmpEndpoint.ok()) return std::move(rtmpEndpoint).takeStatus();
  derivePublicUrls(cfg, httpEndpoint->port, rtmpEndpoint->port);

  media.setMediaServerId(cfg.nodeId);
  media.start();
  p->httpServer->start();
  p->heartbeat->start();
  p->usageFlusher->start();
  spdlog::info("LunarStream {} serving (role media, node {}): control={} hls={} rtmp={}", serverVersion(), cfg.nodeId,
               cfg.nodeControlUrl, cfg.publicHlsUrl, cfg.publicRtmpUrl);
  std::cout << "LunarStream ready: api=" << cfg.publicApiUrl << " rtmp=" << cfg.publicRtmpUrl
            << " http_port=" << httpEndpoint->port << " rtmp_port=" << rtmpEndpoint->port << std::endl;
  return std::unique_ptr<ServerApp>(new ServerApp(std::move(p)));
}

}  // namespace ls::app
