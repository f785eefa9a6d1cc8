// Routes a `--role media` node serves for the API tier on its HTTP
// listener: GET /internal/v1/streams (the keys it has live) and POST
// /internal/v1/streams/{streamKey}/cut. The API tier authenticates with
// `Authorization: Bearer <hex SHA-256 of the node secret>`, which it holds
// (it never stores the secret itself); the node computes it from its secret.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/router.hpp"
#include "ingest/ingest_service.hpp"

namespace ls::node_client {

// The bearer token the API tier presents to a node with this secret.
std::string nodeCallToken(std::string_view nodeSecret);

// liveKeys and cutter must outlive the router.
void registerNodeStreamRoutes(http::Router& router, std::string nodeSecret,
                              std::function<std::vector<std::string>()> liveKeys, ingest::StreamCutter& cutter);

}  // namespace ls::node_client
