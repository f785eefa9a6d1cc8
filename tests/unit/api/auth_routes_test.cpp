// /api/v1/auth/* over a real HTTP server on loopback, with a real SQLite
// store and an injected clock: answers, cookies, throttling, the login pool.
#include "api/auth_routes.hpp"

#include <gtest/gtest.h>

#include <future>

#include "api/auth_bodies.hpp"
#include "control/user_service.hpp"
#include "http/server.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/temp_dir.hpp"
#include "unit/http/test_client.hpp"

namespace ls::api {
namespace {

using http::testing::ClientResponse;
using http::testing::TestClient;

constexpr auth::PasswordHashParams kCheap{.timeCost = 1, .memoryKiB = 64, .parallelism = 1};

std::string post(std::string_view path, std::string_view body, std::string_view extraHeaders = "") {
  return "POST " + std::string(path) + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n" +
         std::string(extraHeaders) + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
         std::string(body);
}

std::string loginBody(std::string_view email, std::string_view password) {
  return R"({"email":")" + std::string(email) + R"(","password":")" + std::string(password) + "\"}";
}

class AuthRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::open(dir_.path() / "test.db");
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
    control::UserService users(*store_, clock_, random_, kCheap);
    ASSERT_TRUE(users.create("admin@example.com", "correct horse", true).ok());
    ASSERT_TRUE(users.create("other@example.com", "correct horse", false).ok());
    auto sessions = control::SessionService::create(*store_, clock_, random_, {kCheap, 3'600'000});
    ASSERT_TRUE(sessions.ok());
    sessions_ = std::move(*sessions);
    deps_ = std::make_unique<AuthDeps>(AuthDeps{.sessions = *sessions_,
                                               .addressLimiter = addressLimiter_,
                                               .accountLimiter = accountLimiter_,
                                               .loginPool = pool_,
                                               .clock = clock_,
                                               .cookieSecure = true});
    registerAuthRoutes(router_, *deps_);
    http::ServerOptions options;
    options.threads = 1;
    options.blockingThreads = 1;
    server_ = std::make_unique<http::Server>(options, router_);
    auto endpoint = server_->listen("127.0.0.1", 0);
    ASSERT_TRUE(endpoint.ok());
    port_ = endpoint->port;
    server_->start();
  }
  void TearDown() override {
    pool_.stop();
    if (server_) server_->stop();
  }

  ClientResponse call(const std::string& request) {
    TestClient client(port_);
    auto r = client.roundTrip(request);
    EXPECT_TRUE(r.has_value());
    return r.value_or(ClientResponse{});
  }

  testing::TempDir dir_;
  ManualClock clock_{1'800'000'000'000};
  SecureRandom random_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<control::SessionService> sessions_;
  LocalRateLimiter addressLimiter_{clock_, {RateLimit{8, kMinuteMs}}};
  LocalRateLimiter accountLimiter_{clock_, {RateLimit{3, 15 * kMinuteMs}}};
  BoundedPool pool_{1, 1};
  std::unique_ptr<AuthDeps> deps_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::uint16_t port_ = 0;
};

TEST_F(AuthRoutesTest, LoginAnswersTokensAndSetsBothCookies) {
  const ClientResponse r = call(post("/api/v1/auth/login", loginBody("Admin@Example.com", "correct horse")));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("expiresIn":900)"), std::string::npos);
  EXPECT_NE(r.body.find(R"("tokenType":"Bearer")"), std::string::npos);
  EXPECT_NE(r.body.find(R"("email":"admin@example.com","isAdmin":true)"), std::string::npos);
  EXPECT_EQ(r.headers.at("cache-control"), "no-store");
  EXPECT_NE(r.head.find("ls_refresh="), std::string::npos);
  EXPECT_NE(r.head.find("; Path=/api/v1/auth; HttpOnly; SameSite=Strict; Max-Age=3600; Secure"), std::string::npos);
  EXPECT_NE(r.head.find("ls_csrf="), std::string::npos);
  EXPECT_NE(r.head.find("; Path=/; SameSite=Strict; Max-Age=3600; Secure"), std::string::npos);
}

TEST_F(AuthRoutesTest, WrongEmailAndWrongPasswordGiveTheSameAnswer) {
  const ClientResponse email = call(post("/api/v1/auth/login", loginBody("nobody@example.com", "correct horse")));
  const ClientResponse password = call(post("/api/v1/auth/login", loginBody("admin@example.com", "wrong horse")));
  EXPECT_EQ(email.status, 401);
  EXPECT_EQ(password.status, 401);
  EXPECT_EQ(email.body, password.body);
  EXPECT_EQ(email.body, R"({"statusCode":401,"message":"Invalid email or password","error":"Unauthorized"})");
  const ClientResponse extra = call(post("/api/v1/auth/login", R"({"email":"a@b.c","password":"p","x":1})"));
  EXPECT_EQ(extra.status, 400);
  EXPECT_NE(extra.body.find(R"("message":["property x should not exist"])"), std::string::npos);
}

TEST_F(AuthRoutesTest, FailuresPerAccountAre429EvenWithTheRightPassword) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(call(post("/api/v1/auth/login", loginBody("admin@example.com", "wrong horse"))).status, 401);
  }
  const ClientResponse r = call(post("/api/v1/auth/login", loginBody("ADMIN@example.com ", "correct horse")));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers.at("retry-after"), "900");
  // Another account is not held back.
  EXPECT_EQ(call(post("/api/v1/auth/login", loginBody("other@example.com", "correct horse"))).status, 200);
  // The window ends: in again.
  clock_.advance(15 * kMinuteMs);
  EXPECT_EQ(call(post("/api/v1/auth/login", loginBody("admin@example.com", "correct horse"))).status, 200);
}

TEST_F(AuthRoutesTest, AttemptsPerAddressAre429) {
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(call(post("/api/v1/auth/login", loginBody("x" + std::to_string(i) + "@example.com", "p4ssword"))).status,
              401);
  }
  const ClientResponse r = call(post("/api/v1/auth/login", loginBody("admin@example.com", "correct horse")));
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.headers.at("retry-after").empty());
}

TEST_F(AuthRoutesTest, AFullLoginQueueAnswers503) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> running;
  ASSERT_TRUE(pool_.submit([&running, released] {
    running.set_value();
    released.wait();
  }));
  running.get_future().wait();
  ASSERT_TRUE(pool_.submit([] {}));  // fills the one queue slot
  const ClientResponse r = call(post("/api/v1/auth/login", loginBody("admin@example.com", "correct horse")));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.headers.at("retry-after"), "1");
  release.set_value();
}

TEST_F(AuthRoutesTest, MeNeedsAValidBearer) {
  const ClientResponse none = call("GET /api/v1/auth/me HTTP/1.1\r\nHost: test\r\n\r\n");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.body, R"({"statusCode":401,"message":"Invalid or expired access token","error":"Unauthorized"})");
  auto session = sessions_->login("admin@example.com", "correct horse");
  ASSERT_TRUE(session.ok());
  const ClientResponse me =
      call("GET /api/v1/auth/me HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " + session->accessToken + "\r\n\r\n");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_NE(me.body.find(R"("email":"admin@example.com","isAdmin":true,"createdAt":")"), std::string::npos);
  EXPECT_NE(me.body.find(R"("teams":[])"), std::string::npos);
  EXPECT_EQ(me.headers.at("cache-control"), "no-store");
}

TEST_F(AuthRoutesTest, CookieRefreshNeedsTheCsrfHeader) {
  auto session = sessions_->login("admin@example.com", "correct horse");
  ASSERT_TRUE(session.ok());
  const std::string cookies =
      "Cookie: ls_refresh=" + session->refreshToken + "; ls_csrf=" + session->csrfToken + "\r\n";
  const ClientResponse missing = call(post("/api/v1/auth/refresh", "", cookies));
  EXPECT_EQ(missing.status, 403);
  EXPECT_NE(missing.body.find("Missing or wrong CSRF token"), std::string::npos);
  const ClientResponse wrong = call(post("/api/v1/auth/refresh", "", cookies + "X-CSRF-Token: nope\r\n"));
  EXPECT_EQ(wrong.status, 403);
  const ClientResponse ok =
      call(post("/api/v1/auth/refresh", "", cookies + "X-CSRF-Token: " + session->csrfToken + "\r\n"));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(ok.head.find("ls_refresh="), std::string::npos);
}

TEST(AuthBodies, CookiesAndBodies) {
  EXPECT_EQ(cookieValue("a=1; ls_refresh=abc; ls_csrf=def", "ls_refresh"), "abc");
  EXPECT_EQ(cookieValue("ls_refresh=\"q\"", "ls_refresh"), "q");
  EXPECT_EQ(cookieValue("xls_refresh=abc;ls_refresh=x", "ls_refresh"), "x");
  EXPECT_EQ(cookieValue("ls_refresh", "ls_refresh"), std::nullopt);
  EXPECT_EQ(cookieValue("", "ls_refresh"), std::nullopt);
  EXPECT_EQ(cookieValue(";;;=;", "ls_refresh"), std::nullopt);

  boost::json::object login{{"email", "a@b.c"}, {"password", "p"}};
  EXPECT_TRUE(parseLoginBody(login).ok());
  boost::json::object noPassword{{"email", "a@b.c"}};
  EXPECT_EQ(parseLoginBody(noPassword).status().code(), Code::kInvalidArgument);
  boost::json::object numeric{{"email", "a@b.c"}, {"password", 12345678}};
  EXPECT_EQ(parseLoginBody(numeric).status().code(), Code::kInvalidArgument);
  auto empty = parseRefreshBody(boost::json::object{});
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->has_value());
  EXPECT_FALSE(parseRefreshBody(boost::json::object{{"token", "x"}}).ok());
}

}  // namespace
}  // namespace ls::api
