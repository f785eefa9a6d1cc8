#include "media/server/metrics.hpp"

#include "media/abr/metrics_text.hpp"
#include "media/abr/transcoder_hub.hpp"

namespace ls::media_server {

namespace {
// Prometheus text exposition format, version 0.0.4.
constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";
}  // namespace

std::string renderMetrics(const MediaServer& server) {
  std::string out;
  const abr::TranscoderHub* hub = server.transcoders();
  abr::appendAbrMetrics(out, hub != nullptr,
                        hub != nullptr ? hub->snapshot() : std::vector<abr::TranscoderStats::Snapshot>{});
  return out;
}

void registerMetricsRoute(http::Router& router, const MediaServer& server) {
  // On the loop: reading the figures never waits (see metrics.hpp).
  router.add(
      http::Method::kGet, "/metrics",
      [&server](const http::Request&) {
        http::Response r = http::Response::text(200, kContentType, renderMetrics(server));
        r.header("Cache-Control", "no-store");
        return r;
      },
      http::Runs::kOnLoop);
}

}  // namespace ls::media_server
