#include "http/server.hpp"

#include <gtest/gtest.h>

#include <future>

#include <memory>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "unit/http/test_client.hpp"

namespace ls::http {
namespace {

using testing::TestClient;

std::string get(std::string_view target, std::string_view extra = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra) + "\r\n";
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    segment = std::make_shared<std::vector<std::uint8_t>>(3 * 1024 * 1024 + 17);
    for (std::size_t i = 0; i < segment->size(); ++i) (*segment)[i] = static_cast<std::uint8_t>(i * 7 + i / 251);
    router.add(Method::kGet, "/hello", [](const Request&) { return Response::text(200, "text/plain", "hello"); });
    router.add(Method::kGet, "/items/:id", [](const Request& r) {
      return Response::json(
          200, "{\"id\":\"" + std::string(r.param("id")) + "\",\"from\":\"" + std::string(r.remoteAddress()) + "\"}");
    });
    router.add(Method::kPost, "/echo",
               [](const Request& r) { return Response::text(200, "application/octet-stream", r.body()); });
    router.add(Method::kGet, "/throw", [](const Request&) -> Response { throw std::runtime_error("handler bug"); });
    router.add(Method::kGet, "/segment", [this](const Request&) {
      return Response::shared(200, "video/mp2t", segment, std::span<const std::uint8_t>(*segment));
    });
    start(ServerOptions{});
  }

  void start(ServerOptions options) {
    server = std::make_unique<Server>(options, router);
    auto endpoint = server->listen("127.0.0.1", 0);
    ASSERT_TRUE(endpoint.ok()) << endpoint.status().message();
    port = endpoint->port;
    ASSERT_NE(port, 0);
    server->start();
  }

  void TearDown() override { server->stop(); }

  // The server is still healthy: a fresh connection gets a normal answer.
  void expectStillServing() {
    TestClient client(port);
    ASSERT_TRUE(client.connected());
    const auto r = client.roundTrip(get("/hello"));
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "hello");
  }

  std::shared_ptr<std::vector<std::uint8_t>> segment;
  Router router;
  std::unique_ptr<Server> server;
  std::uint16_t port = 0;
};

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  TestClient client(port);
  ASSERT_TRUE(client.connected());
  const auto first = client.roundTrip(get("/hello"));
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->body, "hello");
  EXPECT_EQ(first->headers.at("server"), "lunarstream");
  EXPECT_EQ(first->headers.at("content-length"), "5");
  EXPECT_EQ(first->headers.at("content-type"), "text/plain");
  EXPECT_EQ(first->headers.count("connection"), 0u);
  EXPECT_EQ(first->headers.at("date").size(), 29u);
  const auto second = client.roundTrip(get("/items/abc"));
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(second->body, R"({"id":"abc","from":"127.0.0.1"})");
  EXPECT_EQ(server->connectionCount(), 1u);
}

TEST_F(ServerTest, PipelinedRequestsAnswerInOrder) {
  TestClient client(port);
  ASSERT_TRUE(client.send(get("/items/1") + get("/nope") + get("/items/2")));
  const auto a = client.read();
  const auto b = client.read();
  const auto c = client.read();
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->body, R"({"id":"1","from":"127.0.0.1"})");
  EXPECT_EQ(b->status, 404);
  EXPECT_EQ(c->body, R"({"id":"2","from":"127.0.0.1"})");
}

TEST_F(ServerTest, PostBodiesContentLengthAndChunked) {
  TestClient client(port);
  const auto a = client.roundTrip("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nabcde");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->body, "abcde");
  const auto b = client.roundTrip(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nfoo\r\n3\r\nbar\r\n0\r\n\r\n");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->body, "foobar");
}

TEST_F(ServerTest, ExpectContinueGetsInterimResponse) {
  TestClient client(port);
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"));
  const auto interim = client.read();
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.send("ok"));
  const auto final = client.read();
  ASSERT_TRUE(final.has_value());
  EXPECT_EQ(final->status, 200);
  EXPECT_EQ(final->body, "ok");
}

TEST_F(ServerTest, Http10ClosesAfterResponse) {
  TestClient client(port);
  const auto r = client.roundTrip("GET /hello HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->body, "hello");
  EXPECT_EQ(r->headers.at("connection"), "close");
  EXPECT_TRUE(client.waitForClose());
}

TEST_F(ServerTest, HeadSendsLengthButNoBody) {
  TestClient client(port);
  const auto head = client.roundTrip("HEAD /segment HTTP/1.1\r\nHost: t\r\n\r\n", true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->headers.at("content-length"), std::to_string(segment->size()));
  // The next response starts right away: no body bytes were sent for HEAD.
  const auto next = client.roundTrip(get("/hello"));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->body, "hello");
}

TEST_F(ServerTest, SharedBodyIsServedByteExact) {
  TestClient client(port);
  const auto r = client.roundTrip(get("/segment"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->headers.at("content-type"), "video/mp2t");
  ASSERT_EQ(r->body.size(), segment->size());
  EXPECT_TRUE(std::equal(segment->begin(), segment->end(), reinterpret_cast<const std::uint8_t*>(r->body.data())));
}

TEST_F(ServerTest, OptionsPreflight) {
  TestClient client(port);
  const auto r = client.roundTrip(
      "OPTIONS /api/v1/livestream HTTP/1.1\r\nHost: t\r\nOrigin: https://a.example\r\n"
      "Access-Control-Request-Method: POST\r\n\r\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->headers.at("access-control-allow-origin"), "*");
  EXPECT_EQ(r->headers.at("access-control-allow-methods"), "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
  EXPECT_EQ(r->headers.at("access-control-allow-headers"), "Content-Type, Authorization, ls-api-key");
  EXPECT_EQ(r->headers.at("access-control-max-age"), "86400");
  EXPECT_TRUE(r->body.empty());
}

TEST_F(ServerTest, ContentLengthOver64KiBIs413) {
  TestClient client(port);
  const std::string body(100 * 1024, 'b');
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) +
                          "\r\n\r\n" + body));
  const auto r = client.read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->body, R"({"statusCode":413,"message":"Request body too large","error":"Payload Too Large"})");
  EXPECT_EQ(r->headers.at("connection"), "close");
  EXPECT_TRUE(client.waitForClose());
  expectStillServing();
}

TEST_F(ServerTest, ChunkedBodyGrowingPastLimitIs413) {
  TestClient client(port);
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = "4000\r\n" + std::string(0x4000, 'c') + "\r\n";
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client.send(chunk));  // 80 KiB in 16 KiB chunks
  const auto r = client.read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 413);
  EXPECT_TRUE(client.waitForClose());
  expectStillServing();
}

TEST_F(ServerTest, TwentyKiBOfHeadersIs431) {
  TestClient client(port);
  std::string request = "GET /hello HTTP/1.1\r\nHost: t\r\n";
  for (int i = 0; request.size() < 20 * 1024; ++i)
    request += "X-Fill-" + std::to_string(i) + ": " + std::string(100, 'h') + "\r\n";
  request += "\r\n";
  const auto r = client.roundTrip(request);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(r->headers.at("content-type"), "application/json; charset=utf-8");
  EXPECT_TRUE(client.waitForClose());
  expectStillServing();
}

TEST_F(ServerTest, GarbageBytesGet400AndClose) {
  TestClient client(port);
  const auto r = client.roundTrip(std::string("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03garbage\r\n\r\n", 23));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->body, R"({"statusCode":400,"message":"Malformed request","error":"Bad Request"})");
  EXPECT_TRUE(client.waitForClose());
  expectStillServing();
}

TEST_F(ServerTest, ThrowingHandlerGets500AndServerKeepsServing) {
  TestClient client(port);
  const auto r = client.roundTrip(get("/throw"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 500);
  const auto again = client.roundTrip(get("/hello"));  // same connection survives
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->body, "hello");
}

TEST_F(ServerTest, UnknownMethodAndNotAllowed) {
  TestClient client(port);
  const auto brew = client.roundTrip("BREW /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(brew.has_value());
  EXPECT_EQ(brew->status, 501);
  const auto del = client.roundTrip("DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(del.has_value());
  EXPECT_EQ(del->status, 405);
  EXPECT_EQ(del->headers.at("allow"), "GET, HEAD, OPTIONS");
}

TEST_F(ServerTest, StopWithOpenIdleConnectionsReturnsPromptly) {
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < 4; ++i) {
    clients.push_back(std::make_unique<TestClient>(port));
    ASSERT_TRUE(clients.back()->connected());
  }
  ASSERT_TRUE(clients[0]->roundTrip(get("/hello")).has_value());  // idle after one request
  ASSERT_TRUE(clients[1]->send("GET /hel"));                      // half a request
  const auto begin = std::chrono::steady_clock::now();
  server->stop();
  const auto took = std::chrono::steady_clock::now() - begin;
  EXPECT_LT(took, std::chrono::milliseconds(500));
  for (auto& c : clients) EXPECT_TRUE(c->waitForClose());
  EXPECT_EQ(server->connectionCount(), 0u);
  server->stop();  // idempotent
}

class ServerTimeoutTest : public ServerTest {
 protected:
  void SetUp() override {
    router.add(Method::kGet, "/hello", [](const Request&) { return Response::text(200, "text/plain", "hello"); });
    ServerOptions options;
    options.headerTimeout = std::chrono::milliseconds(200);
    options.idleTimeout = std::chrono::milliseconds(300);
    options.maxConnections = 3;
    start(options);
  }
};

TEST_F(ServerTimeoutTest, SlowHeaderAndIdleConnectionsAreClosed) {
  TestClient slow(port);
  ASSERT_TRUE(slow.send("GET /hello HTTP/1.1\r\nHost"));
  TestClient idle(port);
  ASSERT_TRUE(idle.roundTrip(get("/hello")).has_value());
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_TRUE(slow.waitForClose());
  EXPECT_TRUE(idle.waitForClose());
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(2));
}

TEST_F(ServerTimeoutTest, ConnectionsOverTheLimitAreRefused) {
  std::vector<std::unique_ptr<TestClient>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<TestClient>(port));
    ASSERT_TRUE(held.back()->roundTrip(get("/hello")).has_value());
  }
  TestClient extra(port);
  ASSERT_TRUE(extra.connected());  // the kernel completes the handshake; the server then closes it
  EXPECT_TRUE(extra.waitForClose());
  EXPECT_EQ(server->connectionCount(), 3u);
}

// One loop thread, and a blocking route that waits until the test lets it
// go: while it waits, the same loop must keep answering other connections.
class ServerWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add(Method::kGet, "/hello", [](const Request&) { return Response::text(200, "text/plain", "hello"); });
    router.add(
        Method::kGet, "/api/slow",
        [this](const Request& r) {
          entered.set_value();
          release.get_future().wait();
          return Response::text(200, "text/plain", "slow " + std::string(r.path()));
        },
        Runs::kOnWorkers);
    router.add(Method::kGet, "/thread/loop", [](const Request&) { return threadAnswer(); });
    router.add(Method::kGet, "/thread/workers", [](const Request&) { return threadAnswer(); }, Runs::kOnWorkers);
    ServerOptions options;
    options.threads = 1;
    options.blockingThreads = 2;
    server = std::make_unique<Server>(options, router);
    auto endpoint = server->listen("127.0.0.1", 0);
    ASSERT_TRUE(endpoint.ok());
    port = endpoint->port;
    server->start();
  }
  void TearDown() override { server->stop(); }

  // The id of the thread that ran the handler, as the body.
  static Response threadAnswer() {
    std::ostringstream id;
    id << std::this_thread::get_id();
    return Response::text(200, "text/plain", id.str());
  }
  std::string threadOf(std::string_view target) {
    TestClient client(port);
    const auto r = client.roundTrip(get(target));
    return r && r->status == 200 ? r->body : std::string("no answer");
  }

  Router router;
  std::promise<void> entered;
  std::promise<void> release;
  std::unique_ptr<Server> server;
  std::uint16_t port = 0;
};

TEST_F(ServerWorkerTest, EachRouteRunsWhereItDeclared) {
  // One loop thread: every loop route runs on it, no worker route does.
  const std::string loop = threadOf("/thread/loop");
  ASSERT_NE(loop, "no answer");
  EXPECT_EQ(threadOf("/thread/loop"), loop);
  const std::string worker = threadOf("/thread/workers");
  ASSERT_NE(worker, "no answer");
  EXPECT_NE(worker, loop);
  std::ostringstream self;
  self << std::this_thread::get_id();
  EXPECT_NE(loop, self.str());
  EXPECT_NE(worker, self.str());
}

TEST_F(ServerWorkerTest, ABlockingHandlerDoesNotHoldUpItsLoop) {
  TestClient slow(port);
  ASSERT_TRUE(slow.send(get("/api/slow")));
  entered.get_future().wait();  // the handler is running on a worker, blocked
  TestClient fast(port);
  const auto quick = fast.roundTrip(get("/hello"));
  ASSERT_TRUE(quick.has_value());
  EXPECT_EQ(quick->body, "hello");
  release.set_value();
  const auto answer = slow.read();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, "slow /api/slow");
  // The connection goes on serving after a worker-handled request.
  const auto again = slow.roundTrip(get("/hello"));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->body, "hello");
}

}  // namespace
}  // namespace ls::http
