#include "api/public_routes.hpp"

#include <boost/json/array.hpp>

#include "api/envelope.hpp"
#include "api/livestream_json.hpp"
#include "api/partner_auth.hpp"
#include "api/web_assets.hpp"
#include "auth/crypto.hpp"
#include "core/random.hpp"

namespace ls::api {

namespace {

http::Response streamInfo(ApiDeps& deps, const http::Request& request) {
  const std::string_view key = request.param("streamKey");
  if (!isStreamKey(key)) return errorFor(notFound("Livestream not found"));
  auto record = deps.livestreams.publicInfo(key);
  if (!record.ok()) return errorFor(record.status());
  http::Response response = dataResponse(200, livestreamJson(*record, deps.apiBaseUrl, Secrets::kOmit, deps.llHls));
  response.header("Cache-Control", "no-cache");
  return response;
}

http::Response previewPlayback(ApiDeps& deps, const http::Request& request) {
  const std::string_view key = request.param("streamKey");
  // The key is validated as 32 hex characters before it is placed in the page.
  if (!isStreamKey(key)) return errorFor(notFound("Livestream not found"));
  auto record = deps.livestreams.publicInfo(key);
  if (!record.ok()) return errorFor(record.status());
  std::string page(previewPageTemplate());
  const std::string_view placeholder = "{{STREAM_KEY}}";
  for (std::size_t at = page.find(placeholder); at != std::string::npos; at = page.find(placeholder, at)) {
    page.replace(at, placeholder.size(), key);
  }
  http::Response response = http::Response::text(200, "text/html; charset=utf-8", std::move(page));
  response.header("Cache-Control", "no-cache");
  response.header("X-Content-Type-Options", "nosniff");
  return response;
}

http::Response health(ApiDeps& deps, const http::Request&) {
  if (const Status healthy = deps.health.check(); !healthy.isOk()) return http::errorResponse(503, healthy.message());
  boost::json::object data;
  data["status"] = "ok";
  data["database"] = "ok";
  data["version"] = deps.version;
  data["uptimeSeconds"] = (deps.clock.now() - deps.startedAt) / 1000;
  return dataResponse(200, std::move(data));
}

http::Response jwks(ApiDeps& deps, const http::Request&) {
  http::Response response = http::Response::json(200, deps.keys.jwksJson());
  // Short: a rotation publishes its next key keys.reload_seconds x 2 (60 s by
  // default) before signing with it, and JWKS readers must have it by then.
  response.header("Cache-Control", "public, max-age=30");
  return response;
}

http::Response hlsJsAsset(const http::Request&) {
  const std::string_view js = hlsJs();
  http::Response response = http::Response::shared(
      200, "application/javascript; charset=utf-8", std::shared_ptr<const void>(js.data(), [](const void*) {}),
      std::span(reinterpret_cast<const std::uint8_t*>(js.data()), js.size()));
  response.header("Cache-Control", "public, max-age=86400");
  return response;
}

// The API description, built in: cacheable, revalidated by its ETag (the
// document changes only with the binary).
http::Response openApi(const http::Request& request) {
  static const std::string etag = "\"" + auth::sha256Hex(openApiDocument()).substr(0, 32) + "\"";
  constexpr std::string_view kCache = "public, max-age=300";
  if (const auto match = request.header("If-None-Match"); match && match->find(etag) != std::string_view::npos) {
    http::Response response = http::Response::empty(304);
    response.header("ETag", etag);
    response.header("Cache-Control", std::string(kCache));
    return response;
  }
  const std::string_view doc = openApiDocument();
  http::Response response = http::Response::shared(
      200, "application/json", std::shared_ptr<const void>(doc.data(), [](const void*) {}),
      std::span(reinterpret_cast<const std::uint8_t*>(doc.data()), doc.size()));
  response.header("ETag", etag);
  response.header("Cache-Control", std::string(kCache));
  return response;
}

// The servers this project may use (global or assigned to it), ONLINE first.
http::Response availableMediaServers(ApiDeps& deps, const http::Request&, const Project& project) {
  auto servers = deps.nodes.availableTo(project.id);
  if (!servers.ok()) return errorFor(servers.status());
  boost::json::array items;
  for (const control::NodeView& view : *servers) items.emplace_back(mediaServerJson(view));
  const auto n = static_cast<std::int64_t>(items.size());
  return pageResponse(std::move(items), 1, n == 0 ? 1 : n, n);
}

}  // namespace

void registerPublicRoutes(http::Router& router, ApiDeps& deps) {
  using M = http::Method;
  // The API routes read the Store (stream info, preview, the health ping): workers.
  auto pub = [&deps](http::Response (*fn)(ApiDeps&, const http::Request&)) {
    return publicEndpoint(deps, [&deps, fn](const http::Request& r) { return fn(deps, r); });
  };
  router.add(M::kGet, "/api/v1/livestreams/stream-info/:streamKey", pub(streamInfo), http::Runs::kOnWorkers);
  router.add(M::kGet, "/api/v1/livestreams/preview-playback/:streamKey", pub(previewPlayback), http::Runs::kOnWorkers);
  router.add(M::kGet, "/api/v1/health", pub(health), http::Runs::kOnWorkers);
  // From memory (and the rate limiter's short lock): the loop, like HLS.
  router.add(M::kGet, "/.well-known/jwks.json", pub(jwks));
  router.add(M::kGet, "/assets/hls.min.js", publicEndpoint(deps, hlsJsAsset));
  router.add(M::kGet, "/api/v1/openapi.json", publicEndpoint(deps, openApi));
}

void registerMediaServerRoutes(http::Router& router, ApiDeps& deps) {
  router.add(http::Method::kGet, "/api/v1/media-servers/available",
             partnerEndpoint(
                 deps, [&deps](const http::Request& r, const Project& p) { return availableMediaServers(deps, r, p); }),
             http::Runs::kOnWorkers);
}

}  // namespace ls::api
