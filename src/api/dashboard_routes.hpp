// The admin dashboard (web/dashboard, built by vite and embedded by CMake):
// /dashboard/ and every client-side route under it answer index.html with a
// strict Content-Security-Policy; /dashboard/assets/* are the hashed,
// immutable files; / redirects to /dashboard/.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_deps.hpp"
#include "api/rate_limiter.hpp"
#include "core/status.hpp"
#include "http/router.hpp"

namespace ls::api {

// The URLs the dashboard's preview player fetches HLS from (every media
// server's HLS base and CDN bases); read per page load.
using DashboardConnectUrls = std::function<Result<std::vector<std::string>>()>;

// "https://CDN.example.com:8443/live/x" -> "https://cdn.example.com:8443"; nullopt for anything that is
// not http(s) with a plain host (no user info, no character a CSP source could not hold).
std::optional<std::string> httpOrigin(std::string_view url);

// The dashboard page's Content-Security-Policy: only 'self', plus the origins
// of `connectUrls` (deduplicated, sorted) in connect-src.
std::string dashboardCsp(const std::vector<std::string>& connectUrls);

// `pageLimiter`, when given, limits page loads per client address (each reads
// the Store for the CSP); the assets come from memory and are not limited.
void registerDashboardRoutes(http::Router& router, DashboardConnectUrls connectUrls,
                             RateLimiter* pageLimiter = nullptr);
// The HLS and CDN bases of every registered media server, from the Store;
// page loads count against the public per-IP limit.
void registerDashboardRoutes(http::Router& router, ApiDeps& deps);

}  // namespace ls::api
