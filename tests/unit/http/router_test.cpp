#include "http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace ls::http {
namespace {

Handler reply(std::string text) {
  return [text](const Request&) { return Response::text(200, "text/plain", text); };
}

Response run(const Router& router, Method method, std::string_view target) {
  Request request = Request::make(method, target);
  return router.dispatch(request);
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add(Method::kGet, "/", reply("root"));
    router.add(Method::kGet, "/api/v1/livestream", reply("list"));
    router.add(Method::kPost, "/api/v1/livestream", reply("create"));
    router.add(Method::kGet, "/api/v1/livestream/:id",
               [](const Request& r) { return Response::text(200, "text/plain", "get " + std::string(r.param("id"))); });
    router.add(Method::kPatch, "/api/v1/livestream/:id", reply("patch"));
    router.add(Method::kPost, "/api/v1/livestream/generate-push-token", reply("generate"));
    router.add(Method::kGet, "/api/v1/livestreams/stream-info/:streamKey", [](const Request& r) {
      return Response::text(200, "text/plain", "info " + std::string(r.param("streamKey")));
    });
    router.add(Method::kGet, "/teams/:team/projects/:project", [](const Request& r) {
      return Response::text(200, "text/plain", std::string(r.param("team")) + "/" + std::string(r.param("project")));
    });
  }
  Router router;
};

TEST_F(RouterTest, MatchesLiteralsAndRoot) {
  EXPECT_EQ(run(router, Method::kGet, "/").body, "root");
  EXPECT_EQ(run(router, Method::kGet, "/api/v1/livestream").body, "list");
  EXPECT_EQ(run(router, Method::kPost, "/api/v1/livestream").body, "create");
}

TEST_F(RouterTest, CapturesDecodedParams) {
  EXPECT_EQ(run(router, Method::kGet, "/api/v1/livestream/abc-123").body, "get abc-123");
  EXPECT_EQ(run(router, Method::kGet, "/api/v1/livestream/a%20b?x=1").body, "get a b");
  EXPECT_EQ(run(router, Method::kGet, "/teams/t1/projects/p2").body, "t1/p2");
}

TEST_F(RouterTest, IgnoresOneTrailingSlash) {
  EXPECT_EQ(run(router, Method::kGet, "/api/v1/livestream/").body, "list");
  EXPECT_EQ(run(router, Method::kGet, "/api/v1/livestream/abc/").body, "get abc");
}

TEST_F(RouterTest, StaticSegmentWinsOverParam) {
  EXPECT_EQ(run(router, Method::kPost, "/api/v1/livestream/generate-push-token").body, "generate");
  // GET has no static route there, so the param route takes it.
  EXPECT_EQ(run(router, Method::kGet, "/api/v1/livestream/generate-push-token").body, "get generate-push-token");
}

TEST_F(RouterTest, BacktracksFromStaticToParam) {
  Router r;
  r.add(Method::kGet, "/a/b", reply("static"));
  r.add(Method::kGet, "/a/:x/c", [](const Request& q) { return Response::text(200, "", std::string(q.param("x"))); });
  EXPECT_EQ(run(r, Method::kGet, "/a/b").body, "static");
  EXPECT_EQ(run(r, Method::kGet, "/a/b/c").body, "b");
}

TEST_F(RouterTest, ParamNamesMayDifferPerRoute) {
  Router r;
  r.add(Method::kGet, "/s/:id", [](const Request& q) { return Response::text(200, "", std::string(q.param("id"))); });
  r.add(Method::kDelete, "/s/:key", [](const Request& q) {
    return Response::text(200, "", std::string(q.param("key")) + (q.param("id").empty() ? "" : "!"));
  });
  EXPECT_EQ(run(r, Method::kGet, "/s/v").body, "v");
  Request del = Request::make(Method::kDelete, "/s/v");
  const Response d = r.dispatch(del);
  EXPECT_EQ(d.body, "v");
  EXPECT_EQ(del.param("id"), "");
  EXPECT_EQ(del.param("key"), "v");
}

TEST_F(RouterTest, NotFoundEnvelope) {
  const Response r = run(router, Method::kGet, "/nope?x=1");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"statusCode":404,"message":"Cannot GET /nope","error":"Not Found"})");
  EXPECT_EQ(run(router, Method::kGet, "/api/v1/livestream/a/b").status, 404);
  EXPECT_EQ(run(router, Method::kGet, "/api//v1/livestream").status, 404);
  EXPECT_EQ(run(router, Method::kGet, "/api/v1/livestream//").status, 404);  // empty segment never matches a param
}

TEST_F(RouterTest, MethodNotAllowedListsAllow) {
  const Response r = run(router, Method::kDelete, "/api/v1/livestream/abc");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.body,
            R"({"statusCode":405,"message":"Cannot DELETE /api/v1/livestream/abc","error":"Method Not Allowed"})");
  ASSERT_NE(r.findHeader("Allow"), nullptr);
  EXPECT_EQ(*r.findHeader("Allow"), "GET, HEAD, PATCH, OPTIONS");
  EXPECT_EQ(router.allowedMethods("/api/v1/livestream"), "GET, HEAD, POST, OPTIONS");
  EXPECT_EQ(router.allowedMethods("/unknown"), "");
}

TEST_F(RouterTest, HeadFallsBackToGet) {
  EXPECT_EQ(run(router, Method::kHead, "/api/v1/livestream/x").body, "get x");
  Router r;
  r.add(Method::kHead, "/h", reply("head"));
  r.add(Method::kGet, "/h", reply("get"));
  EXPECT_EQ(run(r, Method::kHead, "/h").body, "head");
  EXPECT_EQ(run(router, Method::kHead, "/nope").status, 404);
}

TEST_F(RouterTest, OptionsIsCorsPreflightAnywhere) {
  for (std::string_view target : {"/api/v1/livestream", "/does/not/exist", "*"}) {
    const Response r = run(router, Method::kOptions, target);
    EXPECT_EQ(r.status, 204) << target;
    ASSERT_NE(r.findHeader("Access-Control-Allow-Origin"), nullptr);
    EXPECT_EQ(*r.findHeader("Access-Control-Allow-Origin"), "*");
    EXPECT_EQ(*r.findHeader("Access-Control-Allow-Headers"), "Content-Type, Authorization, ls-api-key");
    EXPECT_EQ(*r.findHeader("Access-Control-Allow-Methods"), "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    EXPECT_EQ(*r.findHeader("Access-Control-Max-Age"), "86400");
  }
  Router r;
  r.add(Method::kOptions, "/custom", reply("mine"));
  EXPECT_EQ(run(r, Method::kOptions, "/custom").body, "mine");
}

TEST_F(RouterTest, UnknownMethodIs501AndAsteriskElsewhereIs400) {
  Request r = Request::make(Method::kGet, "/");
  r.setMethod(Method::kOther, "BREW");
  const Response resp = router.dispatch(r);
  EXPECT_EQ(resp.status, 501);
  EXPECT_EQ(resp.body, R"({"statusCode":501,"message":"Method BREW is not implemented","error":"Not Implemented"})");
  EXPECT_EQ(run(router, Method::kGet, "*").status, 400);
}

TEST_F(RouterTest, ThrowingHandlerBecomes500) {
  Router r;
  r.add(Method::kGet, "/boom", [](const Request&) -> Response { throw std::runtime_error("bug"); });
  r.add(Method::kGet, "/boom2", [](const Request&) -> Response { throw 42; });
  const Response a = run(r, Method::kGet, "/boom");
  EXPECT_EQ(a.status, 500);
  EXPECT_EQ(a.body, R"({"statusCode":500,"message":"Internal server error","error":"Internal Server Error"})");
  EXPECT_EQ(run(r, Method::kGet, "/boom2").status, 500);
}

TEST_F(RouterTest, PrefixRoutesLongestFirstAfterPatterns) {
  Router r;
  r.addPrefix(Method::kGet, "/hls/",
              [](const Request& q) { return Response::text(200, "", "hls:" + std::string(q.param("*"))); });
  r.addPrefix(Method::kGet, "/hls/special/", reply("special"));
  r.add(Method::kGet, "/hls/stats", reply("stats"));
  EXPECT_EQ(run(r, Method::kGet, "/hls/key/720p/index.m3u8").body, "hls:key/720p/index.m3u8");
  EXPECT_EQ(run(r, Method::kGet, "/hls/special/x").body, "special");
  EXPECT_EQ(run(r, Method::kGet, "/hls/stats").body, "stats");
  EXPECT_EQ(run(r, Method::kHead, "/hls/a.ts").body, "hls:a.ts");
  EXPECT_EQ(run(r, Method::kGet, "/hlsx").status, 404);
  EXPECT_EQ(run(r, Method::kPost, "/hls/a").status, 405);
}

TEST_F(RouterTest, MalformedPatternsAreIgnored) {
  Router r;
  r.add(Method::kGet, "no-slash", reply("x"));
  r.add(Method::kGet, "/a/:", reply("x"));
  r.add(Method::kOther, "/b", reply("x"));
  r.add(Method::kGet, "/c", Handler{});
  EXPECT_EQ(run(r, Method::kGet, "/a/v").status, 404);
  EXPECT_EQ(run(r, Method::kGet, "/b").status, 404);
  EXPECT_EQ(run(r, Method::kGet, "/c").status, 404);
}

TEST_F(RouterTest, DeepPathsFailFast) {
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "/x";
  EXPECT_EQ(run(router, Method::kGet, deep).status, 404);
}

TEST_F(RouterTest, FindFillsParamsWithoutRunning) {
  Request r = Request::make(Method::kGet, "/api/v1/livestreams/stream-info/key1");
  const Route* route = router.find(Method::kGet, r);
  ASSERT_NE(route, nullptr);
  EXPECT_EQ(route->runs, Runs::kOnLoop);
  EXPECT_EQ(r.param("streamKey"), "key1");
  EXPECT_EQ(router.find(Method::kPut, r), nullptr);
}

TEST(RouterRunsTest, RoutesDeclareWhereTheyRun) {
  Router router;
  EXPECT_FALSE(router.hasWorkerRoutes());
  router.add(Method::kGet, "/hls/:key", reply("hls"));
  router.add(Method::kGet, "/api/v1/x", reply("api"), Runs::kOnWorkers);
  router.addPrefix(Method::kGet, "/files/", reply("file"), Runs::kOnWorkers);
  EXPECT_TRUE(router.hasWorkerRoutes());
  Request hls = Request::make(Method::kGet, "/hls/k");
  Request api = Request::make(Method::kGet, "/api/v1/x");
  Request file = Request::make(Method::kGet, "/files/a/b");
  ASSERT_NE(router.find(Method::kGet, hls), nullptr);
  ASSERT_NE(router.find(Method::kGet, api), nullptr);
  ASSERT_NE(router.find(Method::kGet, file), nullptr);
  EXPECT_EQ(router.find(Method::kGet, hls)->runs, Runs::kOnLoop);
  EXPECT_EQ(router.find(Method::kGet, api)->runs, Runs::kOnWorkers);
  EXPECT_EQ(router.find(Method::kGet, file)->runs, Runs::kOnWorkers);
  // HEAD borrows the GET route, and with it where it runs.
  EXPECT_EQ(router.find(Method::kHead, api)->runs, Runs::kOnWorkers);
}

TEST(RouterListTest, RoutesListsEachRegistrationOnceInOrder) {
  Router router;
  router.add(Method::kGet, "/api/v1/livestream/:id", reply("get"));
  router.add(Method::kPost, "/api/v1/livestream", reply("create"));
  router.add(Method::kGet, "/api/v1/livestream/:id", reply("again"));  // replaces, listed once
  router.addPrefix(Method::kGet, "/files/", reply("file"));
  router.add(Method::kGet, "no-slash", reply("ignored"));  // malformed: not routed, not listed
  const std::vector<RouteInfo> routes = router.routes();
  ASSERT_EQ(routes.size(), 3u);
  EXPECT_EQ(routes[0].method, Method::kGet);
  EXPECT_EQ(routes[0].pattern, "/api/v1/livestream/:id");
  EXPECT_FALSE(routes[0].prefix);
  EXPECT_EQ(routes[1].method, Method::kPost);
  EXPECT_EQ(routes[1].pattern, "/api/v1/livestream");
  EXPECT_EQ(routes[2].pattern, "/files/");
  EXPECT_TRUE(routes[2].prefix);
}

}  // namespace
}  // namespace ls::http
