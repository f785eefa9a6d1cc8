// HttpClient against real servers on 127.0.0.1: the project's own http::Server
// for well-formed answers, and a raw socket for an answer without a length.
#include "http_client/http_client.hpp"

#include <gtest/gtest.h>

// g++ 12 false positive inside Asio's scheduler after inlining; see src/http/server.cpp.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#pragma GCC diagnostic pop
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "support/local_http_server.hpp"

namespace ls::http_client {
namespace {

using namespace std::chrono_literals;
using ls::testing::LocalHttpServer;

// What a request looked like when it arrived, as JSON-ish text the tests search.
http::Response echo(const http::Request& r) {
  std::string text = "method=" + std::string(r.methodName()) + "\ntarget=" + std::string(r.target()) + "\n";
  for (const http::Header& h : r.headers()) text += "header " + h.name + "=" + h.value + "\n";
  text += "body=" + r.body();
  return http::Response::text(200, "text/plain", std::move(text));
}

http::Router testRoutes() {
  http::Router router;
  router.add(http::Method::kGet, "/hello",
             [](const http::Request&) { return http::Response::text(200, "text/plain", "hello"); });
  router.add(http::Method::kGet, "/echo", echo);
  router.add(http::Method::kPost, "/echo", echo);
  router.add(http::Method::kDelete, "/echo", echo);
  router.add(http::Method::kGet, "/moved", [](const http::Request&) {
    return http::Response::text(302, "text/plain", "see /hello").header("Location", "/hello");
  });
  router.add(http::Method::kGet, "/big", [](const http::Request&) {
    return http::Response::text(200, "text/plain", std::string(100 * 1024, 'x'));
  });
  // Never answers in time: parked for far longer than any client waits.
  router.addDeferred(
      http::Method::kGet, "/slow", [](const http::Request&, http::Responder) {},
      http::Deferral{10s, [](const http::Request&) { return http::Response::text(200, "text/plain", "late"); }});
  return router;
}

class HttpClientTest : public ::testing::Test {
 protected:
  ClientRequest get(std::string_view path) {
    ClientRequest request;
    request.url = server.baseUrl() + std::string(path);
    return request;
  }

  LocalHttpServer server{testRoutes()};
  HttpClient client;
};

TEST_F(HttpClientTest, ReturnsStatusAndBody) {
  auto hello = client.send(get("/hello"));
  ASSERT_TRUE(hello.ok()) << hello.status().message();
  EXPECT_EQ(hello->status, 200);
  EXPECT_EQ(hello->body, "hello");

  auto missing = client.send(get("/nope"));
  ASSERT_TRUE(missing.ok()) << "an HTTP error status is an answer";
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("Cannot GET /nope"), std::string::npos);
}

TEST_F(HttpClientTest, PostSendsBodyHeadersAndBasicAuth) {
  ClientRequest request = get("/echo?a=1");
  request.method = "POST";
  request.body = R"({"k":"v"})";
  request.headers = {{"Content-Type", "application/json"}, {"X-Node", "edge-1"}, {"X-Empty", ""}};
  request.basicAuth = std::pair<std::string, std::string>("lunarstream", "s3cret");
  auto answer = client.send(request);
  ASSERT_TRUE(answer.ok()) << answer.status().message();
  EXPECT_EQ(answer->status, 200);
  const std::string& seen = answer->body;
  EXPECT_NE(seen.find("method=POST\n"), std::string::npos) << seen;
  EXPECT_NE(seen.find("target=/echo?a=1\n"), std::string::npos) << seen;
  EXPECT_NE(seen.find("header Content-Type=application/json\n"), std::string::npos) << seen;
  EXPECT_NE(seen.find("header X-Node=edge-1\n"), std::string::npos) << seen;
  EXPECT_NE(seen.find("header X-Empty=\n"), std::string::npos) << seen;
  EXPECT_NE(seen.find("header Authorization=Basic bHVuYXJzdHJlYW06czNjcmV0\n"), std::string::npos) << seen;
  EXPECT_EQ(seen.find("header Expect"), std::string::npos) << seen;
  EXPECT_NE(seen.find("body={\"k\":\"v\"}"), std::string::npos) << seen;
}

TEST_F(HttpClientTest, EmptyPostSendsZeroLengthAndNoInventedContentType) {
  ClientRequest request = get("/echo");
  request.method = "POST";
  auto answer = client.send(request);
  ASSERT_TRUE(answer.ok()) << answer.status().message();
  EXPECT_NE(answer->body.find("header Content-Length=0\n"), std::string::npos) << answer->body;
  EXPECT_EQ(answer->body.find("Content-Type"), std::string::npos) << answer->body;
}

TEST_F(HttpClientTest, OtherMethodsAreSentByName) {
  ClientRequest request = get("/echo");
  request.method = "DELETE";
  auto answer = client.send(request);
  ASSERT_TRUE(answer.ok()) << answer.status().message();
  EXPECT_NE(answer->body.find("method=DELETE\n"), std::string::npos) << answer->body;
}

TEST_F(HttpClientTest, RedirectIsReturnedNotFollowed) {
  auto answer = client.send(get("/moved"));
  ASSERT_TRUE(answer.ok()) << answer.status().message();
  EXPECT_EQ(answer->status, 302);
  EXPECT_EQ(answer->body, "see /hello");
}

TEST_F(HttpClientTest, BodyOverTheCapIsAnErrorNotATruncation) {
  ClientRequest request = get("/big");
  request.maxResponseBytes = 10 * 1024;
  auto answer = client.send(request);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), Code::kUnavailable);
  EXPECT_EQ(answer.status().message(), "GET " + server.baseUrl() + "/big: answer over 10240 bytes");

  request.maxResponseBytes = 100 * 1024;
  auto exact = client.send(request);
  ASSERT_TRUE(exact.ok()) << exact.status().message();
  EXPECT_EQ(exact->body.size(), 100u * 1024u);
}

TEST_F(HttpClientTest, SlowAnswerTimesOut) {
  ClientRequest request = get("/slow?secret=do-not-show");
  request.timeout = 300ms;
  const auto started = std::chrono::steady_clock::now();
  auto answer = client.send(request);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), Code::kUnavailable);
  EXPECT_EQ(answer.status().message(), "GET " + server.baseUrl() + "/slow: timed out after 300 ms");
  EXPECT_LT(took, 2s);
}

TEST_F(HttpClientTest, SpentBudgetFailsWithoutSending) {
  ClientRequest request = get("/hello");
  request.timeout = 0ms;
  auto answer = client.send(request);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), Code::kUnavailable);
  EXPECT_NE(answer.status().message().find("timed out after 0 ms"), std::string::npos);
}

TEST_F(HttpClientTest, OnlyHttpAndHttpsAreSpoken) {
  for (const std::string url : {"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/x"}) {
    ClientRequest request;
    request.url = url;
    auto answer = client.send(request);
    ASSERT_FALSE(answer.ok()) << url;
    EXPECT_EQ(answer.status().code(), Code::kUnavailable) << url;
  }
}

TEST_F(HttpClientTest, RequestsThatCannotBeWrittenAreRefusedWithoutTheirValues) {
  ClientRequest badHeader = get("/hello");
  badHeader.headers = {{"X-Token", "abc\r\nX-Injected: yes"}};
  auto a = client.send(badHeader);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(a.status().message().find("abc"), std::string::npos);

  ClientRequest badMethod = get("/hello");
  badMethod.method = "GET /x HTTP/1.1\r\n";
  auto b = client.send(badMethod);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), Code::kInvalidArgument);
}

TEST_F(HttpClientTest, SharedByManyThreads) {
  std::vector<std::future<bool>> done;
  for (int t = 0; t < 4; ++t) {
    done.push_back(std::async(std::launch::async, [this] {
      for (int i = 0; i < 10; ++i) {
        auto answer = client.send(get("/hello"));
        if (!answer.ok() || answer->body != "hello") return false;
      }
      return true;
    }));
  }
  for (auto& d : done) EXPECT_TRUE(d.get());
}

// A port where nothing listens: one that a server just gave back.
std::uint16_t closedPort() {
  http::Router router;
  LocalHttpServer gone(std::move(router));
  return gone.port();
}

TEST(HttpClientErrors, RefusedConnectionIsUnavailable) {
  const std::uint16_t port = closedPort();
  HttpClient client;
  ClientRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/index/api/getMediaList";
  auto answer = client.send(request);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), Code::kUnavailable);
  EXPECT_EQ(answer.status().message(), "GET " + request.url + ": Couldn't connect to server");
}

TEST(HttpClientErrors, MessagesNeverCarryQueryUserinfoOrHeaderValues) {
  const std::uint16_t port = closedPort();
  HttpClient client;
  ClientRequest request;
  request.url = "http://admin:userinfo-secret@127.0.0.1:" + std::to_string(port) +
                "/index/api/close_streams?secret=query-secret&stream=k#fragment-secret";
  request.headers = {{"Authorization", "Bearer header-secret"}};
  request.basicAuth = std::pair<std::string, std::string>("lunarstream", "basic-secret");
  auto answer = client.send(request);
  ASSERT_FALSE(answer.ok());
  const std::string& message = answer.status().message();
  for (const char* secret :
       {"userinfo-secret", "admin", "query-secret", "fragment-secret", "header-secret", "basic-secret", "?", "#"}) {
    EXPECT_EQ(message.find(secret), std::string::npos) << secret << " in: " << message;
  }
  EXPECT_EQ(message,
            "GET http://127.0.0.1:" + std::to_string(port) + "/index/api/close_streams: Couldn't connect to server");
}

// Answers one connection with `bytes` and closes it: an answer whose length
// is only known at the close, which no Content-Length check can refuse early.
class RawAnswerServer {
 public:
  explicit RawAnswerServer(std::string bytes)
      : acceptor_(ioc_, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this, bytes = std::move(bytes)] {
      boost::system::error_code ec;
      boost::asio::ip::tcp::socket socket(ioc_);
      acceptor_.accept(socket, ec);
      if (ec) return;
      std::string head;
      boost::asio::read_until(socket, boost::asio::dynamic_buffer(head), "\r\n\r\n", ec);
      boost::asio::write(socket, boost::asio::buffer(bytes), ec);
      socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    });
  }
  ~RawAnswerServer() { thread_.join(); }
  RawAnswerServer(const RawAnswerServer&) = delete;
  RawAnswerServer& operator=(const RawAnswerServer&) = delete;

  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/list"; }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

TEST(HttpClientCap, AnswerWithoutLengthIsCutOffAtTheCap) {
  RawAnswerServer raw("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + std::string(64 * 1024, 'y'));
  HttpClient client;
  ClientRequest request;
  request.url = raw.url();
  request.maxResponseBytes = 1000;
  auto answer = client.send(request);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), Code::kUnavailable);
  EXPECT_EQ(answer.status().message(), "GET " + raw.url() + ": answer over 1000 bytes");
}

TEST(HttpClientCap, AnswerWithoutLengthUnderTheCapArrivesWhole) {
  RawAnswerServer raw("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + std::string(999, 'y'));
  HttpClient client;
  ClientRequest request;
  request.url = raw.url();
  request.maxResponseBytes = 1000;
  auto answer = client.send(request);
  ASSERT_TRUE(answer.ok()) << answer.status().message();
  EXPECT_EQ(answer->body.size(), 999u);
}

}  // namespace
}  // namespace ls::http_client
