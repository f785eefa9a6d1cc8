// The livestream object of SPEC §3: the union of both documented response
// dialects (rmtpServer and rtmpServer, streamKeyWithParams and
// streamKeyWithToken), so clients of either work unchanged.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "control/livestream_service.hpp"
#include "control/node_service.hpp"

namespace ls::api {

enum class Secrets { kInclude, kOmit };

// The push token, the stream key with its token and the rtmpUrl built from it
// appear only with Secrets::kInclude and when the record carries a freshly
// issued token. `llHls`: this deployment's embedded servers offer LL-HLS
// (hls.ll_enabled), so llHlsSources lists their low-latency masters.
boost::json::object livestreamJson(const control::LivestreamRecord& record, std::string_view apiBaseUrl,
                                   Secrets secrets, bool llHls);
// A media server as partners see it: URLs, CDNs, where its HLS lives, and
// its health (status, lastSeenAt, liveStreams). No secrets, no node API.
boost::json::object mediaServerJson(const control::NodeView& view);

}  // namespace ls::api
