// The administration API's usage route (docs/api.md, "Usage"):
// GET /api/v1/admin/projects/:id/usage?from=&to=&granularity=hour|day[&format=csv]
// (or Accept: text/csv). Not registered by the server yet: it must only ever
// run behind the admin authentication, which decides which projects a user
// may read. registerUsageRoutes takes that decision as a function, so the
// route cannot be registered without it.
#pragma once

#include <functional>
#include <string>

#include "control/usage_service.hpp"
#include "core/status.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

namespace ls::api {

// The answer for a project the caller may read (already authorized): 200
// JSON or CSV, 400 with every problem of the query, 404, 503.
http::Response usageResponse(control::UsageService& usage, std::string_view projectId, const http::Request& request);

// Authenticates the request (Bearer access token) and checks that its user
// may read the project `projectId`: the id to read, or the Status to answer
// (401 kUnauthenticated, 403 kPermissionDenied, 404 kNotFound for a project
// of a team the user is not in).
using UsageProjectAuthorizer =
    std::function<Result<std::string>(const http::Request& request, std::string_view projectId)>;

// Registers GET /api/v1/admin/projects/:id/usage on worker threads. `usage`
// must outlive the router.
void registerUsageRoutes(http::Router& router, control::UsageService& usage, UsageProjectAuthorizer authorize);

}  // namespace ls::api
