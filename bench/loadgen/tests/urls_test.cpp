#include "loadgen/urls.hpp"

#include <gtest/gtest.h>

namespace ls::loadgen {
namespace {

TEST(ExpandTemplate, KeyNameAndIndex) {
  EXPECT_EQ(expandTemplate("rtmp://127.0.0.1:1935/live/{key}", "abc?pushToken=t.u.v", 3),
            "rtmp://127.0.0.1:1935/live/abc?pushToken=t.u.v");
  EXPECT_EQ(expandTemplate("http://127.0.0.1:8080/live/{name}/hls.m3u8", "abc?pushToken=x", 0),
            "http://127.0.0.1:8080/live/abc/hls.m3u8");
  EXPECT_EQ(expandTemplate("/s{index}/{unknown}", "k", 42), "/s42/{unknown}");
}

TEST(ParseRtmpUrl, SplitsAppStreamAndTcUrl) {
  auto u = parseRtmpUrl("rtmp://127.0.0.1:19350/live/abc?pushToken=x.y.z");
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 19350);
  EXPECT_EQ(u->app, "live");
  EXPECT_EQ(u->streamName, "abc?pushToken=x.y.z");
  EXPECT_EQ(u->tcUrl, "rtmp://127.0.0.1:19350/live");
}

TEST(ParseRtmpUrl, DefaultPortAndIpv6Loopback) {
  auto u = parseRtmpUrl("rtmp://[::1]/app/name");
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 1935);
  EXPECT_EQ(u->tcUrl, "rtmp://[::1]/app");
}

TEST(ParseRtmpUrl, RefusesNonLoopbackAndMalformed) {
  EXPECT_FALSE(parseRtmpUrl("rtmp://10.0.0.1:1935/live/x").ok());
  EXPECT_FALSE(parseRtmpUrl("rtmp://example.com/live/x").ok());
  EXPECT_FALSE(parseRtmpUrl("rtmp://127.0.0.1:1935/live").ok());
  EXPECT_FALSE(parseRtmpUrl("rtmp://127.0.0.1:99999/live/x").ok());
  EXPECT_FALSE(parseRtmpUrl("http://127.0.0.1/live/x").ok());
}

TEST(ResolveUri, RelativeAbsolutePathAndFullUrl) {
  auto playlist = parseHttpUrl("http://127.0.0.1:8080/live/abc/hls.m3u8?x=1");
  ASSERT_TRUE(playlist.ok());
  EXPECT_EQ(resolveUri(*playlist, "seg7.ts")->target, "/live/abc/seg7.ts");
  EXPECT_EQ(resolveUri(*playlist, "/hls/abc-7.ts")->target, "/hls/abc-7.ts");
  auto full = resolveUri(*playlist, "http://127.0.0.1:9000/x.ts");
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->port, 9000);
  EXPECT_EQ(full->target, "/x.ts");
  EXPECT_FALSE(resolveUri(*playlist, "https://cdn.example/x.ts").ok());
}

}  // namespace
}  // namespace ls::loadgen
