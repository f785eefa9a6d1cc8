// GET /metrics: the media server's figures in the Prometheus text format
// (today the ABR transcoders: renditions active and dropped, queue depth and
// lag, frames decoded, encoded and dropped, per livestream). Served by the
// HTTP origin's threads; reading the figures takes one short mutex and a few
// relaxed atomics per stream, never waiting on a transcoder.
#pragma once

#include <string>

#include "http/router.hpp"
#include "media/server/media_server.hpp"

namespace ls::media_server {

// The exposition text for `server` at this moment.
std::string renderMetrics(const MediaServer& server);

// `server` must outlive the router.
void registerMetricsRoute(http::Router& router, const MediaServer& server);

}  // namespace ls::media_server
