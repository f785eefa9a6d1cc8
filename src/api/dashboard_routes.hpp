// The admin dashboard (web/dashboard, built by vite and embedded by CMake):
// /dashboard/ and every client-side route under it answer index.html with a
// strict Content-Security-Policy; /dashboard/assets/* are the hashed,
// immutable files; / redirects to /dashboard/.
#pragma once

#include <string_view>

#include "api/api_deps.hpp"
#include "api/rate_limiter.hpp"
#include "core/status.hpp"
#include "http/router.hpp"

namespace ls::api {

// The dashboard page's Content-Security-Policy: 'self' only, and frames of
// 'self' (the preview page) only.
std::string_view dashboardCsp();

// `pageLimiter`, when given, limits page loads per client address; the assets
// are not limited.
void registerDashboardRoutes(http::Router& router, RateLimiter* pageLimiter = nullptr);
// Page loads count against the public per-IP limit.
void registerDashboardRoutes(http::Router& router, ApiDeps& deps);

}  // namespace ls::api
