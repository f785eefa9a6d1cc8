// Deferred routes: a handler parks its request with a Responder that anyone
// may complete later, from any thread; the connection waits without a thread.
#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "http/responder.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "unit/http/test_client.hpp"

namespace ls::http {
namespace {

using testing::TestClient;
using namespace std::chrono_literals;

std::string get(std::string_view target) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n\r\n";
}

Response text(std::string body) {
  return Response::text(200, "text/plain", std::move(body));
}

Response timedOut(const Request& r) {
  return errorResponse(404, "nothing for " + std::string(r.path()));
}

// Responders the handlers parked, for the test to complete from its own thread.
class Parked {
 public:
  void add(Responder r) {
    std::lock_guard lock(mu_);
    responders_.push_back(std::move(r));
    if (responders_.size() == expected_) ready_.set_value();
  }
  // Returns a future that is ready once `n` responders are parked.
  std::future<void> expect(std::size_t n) {
    std::lock_guard lock(mu_);
    expected_ = n;
    ready_ = {};
    return ready_.get_future();
  }
  std::vector<Responder> take() {
    std::lock_guard lock(mu_);
    return std::exchange(responders_, {});
  }

 private:
  std::mutex mu_;
  std::vector<Responder> responders_;
  std::size_t expected_ = 0;
  std::promise<void> ready_;
};

class DeferredTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add(Method::kGet, "/hello", [](const Request&) { return text("hello"); });
    router.addDeferred(
        Method::kGet, "/now/:word", [](const Request& r, Responder respond) { respond.send(text(std::string(r.param("word")))); },
        {5s, timedOut});
    router.addDeferred(
        Method::kGet, "/later", [this](const Request&, Responder respond) { parked.add(std::move(respond)); },
        {5s, timedOut});
    router.addDeferred(
        Method::kGet, "/never", [this](const Request&, Responder respond) { parked.add(std::move(respond)); },
        {50ms, timedOut});
    ServerOptions options;
    options.threads = 1;  // every parked request shares this one loop thread
    options.blockingThreads = 0;
    server = std::make_unique<Server>(options, router);
    auto endpoint = server->listen("127.0.0.1", 0);
    ASSERT_TRUE(endpoint.ok());
    port = endpoint->port;
    server->start();
  }
  void TearDown() override {
    if (server) server->stop();
  }

  Router router;
  Parked parked;
  std::unique_ptr<Server> server;
  std::uint16_t port = 0;
};

TEST_F(DeferredTest, AnAnswerGivenBeforeReturningIsSent) {
  TestClient client(port);
  const auto r = client.roundTrip(get("/now/soon"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "soon");
  // Keep-alive goes on as usual.
  const auto again = client.roundTrip(get("/now/again"));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->body, "again");
}

TEST_F(DeferredTest, AParkedRequestIsAnsweredFromAnotherThreadWhileTheLoopServesOthers) {
  auto ready = parked.expect(1);
  TestClient waiting(port);
  ASSERT_TRUE(waiting.send(get("/later")));
  ready.wait();
  // The only loop thread is free: another connection is served meanwhile.
  TestClient other(port);
  const auto hello = other.roundTrip(get("/hello"));
  ASSERT_TRUE(hello.has_value());
  EXPECT_EQ(hello->body, "hello");

  std::vector<Responder> responders = parked.take();
  ASSERT_EQ(responders.size(), 1u);
  EXPECT_TRUE(responders[0].pending());
  std::thread([r = responders[0]] { EXPECT_TRUE(r.send(text("from elsewhere"))); }).join();
  EXPECT_FALSE(responders[0].pending());
  EXPECT_FALSE(responders[0].send(text("twice")));  // only the first answer counts
  const auto answer = waiting.read();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, "from elsewhere");
  const auto next = waiting.roundTrip(get("/hello"));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->body, "hello");
}

TEST_F(DeferredTest, NobodyAnsweringInTimeGetsTheRoutesTimeoutAnswer) {
  TestClient client(port);
  const auto r = client.roundTrip(get("/never"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(r->body.find("nothing for /never"), std::string::npos);
  // The responder the handler kept is spent: a late answer goes nowhere.
  std::vector<Responder> responders = parked.take();
  ASSERT_EQ(responders.size(), 1u);
  EXPECT_FALSE(responders[0].pending());
  EXPECT_FALSE(responders[0].send(text("late")));
  const auto next = client.roundTrip(get("/hello"));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->body, "hello");
}

TEST_F(DeferredTest, ManyParkedRequestsShareOneLoopThread) {
  constexpr std::size_t kClients = 200;
  auto ready = parked.expect(kClients);
  std::vector<std::unique_ptr<TestClient>> clients;
  for (std::size_t i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<TestClient>(port));
    ASSERT_TRUE(clients.back()->send(get("/later")));
  }
  ASSERT_EQ(ready.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(server->connectionCount(), kClients);
  // One foreign thread answers them all, as a packager wakes its readers.
  std::thread([responders = parked.take()] {
    for (const Responder& r : responders) r.send(text("woken"));
  }).join();
  for (auto& c : clients) {
    const auto r = c->read();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->body, "woken");
  }
}

TEST_F(DeferredTest, StoppingTheServerReleasesParkedRequests) {
  auto ready = parked.expect(1);
  TestClient client(port);
  ASSERT_TRUE(client.send(get("/later")));
  ready.wait();
  server->stop();
  EXPECT_TRUE(client.waitForClose());
  std::vector<Responder> responders = parked.take();
  ASSERT_EQ(responders.size(), 1u);
  EXPECT_FALSE(responders[0].pending());  // waiters holding it can drop it
  EXPECT_FALSE(responders[0].send(text("after stop")));
}

TEST(DeferredRouterTest, DispatchRunsDeferredRoutesWithoutWaiting) {
  Router router;
  router.addDeferred(
      Method::kGet, "/now", [](const Request&, Responder respond) { respond.send(text("now")); }, {1s, timedOut});
  router.addDeferred(
      Method::kGet, "/never", [](const Request&, Responder) {}, {1s, timedOut});
  router.addDeferred(
      Method::kGet, "/throws", [](const Request&, Responder) { throw std::runtime_error("bug"); }, {1s, timedOut});
  Request now = Request::make(Method::kGet, "/now");
  EXPECT_EQ(router.dispatch(now).body, "now");
  // dispatch() cannot wait: a handler that parks gets its timeout answer.
  Request never = Request::make(Method::kGet, "/never");
  EXPECT_EQ(router.dispatch(never).status, 404);
  Request head = Request::make(Method::kHead, "/now");
  EXPECT_EQ(router.dispatch(head).body, "now");
  Request throws = Request::make(Method::kGet, "/throws");
  EXPECT_EQ(router.dispatch(throws).status, 500);
  EXPECT_EQ(router.allowedMethods("/never"), "GET, HEAD, OPTIONS");
}

}  // namespace
}  // namespace ls::http
