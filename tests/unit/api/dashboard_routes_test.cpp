#include "api/dashboard_routes.hpp"

#include <gtest/gtest.h>

#include <string>

#include "api/dashboard_assets.hpp"
#include "api/rate_limiter.hpp"
#include "core/time.hpp"

namespace ls::api {
namespace {

std::string header(const http::Response& r, std::string_view name) {
  const std::string* v = r.findHeader(name);
  return v ? *v : std::string();
}

std::string bodyOf(const http::Response& r) {
  const auto bytes = r.bodyBytes();
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

struct DashboardRoutes : ::testing::Test {
  http::Router router;

  void SetUp() override { registerDashboardRoutes(router); }
  http::Response get(std::string_view target, std::vector<http::Header> headers = {}) {
    http::Request request = http::Request::make(http::Method::kGet, target, {}, std::move(headers));
    return router.dispatch(request);
  }
};

const WebAsset* firstAsset(std::string_view suffix) {
  for (const WebAsset& a : dashboardAssets()) {
    if (a.path.starts_with("assets/") && a.path.ends_with(suffix)) return &a;
  }
  return nullptr;
}

TEST(DashboardAssets, TheBuildIsEmbeddedSortedWithTypesAndTags) {
  const auto assets = dashboardAssets();
  ASSERT_GE(assets.size(), 3u);  // index.html, the entry script, the stylesheet
  for (std::size_t i = 1; i < assets.size(); ++i) EXPECT_LT(assets[i - 1].path, assets[i].path);
  for (const WebAsset& a : assets) {
    EXPECT_FALSE(a.bytes.empty()) << a.path;
    EXPECT_EQ(a.etag.size(), 34u) << a.path;  // quoted 32 hex characters
    EXPECT_EQ(a.etag.front(), '"');
  }
  const WebAsset* js = firstAsset(".js");
  ASSERT_NE(js, nullptr);
  EXPECT_EQ(js->contentType, "text/javascript; charset=utf-8");
  const WebAsset* css = firstAsset(".css");
  ASSERT_NE(css, nullptr);
  EXPECT_EQ(css->contentType, "text/css; charset=utf-8");
}

TEST_F(DashboardRoutes, ThePageAndEveryClientRouteAnswerIndexHtmlWithTheStrictPolicy) {
  for (const char* target : {"/dashboard/", "/dashboard/livestreams", "/dashboard/livestreams/abc?x=1", "/dashboard/usage/"}) {
    SCOPED_TRACE(target);
    const http::Response r = get(target);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.contentType, "text/html; charset=utf-8");
    EXPECT_NE(bodyOf(r).find("<div id=\"app\"></div>"), std::string::npos);
    EXPECT_EQ(bodyOf(r).find("<style"), std::string::npos) << "no inline styles";
    EXPECT_EQ(header(r, "Cache-Control"), "no-cache");
    EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(header(r, "Referrer-Policy"), "no-referrer");
    EXPECT_EQ(header(r, "Content-Security-Policy"),
              "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
              "connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  }
  // Every script and stylesheet the page names is an embedded asset.
  const std::string html = bodyOf(get("/dashboard/"));
  for (std::size_t at = html.find("/dashboard/assets/"); at != std::string::npos; at = html.find("/dashboard/assets/", at + 1)) {
    const std::string target = html.substr(at, html.find('"', at) - at);
    EXPECT_EQ(get(target).status, 200) << target;
  }
}

TEST_F(DashboardRoutes, RedirectsToTheCanonicalPage) {
  const http::Response root = get("/");
  EXPECT_EQ(root.status, 302);
  EXPECT_EQ(header(root, "Location"), "/dashboard/");
  const http::Response bare = get("/dashboard");
  EXPECT_EQ(bare.status, 308);
  EXPECT_EQ(header(bare, "Location"), "/dashboard/");
}

TEST_F(DashboardRoutes, HashedAssetsAreImmutableWithAnEtagAndRevalidate) {
  const WebAsset* js = firstAsset(".js");
  ASSERT_NE(js, nullptr);
  const std::string target = "/dashboard/" + std::string(js->path);
  const http::Response r = get(target);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.contentType, "text/javascript; charset=utf-8");
  EXPECT_EQ(header(r, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(header(r, "ETag"), js->etag);
  EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.bodySize(), js->bytes.size());
  EXPECT_EQ(header(r, "Content-Security-Policy"), "");

  const http::Response same = get(target, {{"If-None-Match", "\"nope\", " + std::string(js->etag)}});
  EXPECT_EQ(same.status, 304);
  EXPECT_EQ(same.bodySize(), 0u);
  EXPECT_EQ(header(same, "ETag"), js->etag);
  EXPECT_EQ(get(target, {{"If-None-Match", "\"other\""}}).status, 200);
}

TEST_F(DashboardRoutes, AnUnknownAssetIs404NotThePage) {
  const http::Response r = get("/dashboard/assets/missing-123.js");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.contentType, http::kJsonContentType);
}

TEST(DashboardRoutesLimited, PageLoadsCountPerClientAddressAssetsDoNot) {
  ManualClock clock(60'000 * 1000);
  LocalRateLimiter limiter(clock, 2);
  http::Router router;
  registerDashboardRoutes(router, &limiter);
  auto get = [&router](std::string_view target, std::string_view from) {
    http::Request request = http::Request::make(http::Method::kGet, target);
    request.setRemoteAddress(from);
    return router.dispatch(request);
  };
  const WebAsset* js = firstAsset(".js");
  ASSERT_NE(js, nullptr);
  EXPECT_EQ(get("/dashboard/", "10.0.0.1").status, 200);
  EXPECT_EQ(get("/dashboard/usage", "10.0.0.1").status, 200);
  const http::Response limited = get("/dashboard/", "10.0.0.1");
  EXPECT_EQ(limited.status, 429);
  EXPECT_NE(limited.findHeader("Retry-After"), nullptr);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(get("/dashboard/" + std::string(js->path), "10.0.0.1").status, 200);
  EXPECT_EQ(get("/dashboard/", "10.0.0.2").status, 200);
}

}  // namespace
}  // namespace ls::api
