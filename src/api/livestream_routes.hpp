// Partner endpoints for livestreams (SPEC §3), header ls-api-key.
#pragma once

#include "api/api_deps.hpp"
#include "http/router.hpp"

namespace ls::api {

void registerLivestreamRoutes(http::Router& router, ApiDeps& deps);

}  // namespace ls::api
