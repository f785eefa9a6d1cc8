// ZLMediaKit's HTTP API as the node adapter uses it (internal to nodes/):
// which streams are pushed, and closing one. The secret goes in the query,
// as ZLMediaKit's check_secret reads it (server/WebApi.cpp).
#pragma once

#include <string_view>
#include <vector>

#include "control/node_api.hpp"
#include "core/status.hpp"
#include "nodes/node_call.hpp"

namespace ls::nodes {

// GET /index/api/getMediaList?secret=...
Result<std::vector<control::NodeStream>> zlmLiveStreams(NodeCall& call, std::string_view secret);

// GET /index/api/close_streams?secret=...&vhost=__defaultVhost__&app=...&stream=...&force=1:
// every muxer of the stream closes, and with it the pushing session; force=1
// closes it even while players are watching, which is the point of a cut.
// OK also when nothing matched (the publisher had already left).
Status zlmCutPublisher(NodeCall& call, std::string_view secret, std::string_view app, std::string_view streamKey);

}  // namespace ls::nodes
