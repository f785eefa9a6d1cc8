#include "control/urls.hpp"

#include <gtest/gtest.h>

namespace ls::control {
namespace {

TEST(Urls, OriginFirstThenCdnsInOrder) {
  MediaServer server;
  server.hlsBaseUrl = "http://origin.example/";
  server.cdns = {{"bunny", "https://b.example"}, {"gcore", "https://g.example/"}};
  const auto sources = hlsSources(server, "ee04affe2a669854052102fe762bd715");
  ASSERT_EQ(sources.size(), 3u);
  EXPECT_EQ(sources[0].name, "origin");
  EXPECT_EQ(sources[0].url, "http://origin.example/hls/ee04affe2a669854052102fe762bd715/master.m3u8");
  EXPECT_EQ(sources[1].url, "https://b.example/hls/ee04affe2a669854052102fe762bd715/master.m3u8");
  EXPECT_EQ(sources[2].name, "gcore");
}

TEST(Urls, StreamKeyWithToken) {
  EXPECT_EQ(streamKeyWithToken("abc", "x.y.z"), "abc?pushToken=x.y.z");
  EXPECT_EQ(previewPlaybackUrl("http://a:1/", "k"), "http://a:1/api/v1/livestreams/preview-playback/k");
}

}  // namespace
}  // namespace ls::control
