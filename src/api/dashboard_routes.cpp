#include "api/dashboard_routes.hpp"

#include <algorithm>
#include <memory>
#include <span>

#include "api/dashboard_assets.hpp"

namespace ls::api {

namespace {

constexpr std::string_view kPrefix = "/dashboard/";
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";

const WebAsset* findAsset(std::string_view path) {
  const std::span<const WebAsset> assets = dashboardAssets();
  const auto it = std::lower_bound(assets.begin(), assets.end(), path,
                                   [](const WebAsset& a, std::string_view p) { return a.path < p; });
  return it != assets.end() && it->path == path ? &*it : nullptr;
}

http::Response assetResponse(const WebAsset& asset, bool withEtag) {
  http::Response response = http::Response::shared(
      200, std::string(asset.contentType), std::shared_ptr<const void>(asset.bytes.data(), [](const void*) {}),
      std::span(reinterpret_cast<const std::uint8_t*>(asset.bytes.data()), asset.bytes.size()));
  if (withEtag) response.header("ETag", std::string(asset.etag));
  response.header("X-Content-Type-Options", "nosniff");
  return response;
}

// True when If-None-Match lists this ETag (or is "*").
bool notModified(const http::Request& request, std::string_view etag) {
  const auto header = request.header("If-None-Match");
  if (!header) return false;
  std::string_view list = *header;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == "*" || item == etag) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

http::Response notModifiedResponse(const WebAsset& asset, std::string_view cacheControl) {
  http::Response response = http::Response::empty(304);
  response.header("ETag", std::string(asset.etag));
  response.header("Cache-Control", std::string(cacheControl));
  return response;
}

// The page is small and answered in full every time, with no-cache (no ETag).
http::Response indexPage() {
  const WebAsset* index = findAsset("index.html");
  if (index == nullptr) return http::errorResponse(500, "Internal server error");
  http::Response response = assetResponse(*index, false);
  response.header("Cache-Control", "no-cache");
  response.header("Content-Security-Policy", std::string(dashboardCsp()));
  response.header("Referrer-Policy", "no-referrer");
  response.header("X-Frame-Options", "DENY");
  return response;
}

http::Response redirect(int status, std::string_view location) {
  http::Response response = http::Response::empty(status);
  response.header("Location", std::string(location));
  return response;
}

http::Response asset(const http::Request& request) {
  const std::string_view path = request.path();
  const WebAsset* found = path.starts_with(kPrefix) ? findAsset(path.substr(kPrefix.size())) : nullptr;
  if (found == nullptr || !found->path.starts_with("assets/")) {
    return http::errorResponse(404, "Cannot GET " + std::string(path));
  }
  if (notModified(request, found->etag)) return notModifiedResponse(*found, kImmutable);
  http::Response response = assetResponse(*found, true);
  response.header("Cache-Control", std::string(kImmutable));
  return response;
}

// "/dashboard" and every path under "/dashboard/" but the assets: the page
// (client-side routes).
http::Response page(const http::Request& request, RateLimiter* limiter) {
  if (request.path() == "/dashboard") return redirect(308, kPrefix);
  if (limiter != nullptr) {
    const RateDecision decision = limiter->take(request.remoteAddress());
    if (!decision.allowed) return tooManyRequests(decision);
  }
  return indexPage();
}

}  // namespace

std::string_view dashboardCsp() {
  return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
         "connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
}

void registerDashboardRoutes(http::Router& router, RateLimiter* pageLimiter) {
  using M = http::Method;
  auto pageHandler = [pageLimiter](const http::Request& r) { return page(r, pageLimiter); };
  // The page and the assets come from memory (and the rate limiter's short
  // lock): the loop, like HLS (the assets' longer prefix wins).
  router.add(M::kGet, "/dashboard", pageHandler);
  router.addPrefix(M::kGet, kPrefix, pageHandler);
  router.addPrefix(M::kGet, std::string(kPrefix) + "assets/", asset);
  router.add(M::kGet, "/", [](const http::Request&) { return redirect(302, kPrefix); });
}

void registerDashboardRoutes(http::Router& router, ApiDeps& deps) { registerDashboardRoutes(router, &deps.publicLimiter); }

}  // namespace ls::api
