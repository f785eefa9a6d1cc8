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

TEST(Urls, EachServerTypeAtThePathItServes) {
  MediaServer server;
  server.hlsBaseUrl = "http://zlm.example:8080";
  server.cdns = {{"bunny", "https://b.example"}};
  server.type = MediaServerType::kZlMediaKit;
  auto sources = hlsSources(server, "k1");
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[0].name, "original");
  EXPECT_EQ(sources[0].url, "http://zlm.example:8080/live/k1/hls.m3u8");
  EXPECT_EQ(sources[1].name, "bunny");
  EXPECT_EQ(sources[1].url, "https://b.example/live/k1/hls.m3u8");

  server.type = MediaServerType::kMediaMtx;
  sources = hlsSources(server, "k1");
  EXPECT_EQ(sources[0].name, "origin");
  EXPECT_EQ(sources[0].url, "http://zlm.example:8080/live/k1/index.m3u8");
  EXPECT_EQ(sources[1].url, "https://b.example/live/k1/index.m3u8");
}

TEST(Urls, ATemplateCoversOtherLayouts) {
  MediaServer server;
  server.type = MediaServerType::kZlMediaKit;
  server.hlsBaseUrl = "https://edge.example/";
  server.hlsPathTemplate = "{app}/{streamKey}/{streamKey}.m3u8";
  EXPECT_EQ(hlsSources(server, "k2")[0].url, "https://edge.example/live/k2/k2.m3u8");
  EXPECT_EQ(hlsSources(server, "k2")[0].name, "original");
}

TEST(Urls, LowLatencyMastersBesideEachEmbeddedMaster) {
  MediaServer server;
  server.hlsBaseUrl = "http://origin.example";
  server.cdns = {{"bunny", "https://b.example"}};
  const auto ll = llHlsSources(server, hlsSources(server, "k1"), true);
  ASSERT_EQ(ll.size(), 2u);
  EXPECT_EQ(ll[0].name, "origin");
  EXPECT_EQ(ll[0].url, "http://origin.example/hls/k1/ll.m3u8");
  EXPECT_EQ(ll[1].url, "https://b.example/hls/k1/ll.m3u8");
  EXPECT_TRUE(llHlsSources(server, hlsSources(server, "k1"), false).empty());
  server.hlsPathTemplate = "live/{streamKey}/index.m3u8";  // no master to stand beside
  EXPECT_TRUE(llHlsSources(server, hlsSources(server, "k1"), true).empty());
  server.hlsPathTemplate.clear();
  server.type = MediaServerType::kMediaMtx;
  EXPECT_TRUE(llHlsSources(server, hlsSources(server, "k1"), true).empty());
}

TEST(Urls, TemplateValidation) {
  EXPECT_TRUE(validateHlsPathTemplate("live/{streamKey}/hls.m3u8").isOk());
  EXPECT_TRUE(validateHlsPathTemplate("{app}/{streamKey}/index.m3u8").isOk());
  for (const char* bad : {"", "live/hls.m3u8", "/live/{streamKey}.m3u8", "../{streamKey}", "a/../{streamKey}",
                          "a//{streamKey}", "{streamKey}?x=1", "{stream}/{streamKey}", "http://x/{streamKey}",
                          "{streamKey}/.."}) {
    EXPECT_FALSE(validateHlsPathTemplate(bad).isOk()) << bad;
  }
}

TEST(Urls, StreamKeyWithToken) {
  EXPECT_EQ(streamKeyWithToken("abc", "x.y.z"), "abc?pushToken=x.y.z");
  EXPECT_EQ(previewPlaybackUrl("http://a:1/", "k"), "http://a:1/api/v1/livestreams/preview-playback/k");
}

}  // namespace
}  // namespace ls::control
