// MediaMTX's Control API (v3) as the node adapter uses it (internal to
// nodes/): which paths a publisher pushes, and kicking that publisher.
// Credentials, when the node wants them, are HTTP Basic (NodeCall).
#pragma once

#include <string_view>
#include <vector>

#include "control/node_api.hpp"
#include "core/status.hpp"
#include "nodes/node_call.hpp"

namespace ls::nodes {

// Every page of GET /v3/paths/list?page=N&itemsPerPage=100, N from 0. A node
// with more than 100 pages is an error rather than a partial list: a stream
// missing from the list would look ended.
Result<std::vector<control::NodeStream>> mtxLiveStreams(NodeCall& call);

// GET /v3/paths/get/<app>/<key> for the publisher's connection, then POST its
// kick route. OK when the path (404), its source or the connection (404) is
// not there, or when the source is not a publisher (MediaMTX pulls it).
Status mtxCutPublisher(NodeCall& call, std::string_view app, std::string_view streamKey);

}  // namespace ls::nodes
