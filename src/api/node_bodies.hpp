// Bodies of the internal API that remote `--role media` nodes call on the
// API tier (api/node_routes): sans-IO parsers, fuzzed (tests/fuzz).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "control/node_service.hpp"
#include "core/status.hpp"
#include "core/usage.hpp"
#include "ingest/ingest_service.hpp"

namespace ls::api {

// Caps of what one node may send.
inline constexpr std::size_t kMaxNodeStreams = 10'000;
inline constexpr std::size_t kMaxNodeUsageRows = 1000;
inline constexpr std::size_t kMaxNodeField = 1024;

// {"bootId": "...", "streams": ["key", ...], "intervalMs": 2000}
Result<control::NodeHeartbeat> parseNodeHeartbeat(std::string_view body);
// {"app", "streamKey", "pushToken", "remoteAddress", "protocol"}; mediaServerId is left for the caller.
Result<ingest::PublishRequest> parseNodePublish(std::string_view body);
// {"livestreamId", "streamKey"}
Result<ingest::PublishEnd> parseNodePublishEnded(std::string_view body);

// {"batchId", "rows": [{"projectId", "livestreamId", "bucketStart" (ms, on the hour), "metric",
// "dimension", "value" (>= 0)}]}: a remote node's metered usage (Store::applyUsageBatch).
Result<usage::UsageBatch> parseNodeUsage(std::string_view body);

// The stable code a publish refusal carries over the wire, by Status code:
// BadName (kNotFound), Unauthorized (kUnauthenticated), Conflict,
// Unavailable, Invalid (anything else).
std::string_view publishRefusalCode(Code code);

}  // namespace ls::api
