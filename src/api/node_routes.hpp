// The internal API that remote LunarStream media nodes (`serve --role
// media`) call on the API tier: heartbeat, publish, publish-ended, under
// /internal/v1/nodes/{id}/, authenticated with `Authorization: Bearer <node
// secret>` (401 without saying what is wrong). Thin handlers over
// NodeService and the IngestService the embedded plane uses in-process.
#pragma once

#include "api/api_deps.hpp"
#include "http/router.hpp"

namespace ls::api {

void registerNodeRoutes(http::Router& router, ApiDeps& deps);

}  // namespace ls::api
