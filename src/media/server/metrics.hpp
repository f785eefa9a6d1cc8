// GET /metrics: the media server's figures in the Prometheus text format:
// the media plane (sessions by state, publishes accepted, refused by reason
// and ended, bytes in and out per live stream, budgets of connections not
// yet publishing) and the ABR transcoders. Served by the HTTP origin's
// threads; reading the figures takes short mutexes and relaxed atomics,
// never waiting on a session or a transcoder. Optionally behind a bearer
// token (metrics.token).
#pragma once

#include <functional>
#include <string>

#include "http/router.hpp"
#include "ingest/usage_flusher.hpp"
#include "media/server/media_server.hpp"

namespace ls::media_server {

// Families of layers above the media plane (webhook delivery), appended to
// the same text; it runs on an HTTP loop, so it must only read figures.
using MetricsAppender = std::function<void(std::string&)>;

// The exposition text for `server` at this moment.
// `usage`: the usage flusher's counters, when this process meters.
std::string renderMetrics(const MediaServer& server, const ingest::UsageFlushCounters* usage = nullptr,
                          const MetricsAppender& more = {});

// `server` must outlive the router. A non-empty `bearerToken` makes the
// route answer 401 unless the request carries `Authorization: Bearer <token>`.
void registerMetricsRoute(http::Router& router, const MediaServer& server, std::string bearerToken = {},
                          const ingest::UsageFlushCounters* usage = nullptr, MetricsAppender more = {});

// GET /metrics with the same bearer rule for a process without a media
// plane (`--role api`): only what `render` appends.
void registerMetricsTextRoute(http::Router& router, std::string bearerToken, MetricsAppender render);

}  // namespace ls::media_server
