// A media node's steering snapshot (core/steering.hpp) as the API tier's
// heartbeat answer carries it: "steering": {"originBaseUrl": ...,
// "ttlSeconds": n, "pathways": [{"id": ..., "baseUrl": ...}]} or null (none).
// The API tier writes it (api/node_routes.cpp), the node reads it
// (node_client/heartbeat_agent.cpp).
#pragma once

#include <boost/json/value.hpp>

#include "core/status.hpp"
#include "core/steering.hpp"

namespace ls::ingest {

boost::json::value steeringJson(const SteeringSnapshot& snapshot);
// null or an inactive snapshot: an empty snapshot (no steering). Refuses,
// with a message, anything else that is not the shape above: ids of 1..64
// characters, http(s) base URLs of at most 2048, at most 33 pathways with
// distinct ids, TTL 1..3600 s.
Result<SteeringSnapshot> parseSteeringJson(const boost::json::value& value);

}  // namespace ls::ingest
