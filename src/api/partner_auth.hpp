// Wraps a partner handler: authenticates the ls-api-key header, applies the
// per-key rate limits (per minute and per hour), and adds the X-RateLimit-* headers to whatever the
// handler answers. The handler receives the caller's project.
#pragma once

#include <functional>

#include "api/api_deps.hpp"
#include "core/model.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

namespace ls::api {

using PartnerHandler = std::function<http::Response(const http::Request&, const Project&)>;
using PublicHandler = std::function<http::Response(const http::Request&)>;

http::Handler partnerEndpoint(ApiDeps& deps, PartnerHandler handler);
// Per-client-IP limit, CORS "*" on every answer.
http::Handler publicEndpoint(ApiDeps& deps, PublicHandler handler);

// 403 unless an optional projectId names the caller's own project.
Status checkProjectMatch(const std::optional<std::string>& projectId, const Project& project);

}  // namespace ls::api
