// AsyncHttpClient against real servers on 127.0.0.1 (the project's own
// http::Server): answers, capped bodies, redirects, timeouts, refused ports,
// the address filter, many transfers at once, and shutdown.
#include "http_client/async_http_client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "support/local_http_server.hpp"

namespace ls::http_client {
namespace {

using namespace std::chrono_literals;
using ls::testing::LocalHttpServer;

// Requests parked by /park until the test answers them.
class Parking {
 public:
  void park(http::Responder r) {
    {
      std::lock_guard lock(mu_);
      parked_.push_back(std::move(r));
    }
    cv_.notify_all();
  }
  // Waits (bounded) until n requests are parked.
  bool awaitParked(std::size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 10s, [&] { return parked_.size() >= n; });
  }
  void releaseAll(const std::string& body) {
    std::lock_guard lock(mu_);
    for (auto& r : parked_) r.send(http::Response::text(200, "text/plain", body));
    parked_.clear();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<http::Responder> parked_;
};

http::Response echo(const http::Request& r) {
  std::string text = "method=" + std::string(r.methodName()) + "\n";
  for (const http::Header& h : r.headers()) text += "header " + h.name + "=" + h.value + "\n";
  text += "body=" + r.body();
  return http::Response::text(200, "text/plain", std::move(text));
}

http::Router routes(Parking& parking) {
  http::Router router;
  router.add(http::Method::kPost, "/echo", echo);
  router.add(http::Method::kPost, "/fail",
             [](const http::Request&) { return http::Response::text(500, "text/plain", "boom"); });
  router.add(http::Method::kPost, "/moved", [](const http::Request&) {
    return http::Response::text(307, "text/plain", "see /echo").header("Location", "/echo");
  });
  router.add(http::Method::kPost, "/big", [](const http::Request&) {
    return http::Response::text(200, "text/plain", std::string(1000, 'a') + std::string(200 * 1024, 'x'));
  });
  router.addDeferred(
      http::Method::kPost, "/park", [&parking](const http::Request&, http::Responder r) { parking.park(std::move(r)); },
      http::Deferral{30s, [](const http::Request&) { return http::Response::text(200, "text/plain", "late"); }});
  return router;
}

// One request, its response awaited (bounded).
AsyncResponse roundTrip(AsyncHttpClient& client, AsyncRequest request) {
  std::promise<AsyncResponse> done;
  auto answer = done.get_future();
  client.submit(std::move(request), [&done](AsyncResponse r) { done.set_value(std::move(r)); });
  if (answer.wait_for(30s) != std::future_status::ready) ADD_FAILURE() << "no completion";
  return answer.get();
}

class AsyncHttpClientTest : public ::testing::Test {
 protected:
  AsyncRequest post(std::string_view path) {
    AsyncRequest request;
    request.url = server.baseUrl() + std::string(path);
    request.body = R"({"k":"v"})";
    request.headers = {{"content-type", "application/json"}, {"webhook-id", "evt_1"}};
    request.userAgent = "LunarStream-Webhooks/1";
    return request;
  }

  Parking parking;
  LocalHttpServer server{routes(parking)};
  AsyncHttpClient client;
};

TEST_F(AsyncHttpClientTest, PostsAndReturnsStatusAndBody) {
  AsyncResponse r = roundTrip(client, post("/echo"));
  ASSERT_EQ(r.error, AsyncError::kNone) << r.errorMessage;
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.bodyPrefix.find("method=POST\n"), std::string::npos) << r.bodyPrefix;
  EXPECT_NE(r.bodyPrefix.find("header content-type=application/json\n"), std::string::npos) << r.bodyPrefix;
  EXPECT_NE(r.bodyPrefix.find("header webhook-id=evt_1\n"), std::string::npos) << r.bodyPrefix;
  EXPECT_NE(r.bodyPrefix.find("header User-Agent=LunarStream-Webhooks/1\n"), std::string::npos) << r.bodyPrefix;
  EXPECT_EQ(r.bodyPrefix.find("Expect"), std::string::npos) << r.bodyPrefix;
  EXPECT_NE(r.bodyPrefix.find(R"(body={"k":"v"})"), std::string::npos) << r.bodyPrefix;
  EXPECT_FALSE(r.bodyTruncated);

  AsyncResponse failed = roundTrip(client, post("/fail"));
  ASSERT_EQ(failed.error, AsyncError::kNone) << "an HTTP error status is an answer";
  EXPECT_EQ(failed.status, 500);
}

TEST_F(AsyncHttpClientTest, LargeAnswerKeepsItsFirstBytesAndItsStatus) {
  AsyncRequest request = post("/big");
  request.keepBodyBytes = 1024;
  request.readBodyBytes = 16 * 1024;  // stops reading long before the end
  AsyncResponse r = roundTrip(client, request);
  ASSERT_EQ(r.error, AsyncError::kNone) << r.errorMessage;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.bodyPrefix, std::string(1000, 'a') + std::string(24, 'x'));
  EXPECT_TRUE(r.bodyTruncated);

  request.readBodyBytes = 1024 * 1024;  // read to the end, keep the prefix
  AsyncResponse whole = roundTrip(client, request);
  ASSERT_EQ(whole.error, AsyncError::kNone) << whole.errorMessage;
  EXPECT_EQ(whole.bodyPrefix.size(), 1024u);
  EXPECT_TRUE(whole.bodyTruncated);
}

TEST_F(AsyncHttpClientTest, RedirectIsTheAnswerNotFollowed) {
  AsyncResponse r = roundTrip(client, post("/moved"));
  ASSERT_EQ(r.error, AsyncError::kNone) << r.errorMessage;
  EXPECT_EQ(r.status, 307);
  EXPECT_EQ(r.bodyPrefix, "see /echo");
}

TEST_F(AsyncHttpClientTest, HangingServerTimesOut) {
  AsyncRequest request = post("/park");
  request.timeout = 300ms;
  AsyncResponse r = roundTrip(client, request);
  EXPECT_EQ(r.error, AsyncError::kTimeout);
  EXPECT_EQ(r.errorMessage, "timed out after 300 ms");
  EXPECT_EQ(r.status, 0);
  parking.releaseAll("too late");
}

TEST_F(AsyncHttpClientTest, AddressFilterRefusesTheAddressBeingConnected) {
  AsyncRequest request = post("/echo");
  // "localhost" resolves to loopback: what is checked is the address, not the name.
  request.url = "http://localhost:" + std::to_string(server.port()) + "/echo";
  std::vector<std::string> seen;
  request.addressFilter = [&seen](std::string_view address) {
    seen.emplace_back(address);
    return "target address is private: " + std::string(address);
  };
  AsyncResponse r = roundTrip(client, request);
  EXPECT_EQ(r.error, AsyncError::kRefusedTarget);
  EXPECT_TRUE(r.errorMessage == "target address is private: 127.0.0.1" ||
              r.errorMessage == "target address is private: ::1")
      << r.errorMessage;
  EXPECT_FALSE(seen.empty());

  AsyncRequest allowed = post("/echo");
  allowed.addressFilter = [](std::string_view) { return std::string(); };
  AsyncResponse ok = roundTrip(client, allowed);
  ASSERT_EQ(ok.error, AsyncError::kNone) << ok.errorMessage;
  EXPECT_EQ(ok.status, 200);
}

TEST_F(AsyncHttpClientTest, SlowRequestDoesNotDelayAFastOne) {
  std::promise<AsyncResponse> slowDone;
  auto slow = slowDone.get_future();
  client.submit(post("/park"), [&slowDone](AsyncResponse r) { slowDone.set_value(std::move(r)); });
  ASSERT_TRUE(parking.awaitParked(1));
  AsyncResponse fast = roundTrip(client, post("/echo"));
  ASSERT_EQ(fast.error, AsyncError::kNone) << fast.errorMessage;
  EXPECT_EQ(fast.status, 200);
  EXPECT_EQ(slow.wait_for(0s), std::future_status::timeout) << "the slow one is still waiting";
  EXPECT_EQ(client.inFlight(), 1u);
  parking.releaseAll("finally");
  ASSERT_EQ(slow.wait_for(30s), std::future_status::ready);
  AsyncResponse r = slow.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.bodyPrefix, "finally");
}

TEST_F(AsyncHttpClientTest, ManyTransfersInFlightAllComplete) {
  constexpr int kCount = 40;
  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
  int ok = 0;
  for (int i = 0; i < kCount; ++i) {
    AsyncRequest request = post("/park");
    client.submit(std::move(request), [&](AsyncResponse r) {
      std::lock_guard lock(mu);
      ++done;
      if (r.error == AsyncError::kNone && r.status == 200) ++ok;
      cv.notify_all();
    });
  }
  // Every one is parked at the server at the same time: all are in flight.
  ASSERT_TRUE(parking.awaitParked(kCount));
  parking.releaseAll("ok");
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, 30s, [&] { return done == kCount; }));
  EXPECT_EQ(ok, kCount);
}

TEST_F(AsyncHttpClientTest, ShutdownCancelsWhatIsInFlight) {
  std::promise<AsyncResponse> parkedDone;
  auto parked = parkedDone.get_future();
  client.submit(post("/park"), [&parkedDone](AsyncResponse r) { parkedDone.set_value(std::move(r)); });
  ASSERT_TRUE(parking.awaitParked(1));
  client.shutdown();
  ASSERT_EQ(parked.wait_for(0s), std::future_status::ready);
  EXPECT_EQ(parked.get().error, AsyncError::kCancelled);
  EXPECT_EQ(client.inFlight(), 0u);

  AsyncResponse after = roundTrip(client, post("/echo"));
  EXPECT_EQ(after.error, AsyncError::kCancelled);
  client.shutdown();  // idempotent
  parking.releaseAll("gone");
}

TEST_F(AsyncHttpClientTest, RequestsThatCannotBeSentAreRefused) {
  AsyncRequest badHeader = post("/echo");
  badHeader.headers = {{"webhook-id", "a\r\nX-Injected: yes"}};
  AsyncResponse a = roundTrip(client, badHeader);
  EXPECT_EQ(a.error, AsyncError::kInvalidRequest);
  EXPECT_EQ(a.errorMessage.find("Injected"), std::string::npos);

  AsyncRequest badMethod = post("/echo");
  badMethod.method = "POST /x";
  EXPECT_EQ(roundTrip(client, badMethod).error, AsyncError::kInvalidRequest);

  for (const char* url : {"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/x"}) {
    AsyncRequest request = post("/echo");
    request.url = url;
    EXPECT_EQ(roundTrip(client, request).error, AsyncError::kInvalidRequest) << url;
  }

  AsyncRequest noTime = post("/echo");
  noTime.timeout = 0ms;
  EXPECT_EQ(roundTrip(client, noTime).error, AsyncError::kTimeout);
}

// A port where nothing listens: one that a server just gave back.
std::uint16_t closedPort() {
  http::Router router;
  LocalHttpServer gone(std::move(router));
  return gone.port();
}

TEST(AsyncHttpClientErrors, RefusedConnectionIsAConnectError) {
  AsyncHttpClient client;
  AsyncRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(closedPort()) + "/hook";
  AsyncResponse r = roundTrip(client, request);
  EXPECT_EQ(r.error, AsyncError::kConnect);
  EXPECT_EQ(r.errorMessage, "Couldn't connect to server");
  EXPECT_EQ(r.status, 0);
}

TEST(AsyncHttpClientErrors, DestructorCancelsAndJoins) {
  std::optional<AsyncResponse> seen;
  {
    AsyncHttpClient client;
    AsyncRequest request;
    request.url = "http://127.0.0.1:" + std::to_string(closedPort()) + "/hook";
    client.submit(request, [&seen](AsyncResponse r) { seen = std::move(r); });
  }
  ASSERT_TRUE(seen.has_value()) << "every completion runs before the destructor returns";
  EXPECT_TRUE(seen->error == AsyncError::kConnect || seen->error == AsyncError::kCancelled);
}

}  // namespace
}  // namespace ls::http_client
