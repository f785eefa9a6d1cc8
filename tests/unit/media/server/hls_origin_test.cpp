// The HLS origin over a real HTTP server: playlists of a stream that is open
// but has no segment yet are held until the first one, within a bound.
#include "media/server/hls_origin.hpp"

#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <thread>

#include "http/server.hpp"
#include "unit/http/test_client.hpp"

namespace ls::media_server {
namespace {

using http::testing::TestClient;
using namespace std::chrono_literals;

constexpr UnixMillis kT0 = 1768241558918;
constexpr const char* kKey = "0123456789abcdef0123456789abcdef";

std::string get(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: test\r\n\r\n";
}

hls::SegmentDraft draft() {
  hls::SegmentDraft d;
  d.bytes.assign(188, 0x47);
  d.durationMs = 2000;
  return d;
}

class HlsOriginTest : public ::testing::Test {
 protected:
  void start(std::chrono::milliseconds firstSegmentWait) {
    HlsOriginOptions options;
    options.firstSegmentWait = firstSegmentWait;
    registerHlsRoutes(router, registry, options);
    http::ServerOptions serverOptions;
    serverOptions.threads = 1;
    server = std::make_unique<http::Server>(serverOptions, router);
    auto endpoint = server->listen("127.0.0.1", 0);
    ASSERT_TRUE(endpoint.ok());
    port = endpoint->port;
    server->start();
  }
  void TearDown() override {
    if (server) server->stop();
  }

  // Sends `target` and returns once the origin holds it (parked on the stream).
  std::unique_ptr<TestClient> park(const std::string& target, const std::shared_ptr<hls::StreamHls>& stream,
                                   std::size_t waitingBefore) {
    auto client = std::make_unique<TestClient>(port);
    EXPECT_TRUE(client->send(get(target)));
    // An event, not a sleep: the registry counts parked readers.
    for (int i = 0; i < 5000 && stream->waiting() == waitingBefore; ++i) std::this_thread::sleep_for(1ms);
    EXPECT_EQ(stream->waiting(), waitingBefore + 1);
    return client;
  }

  hls::HlsRegistry registry;
  http::Router router;
  std::unique_ptr<http::Server> server;
  std::uint16_t port = 0;
};

TEST_F(HlsOriginTest, UnknownStreamsGet404AtOnce) {
  start(60s);  // a held request would time the test out
  TestClient client(port);
  for (const std::string target : {"/hls/nope/master.m3u8", "/hls/nope/original/index.m3u8", "/live/nope/hls.m3u8",
                                   "/hls/nope/original/seg1.ts"}) {
    const auto r = client.roundTrip(get(target));
    ASSERT_TRUE(r.has_value()) << target;
    EXPECT_EQ(r->status, 404) << target;
  }
}

TEST_F(HlsOriginTest, PlaylistsAreHeldUntilTheFirstSegment) {
  start(60s);
  auto stream = registry.open(kKey);
  auto attachment = stream->attach("original", 100);
  const std::string key(kKey);
  auto master = park("/hls/" + key + "/master.m3u8", stream, 0);
  auto media = park("/hls/" + key + "/original/index.m3u8", stream, 1);
  auto alias = park("/live/" + key + "/hls.m3u8", stream, 2);

  // The packager publishes on its own thread: first the segment, then the
  // variant info the master lists.
  std::thread([&] {
    attachment.rendition->publish(attachment.lease, draft());
    stream->setVariant("original", {"", 1'000'000, 0, 640, 360, "avc1.64001e", 30, ""});
  }).join();

  for (auto* client : {media.get(), alias.get()}) {
    const auto r = client->read();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->headers.at("content-type"), "application/vnd.apple.mpegurl");
    EXPECT_NE(r->body.find("seg100.ts"), std::string::npos) << r->body;
  }
  const auto m = master->read();
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->status, 200);
  EXPECT_NE(m->body.find("original/index.m3u8"), std::string::npos) << m->body;
  EXPECT_EQ(stream->waiting(), 0u);
}

TEST_F(HlsOriginTest, HeldPlaylistsGet404AfterTheBound) {
  start(50ms);
  auto stream = registry.open(kKey);
  auto attachment = stream->attach("original", 100);
  TestClient client(port);
  const auto r = client.roundTrip(get("/hls/" + std::string(kKey) + "/original/index.m3u8"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 404);
  // The first segment after the bound wakes nobody and breaks nothing.
  attachment.rendition->publish(attachment.lease, draft());
  const auto again = client.roundTrip(get("/hls/" + std::string(kKey) + "/original/index.m3u8"));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->status, 200);
}

TEST_F(HlsOriginTest, RemovingAStreamAnswersItsHeldRequests404) {
  start(60s);
  auto stream = registry.open(kKey);
  stream->attach("original", 100);
  auto held = park("/hls/" + std::string(kKey) + "/master.m3u8", stream, 0);
  std::thread([&] { registry.remove(kKey); }).join();  // the livestream was deleted
  const auto r = held->read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 404);
}

TEST_F(HlsOriginTest, AnEndedStreamWithoutSegmentsIsNotHeld) {
  start(60s);
  auto stream = registry.open(kKey);
  auto attachment = stream->attach("original", 100);
  stream->end(attachment, kT0);  // the publisher left before its first segment
  TestClient client(port);
  const auto r = client.roundTrip(get("/live/" + std::string(kKey) + "/hls.m3u8"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 404);
}

}  // namespace
}  // namespace ls::media_server
