// Public endpoints (no auth, CORS "*", per-IP rate limit): stream info,
// preview player, health, JWKS, and the player's static assets.
#pragma once

#include "api/api_deps.hpp"
#include "http/router.hpp"

namespace ls::api {

void registerPublicRoutes(http::Router& router, ApiDeps& deps);
// GET /api/v1/media-servers/available (partner, ls-api-key).
void registerMediaServerRoutes(http::Router& router, ApiDeps& deps);

}  // namespace ls::api
