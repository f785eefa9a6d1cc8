#include "http/request.hpp"

#include <gtest/gtest.h>

namespace ls::http {
namespace {

TEST(Method, MapsNamesCaseSensitively) {
  EXPECT_EQ(methodFromName("GET"), Method::kGet);
  EXPECT_EQ(methodFromName("HEAD"), Method::kHead);
  EXPECT_EQ(methodFromName("POST"), Method::kPost);
  EXPECT_EQ(methodFromName("PUT"), Method::kPut);
  EXPECT_EQ(methodFromName("PATCH"), Method::kPatch);
  EXPECT_EQ(methodFromName("DELETE"), Method::kDelete);
  EXPECT_EQ(methodFromName("OPTIONS"), Method::kOptions);
  EXPECT_EQ(methodFromName("get"), Method::kOther);
  EXPECT_EQ(methodFromName("TRACE"), Method::kOther);
  EXPECT_EQ(methodFromName(""), Method::kOther);
  EXPECT_EQ(methodName(Method::kPatch), "PATCH");
  EXPECT_EQ(methodName(Method::kOther), "");
}

TEST(Request, SplitsAndDecodesTarget) {
  Request r;
  ASSERT_TRUE(r.setTarget("/api/v1/live%20stream/abc?projectId=p%201&x"));
  EXPECT_EQ(r.target(), "/api/v1/live%20stream/abc?projectId=p%201&x");
  EXPECT_EQ(r.path(), "/api/v1/live stream/abc");
  EXPECT_EQ(r.rawQuery(), "projectId=p%201&x");
  EXPECT_EQ(r.query("projectId"), "p 1");
  EXPECT_EQ(r.query("x"), "");
  EXPECT_EQ(r.query("y"), std::nullopt);
}

TEST(Request, PathKeepsPlusAndQueryMayBeEmpty) {
  Request r;
  ASSERT_TRUE(r.setTarget("/a+b?"));
  EXPECT_EQ(r.path(), "/a+b");
  EXPECT_EQ(r.rawQuery(), "");
  ASSERT_TRUE(r.setTarget("/plain"));
  EXPECT_EQ(r.rawQuery(), "");
  EXPECT_EQ(r.query("a"), std::nullopt);
}

TEST(Request, ReducesAbsoluteFormToOriginForm) {
  Request r;
  ASSERT_TRUE(r.setTarget("http://example.com:8080/hls/k/master.m3u8?t=1"));
  EXPECT_EQ(r.target(), "/hls/k/master.m3u8?t=1");
  EXPECT_EQ(r.path(), "/hls/k/master.m3u8");
  EXPECT_EQ(r.rawQuery(), "t=1");
  ASSERT_TRUE(r.setTarget("http://example.com"));
  EXPECT_EQ(r.path(), "/");
  ASSERT_TRUE(r.setTarget("https://example.com?x=1"));
  EXPECT_EQ(r.path(), "/");
  EXPECT_EQ(r.rawQuery(), "x=1");
}

TEST(Request, RejectsBadTargets) {
  Request r;
  EXPECT_FALSE(r.setTarget(""));
  EXPECT_FALSE(r.setTarget("relative/path"));
  EXPECT_FALSE(r.setTarget("://x/"));
  EXPECT_FALSE(r.setTarget("/a%00b"));  // a decoded NUL
  EXPECT_TRUE(r.setTarget("*"));
  EXPECT_EQ(r.path(), "*");
}

TEST(Request, BearerTokenIsTheCredentialOfTheBearerSchemeOnly) {
  const auto token = [](std::vector<Header> headers) {
    return std::string(Request::make(Method::kGet, "/", {}, std::move(headers)).bearerToken());
  };
  EXPECT_EQ(token({{"Authorization", "Bearer abc.def"}}), "abc.def");
  EXPECT_EQ(token({{"authorization", "Bearer x"}}), "x");
  EXPECT_EQ(token({}), "");
  EXPECT_EQ(token({{"Authorization", "Bearer "}}), "");
  EXPECT_EQ(token({{"Authorization", "Basic dXNlcjpwYXNz"}}), "");
  EXPECT_EQ(token({{"Authorization", "bearerabc"}}), "");
}

TEST(Request, HeaderLookupIsCaseInsensitiveFirstWins) {
  Request r = Request::make(Method::kPost, "/x", "body",
                            {{"Content-Type", "application/json"}, {"X-Dup", "1"}, {"x-dup", "2"}});
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(r.header("x-DUP"), "1");
  EXPECT_EQ(r.header("missing"), std::nullopt);
  EXPECT_EQ(r.headers().size(), 3u);
  EXPECT_EQ(r.body(), "body");
  EXPECT_EQ(r.method(), Method::kPost);
  EXPECT_EQ(r.methodName(), "POST");
}

TEST(Request, ParamsAndClearReuse) {
  Request r = Request::make(Method::kGet, "/a/b");
  r.setRemoteAddress("10.0.0.1");
  r.setParam("id", "abc");
  r.setParam("id", "def");
  EXPECT_EQ(r.param("id"), "def");
  EXPECT_EQ(r.param("other"), "");
  r.clear();
  EXPECT_EQ(r.param("id"), "");
  EXPECT_EQ(r.path(), "");
  EXPECT_EQ(r.headers().size(), 0u);
  EXPECT_EQ(r.remoteAddress(), "10.0.0.1");  // per connection, survives clear()
}

TEST(Request, CopyIsIndependent) {
  Request a = Request::make(Method::kGet, "/short?q=1");
  Request b = a;
  a.setTarget("/other");
  EXPECT_EQ(b.path(), "/short");
  EXPECT_EQ(b.rawQuery(), "q=1");
}

}  // namespace
}  // namespace ls::http
