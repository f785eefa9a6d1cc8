// docs/openapi.json, as built into the binary, against the routes a real
// server registers: every route is documented and every documented operation
// is routed. The servers are the real ones (ServerApp::start on loopback,
// SQLite in a temp dir): role all (the API and the embedded media server;
// role api registers the same API routes without the media plane) and role
// media (a remote node's own routes).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <set>
#include <string>
#include <utility>

#include "api/web_assets.hpp"
#include "app/server_app.hpp"
#include "support/temp_dir.hpp"

namespace ls::app {
namespace {

using Operation = std::pair<std::string, std::string>;  // lower-case method, OpenAPI path template

// Routes deliberately left out of the document: what they serve is not JSON
// API (HTML, scripts, HLS media, Prometheus text), and each is documented in
// prose (docs/dashboard.md, SPEC §5, docs/operations.md). Patterns exactly as
// registered; a prefix route ends with '/'.
constexpr std::array<std::string_view, 14> kUndocumented{
    "/",                                // redirect to the dashboard
    "/dashboard",                       // the dashboard page
    "/dashboard/",                      // (prefix) its client-side routes
    "/dashboard/assets/",               // (prefix) its hashed assets
    "/assets/hls.min.js",               // hls.js for the preview page
    "/hls/:key/master.m3u8",            // HLS origin: master playlist
    "/hls/:key/:rendition/index.m3u8",  // media playlists
    "/hls/:key/:rendition/:segment",    // segments (MPEG-TS; LL-HLS init, segments, parts)
    "/hls/:key/ll.m3u8",                // LL-HLS master playlist
    "/hls/:key/:rendition/ll.m3u8",     // LL-HLS media playlists
    "/hls/:key/steering.json",          // the content-steering manifest (JSON, but HLS)
    "/live/:key/hls.m3u8",              // the original rendition's playlist
    "/live/:key/:segment",              // and its segments
    "/metrics",                         // Prometheus text
};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "/a/:id/b" -> "/a/{id}/b".
std::string openApiPath(std::string_view pattern) {
  std::string out;
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == ':' && (i == 0 || pattern[i - 1] == '/')) {
      const std::size_t end = std::min(pattern.find('/', i), pattern.size());
      out += "{" + std::string(pattern.substr(i + 1, end - i - 1)) + "}";
      i = end;
    } else {
      out += pattern[i++];
    }
  }
  return out;
}

std::set<Operation> documentedOperations() {
  boost::system::error_code ec;
  const boost::json::value doc = boost::json::parse(api::openApiDocument(), ec);
  EXPECT_FALSE(ec) << "docs/openapi.json does not parse: " << ec.message();
  std::set<Operation> ops;
  if (ec || !doc.is_object()) return ops;
  const boost::json::object* paths = doc.as_object().if_contains("paths") ? doc.at("paths").if_object() : nullptr;
  if (paths == nullptr) return ops;
  static const std::set<std::string> kMethods{"get", "head", "post", "put", "patch", "delete", "options"};
  for (const auto& [path, item] : *paths) {
    if (!item.is_object()) continue;
    for (const auto& [key, op] : item.as_object()) {
      if (kMethods.contains(std::string(key))) ops.emplace(std::string(key), std::string(path));
    }
  }
  return ops;
}

std::set<Operation> routedOperations(Config cfg) {
  std::set<Operation> ops;
  auto app = ServerApp::start(std::move(cfg));
  EXPECT_TRUE(app.ok()) << app.status().message();
  if (!app.ok()) return ops;
  for (const http::RouteInfo& route : (*app)->routes()) {
    if (std::find(kUndocumented.begin(), kUndocumented.end(), route.pattern) != kUndocumented.end()) continue;
    EXPECT_FALSE(route.prefix) << "a prefix route is neither documented nor allowed out: " << route.pattern;
    ops.emplace(lower(http::methodName(route.method)), openApiPath(route.pattern));
  }
  (*app)->stop();
  return ops;
}

Config loopbackConfig(const std::filesystem::path& dataDir) {
  Config cfg;
  cfg.dataDir = dataDir;
  cfg.http = {"127.0.0.1", 0};
  cfg.rtmp = {"127.0.0.1", 0};
  cfg.httpThreads = 1;
  cfg.rtmpThreads = 1;
  cfg.loginThreads = 1;
  return cfg;
}

TEST(OpenApiRoutes, EveryRouteIsDocumentedAndEveryOperationIsRouted) {
  ls::testing::TempDir dir;
  std::set<Operation> routed = routedOperations(loopbackConfig(dir.path() / "all"));
  ASSERT_FALSE(routed.empty());

  Config media = loopbackConfig(dir.path() / "media");
  media.role = ServerRole::kMedia;
  // Nothing listens there: the node starts anyway and retries its heartbeats.
  media.nodeControlUrl = "http://127.0.0.1:1";
  media.nodeId = "6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b";
  media.nodeSecret = "node-secret-for-the-route-test";
  const std::set<Operation> mediaRoutes = routedOperations(media);
  ASSERT_FALSE(mediaRoutes.empty());
  routed.insert(mediaRoutes.begin(), mediaRoutes.end());

  const std::set<Operation> documented = documentedOperations();
  for (const Operation& op : routed) {
    EXPECT_TRUE(documented.contains(op)) << "routed but not in docs/openapi.json: " << op.first << " " << op.second;
  }
  for (const Operation& op : documented) {
    EXPECT_TRUE(routed.contains(op)) << "in docs/openapi.json but not routed: " << op.first << " " << op.second;
  }
}

TEST(OpenApiRoutes, PathTemplatesFollowTheRouterPatterns) {
  EXPECT_EQ(openApiPath("/api/v1/livestream/:id"), "/api/v1/livestream/{id}");
  EXPECT_EQ(openApiPath("/api/v1/admin/teams/:id/members/:userId"), "/api/v1/admin/teams/{id}/members/{userId}");
  EXPECT_EQ(openApiPath("/api/v1/health"), "/api/v1/health");
}

}  // namespace
}  // namespace ls::app
