// The LL-HLS origin routes over a real HTTP server: blocking playlist reloads
// and preload-hint parts are parked until the packager publishes what they
// ask for, answered 400 when too far ahead and 503 when it does not come.
#include "media/server/ll_origin.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "http/server.hpp"
#include "media/server/hls_origin.hpp"
#include "unit/http/test_client.hpp"

namespace ls::media_server {
namespace {

using http::testing::TestClient;
using namespace std::chrono_literals;

constexpr const char* kKey = "0123456789abcdef0123456789abcdef";

std::string get(const std::string& target) { return "GET " + target + " HTTP/1.1\r\nHost: test\r\n\r\n"; }

std::string ll(const std::string& rest) { return "/hls/" + std::string(kKey) + "/" + rest; }

class LlOriginTest : public ::testing::Test {
 protected:
  void start(std::chrono::milliseconds blockingWait) {
    HlsOriginOptions options;
    options.llBlockingWait = blockingWait;
    options.counters = &counters;
    registerHlsRoutes(router, registry, options);
    http::ServerOptions serverOptions;
    serverOptions.threads = 1;
    server = std::make_unique<http::Server>(serverOptions, router);
    auto endpoint = server->listen("127.0.0.1", 0);
    ASSERT_TRUE(endpoint.ok());
    port = endpoint->port;
    server->start();
    stream = registry.open(kKey);
    attachment = stream->ll().attach("original", 100, 200, 2);
    init = std::vector<std::uint8_t>(40, 0xaa);
    attachment.rendition->setInit(attachment.lease, init);
  }
  void TearDown() override {
    if (server) server->stop();
  }

  // Publishes a 200 ms part of `size` bytes filled with `fill`, on a thread of its own (as a packager would).
  void publish(std::uint8_t fill, bool closesSegment = false, std::size_t size = 100) {
    std::thread([&] {
      const std::vector<std::uint8_t> bytes(size, fill);
      hls::LlPartDraft d;
      d.bytes = bytes;
      d.durationMs = 200;
      d.independent = true;
      if (closesSegment) d.closesSegmentMs = 2000;
      attachment.rendition->publishPart(attachment.lease, d);
    }).join();
  }
  void segment(int parts = 10) {
    for (int i = 0; i < parts; ++i) publish(static_cast<std::uint8_t>(i), i == parts - 1);
  }

  std::unique_ptr<TestClient> park(const std::string& target) {
    const std::size_t before = stream->waiting();
    auto client = std::make_unique<TestClient>(port);
    EXPECT_TRUE(client->send(get(target)));
    for (int i = 0; i < 5000 && stream->waiting() == before; ++i) std::this_thread::sleep_for(1ms);
    EXPECT_EQ(stream->waiting(), before + 1);
    return client;
  }

  OriginCounters counters;
  hls::HlsRegistry registry;
  http::Router router;
  std::unique_ptr<http::Server> server;
  std::uint16_t port = 0;
  std::shared_ptr<hls::StreamHls> stream;
  hls::LlStream::Attachment attachment;
  std::vector<std::uint8_t> init;
};

TEST_F(LlOriginTest, ABlockingReloadIsAnsweredOnceThePartExists) {
  start(60s);
  publish(1);  // seg100.0
  auto held = park(ll("original/ll.m3u8?_HLS_msn=100&_HLS_part=1"));
  publish(2);  // seg100.1: what it waits for
  const auto r = held->read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->headers.at("content-type"), "application/vnd.apple.mpegurl");
  EXPECT_EQ(r->headers.at("cache-control"), "public, max-age=6");
  EXPECT_NE(r->body.find("seg100.1.m4s"), std::string::npos) << r->body;
  // Already there: answered at once; the bare playlist is short-lived.
  TestClient client(port);
  const auto now = client.roundTrip(get(ll("original/ll.m3u8?_HLS_msn=100&_HLS_part=0")));
  ASSERT_TRUE(now);
  EXPECT_EQ(now->status, 200);
  const auto bare = client.roundTrip(get(ll("original/ll.m3u8")));
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->headers.at("cache-control"), "public, max-age=1");
  EXPECT_EQ(counters.answered[OriginCounters::kLlPlaylist][OriginCounters::kOk].load(), 3u);
}

TEST_F(LlOriginTest, RequestsTooFarAheadOrMalformedAre400) {
  start(60s);
  publish(1);
  TestClient client(port);
  for (const char* query : {"?_HLS_msn=103", "?_HLS_msn=100&_HLS_part=40", "?_HLS_part=1", "?_HLS_msn=abc",
                            "?_HLS_skip=maybe"}) {
    const auto r = client.roundTrip(get(ll("original/ll.m3u8") + query));
    ASSERT_TRUE(r) << query;
    EXPECT_EQ(r->status, 400) << query << " " << r->body;
  }
  EXPECT_EQ(counters.answered[OriginCounters::kLlPlaylist][OriginCounters::kBadRequest].load(), 5u);
}

TEST_F(LlOriginTest, ABlockingReloadNotSatisfiedInTimeIs503) {
  start(50ms);
  publish(1);
  TestClient client(port);
  const auto r = client.roundTrip(get(ll("original/ll.m3u8?_HLS_msn=100&_HLS_part=2")));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(counters.answered[OriginCounters::kLlPlaylist][OriginCounters::kUnavailable].load(), 1u);
  // A preload-hint part that does not come in time: 503 too.
  const auto part = client.roundTrip(get(ll("original/seg100.1.m4s")));
  ASSERT_TRUE(part);
  EXPECT_EQ(part->status, 503);
}

TEST_F(LlOriginTest, ARequestParkedAtTheEndGetsTheFinalPlaylistNot404) {
  // The MPEG-TS side of a stream ends a moment before its LL renditions (the
  // packagers end one after the other): a request parked then keeps waiting
  // for the LL rendition's own end, which answers it with EXT-X-ENDLIST.
  start(60s);
  publish(1);
  auto ts = stream->attach("original", 100);
  auto held = park(ll("original/ll.m3u8?_HLS_msn=101&_HLS_part=3"));
  std::thread([&] { stream->end(ts, 1000); }).join();
  ASSERT_TRUE(stream->endedAt().has_value());
  auto part = park(ll("original/seg100.1.m4s"));
  publish(2, true);  // the last part, closing the segment
  std::thread([&] { stream->ll().end(attachment, 1000); }).join();
  const auto r = held->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find("#EXT-X-ENDLIST"), std::string::npos) << r->body;
  const auto p = part->read();
  ASSERT_TRUE(p);
  EXPECT_EQ(p->status, 200);
}

TEST_F(LlOriginTest, ThePreloadHintPartIsHeldUntilPublishedAndLaterPartsAre404) {
  start(60s);
  publish(1);
  TestClient client(port);
  const auto ahead = client.roundTrip(get(ll("original/seg100.2.m4s")));
  ASSERT_TRUE(ahead);
  EXPECT_EQ(ahead->status, 404);
  auto held = park(ll("original/seg100.1.m4s"));
  publish(7, false, 321);
  const auto r = held->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->headers.at("content-type"), "video/mp4");
  EXPECT_EQ(r->headers.at("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(r->body, std::string(321, '\x07'));
}

TEST_F(LlOriginTest, SegmentsInitAndDeltaUpdatesAreServed) {
  start(60s);
  for (int i = 0; i < 10; ++i) segment();
  TestClient client(port);
  const auto i = client.roundTrip(get(ll("original/init.mp4")));
  ASSERT_TRUE(i);
  EXPECT_EQ(i->status, 200);
  EXPECT_EQ(i->body, std::string(init.begin(), init.end()));
  const auto s = client.roundTrip(get(ll("original/seg103.m4s")));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->status, 200);
  EXPECT_EQ(s->body.size(), 1000u);
  const auto open = client.roundTrip(get(ll("original/seg110.m4s")));
  ASSERT_TRUE(open);
  EXPECT_EQ(open->status, 404);
  const auto delta = client.roundTrip(get(ll("original/ll.m3u8?_HLS_skip=YES")));
  ASSERT_TRUE(delta);
  EXPECT_NE(delta->body.find("#EXT-X-SKIP:SKIPPED-SEGMENTS="), std::string::npos) << delta->body;
  const auto full = client.roundTrip(get(ll("original/ll.m3u8")));
  EXPECT_EQ(full->body.find("#EXT-X-SKIP"), std::string::npos);
  EXPECT_EQ(counters.answered[OriginCounters::kLlSegment][OriginCounters::kOk].load(), 1u);
  EXPECT_EQ(counters.answered[OriginCounters::kLlInit][OriginCounters::kOk].load(), 1u);
}

TEST_F(LlOriginTest, TheLlMasterIsHeldUntilItExists) {
  start(60s);
  auto held = park(ll("ll.m3u8"));
  std::thread([&] {
    stream->ll().setVariant("original", {"", 1'000'000, 0, 640, 360, "avc1.64001e,mp4a.40.2", 30, ""});
  }).join();
  const auto r = held->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("original/ll.m3u8"), std::string::npos) << r->body;
}

TEST_F(LlOriginTest, TsSegmentsStillComeFromTheSameRoute) {
  start(60s);
  auto ts = stream->attach("original", 100);
  hls::SegmentDraft d;
  d.bytes.assign(188, 0x47);
  d.durationMs = 2000;
  ts.rendition->publish(ts.lease, std::move(d));
  TestClient client(port);
  const auto r = client.roundTrip(get(ll("original/seg100.ts")));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->headers.at("content-type"), "video/mp2t");
  EXPECT_EQ(client.roundTrip(get(ll("original/seg9.ts")))->status, 404);
}

}  // namespace
}  // namespace ls::media_server
