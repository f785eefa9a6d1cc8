#include "media/hls/steering.hpp"

#include <gtest/gtest.h>

namespace ls::hls {
namespace {

constexpr std::string_view kKey = "ee04affe2a669854052102fe762bd715";

SteeringSnapshot twoCdns() {
  SteeringSnapshot s;
  s.originBaseUrl = "http://origin.example:8080";
  s.ttlSeconds = 5;
  s.pathways = {{"bunny", "https://b.example"}, {"gcore", "https://g.example/"}, {"origin", "http://origin.example:8080"}};
  return s;
}

std::vector<Variant> ladder() {
  Variant original{"original/index.m3u8", 2'500'000, 2'000'000, 1280, 720, "avc1.64001f,mp4a.40.2", 30, "original"};
  Variant low{"360p/index.m3u8", 900'000, 0, 640, 360, "avc1.64001e,mp4a.40.2", 0, "360p"};
  return {original, low};
}

TEST(SteeredMaster, OneVariantSetPerPathwayWithAbsoluteUris) {
  EXPECT_EQ(renderSteeredMaster(ladder(), kKey, twoCdns()),
            "#EXTM3U\n"
            "#EXT-X-VERSION:3\n"
            "#EXT-X-CONTENT-STEERING:SERVER-URI=\"http://origin.example:8080/hls/ee04affe2a669854052102fe762bd715/"
            "steering.json\",PATHWAY-ID=\"bunny\"\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=2500000,AVERAGE-BANDWIDTH=2000000,RESOLUTION=1280x720,CODECS=\"avc1.64001f,"
            "mp4a.40.2\",FRAME-RATE=30.000,STABLE-VARIANT-ID=\"original/index.m3u8\",PATHWAY-ID=\"bunny\"\n"
            "https://b.example/hls/ee04affe2a669854052102fe762bd715/original/index.m3u8\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,CODECS=\"avc1.64001e,mp4a.40.2\",STABLE-VARIANT-ID=\"360p/index.m3u8\",PATHWAY-ID=\"bunny\"\n"
            "https://b.example/hls/ee04affe2a669854052102fe762bd715/360p/index.m3u8\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=2500000,AVERAGE-BANDWIDTH=2000000,RESOLUTION=1280x720,CODECS=\"avc1.64001f,"
            "mp4a.40.2\",FRAME-RATE=30.000,STABLE-VARIANT-ID=\"original/index.m3u8\",PATHWAY-ID=\"gcore\"\n"
            "https://g.example/hls/ee04affe2a669854052102fe762bd715/original/index.m3u8\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,CODECS=\"avc1.64001e,mp4a.40.2\",STABLE-VARIANT-ID=\"360p/index.m3u8\",PATHWAY-ID=\"gcore\"\n"
            "https://g.example/hls/ee04affe2a669854052102fe762bd715/360p/index.m3u8\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=2500000,AVERAGE-BANDWIDTH=2000000,RESOLUTION=1280x720,CODECS=\"avc1.64001f,"
            "mp4a.40.2\",FRAME-RATE=30.000,STABLE-VARIANT-ID=\"original/index.m3u8\",PATHWAY-ID=\"origin\"\n"
            "http://origin.example:8080/hls/ee04affe2a669854052102fe762bd715/original/index.m3u8\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,CODECS=\"avc1.64001e,mp4a.40.2\",STABLE-VARIANT-ID=\"360p/index.m3u8\",PATHWAY-ID=\"origin\"\n"
            "http://origin.example:8080/hls/ee04affe2a669854052102fe762bd715/360p/index.m3u8\n");
}

TEST(SteeredMaster, InactiveSnapshotLeavesTheMasterAsRendered) {
  SteeringSnapshot one = twoCdns();
  one.pathways.resize(1);
  EXPECT_EQ(renderSteeredMaster(ladder(), kKey, one), renderMasterPlaylist(ladder()));
  EXPECT_EQ(renderSteeredMaster(ladder(), kKey, SteeringSnapshot{}), renderMasterPlaylist(ladder()));
}

TEST(SteeredMaster, KeepsOtherTagsOnceAndAnyMasterDirectory) {
  // A low-latency master with tags of its own, its variants beside it.
  const std::string ll =
      "#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-INDEPENDENT-SEGMENTS\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=1000\r\n720p/ll.m3u8\n#EXT-X-SESSION-DATA:DATA-ID=\"x\",VALUE=\"y\"\n";
  const std::string steered = steerMaster(ll, "hls/k/", "k", twoCdns());
  EXPECT_EQ(steered,
            "#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-INDEPENDENT-SEGMENTS\n"
            "#EXT-X-CONTENT-STEERING:SERVER-URI=\"http://origin.example:8080/hls/k/steering.json\",PATHWAY-ID=\"bunny\"\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=1000,STABLE-VARIANT-ID=\"720p/ll.m3u8\",PATHWAY-ID=\"bunny\"\nhttps://b.example/hls/k/720p/ll.m3u8\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=1000,STABLE-VARIANT-ID=\"720p/ll.m3u8\",PATHWAY-ID=\"gcore\"\nhttps://g.example/hls/k/720p/ll.m3u8\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=1000,STABLE-VARIANT-ID=\"720p/ll.m3u8\",PATHWAY-ID=\"origin\"\nhttp://origin.example:8080/hls/k/720p/ll.m3u8\n"
            "#EXT-X-SESSION-DATA:DATA-ID=\"x\",VALUE=\"y\"\n");
  // Steering a steered master again does not add a second steering tag.
  EXPECT_EQ(steerMaster(steered, "hls/k/", "k", twoCdns()).find("CONTENT-STEERING", steered.find("CONTENT-STEERING") + 1),
            std::string::npos);
}

TEST(SteeredMaster, QuotesInNamesCannotBreakTheTag) {
  SteeringSnapshot s = twoCdns();
  s.pathways[0].id = "bad\"id";
  const std::string steered = renderSteeredMaster(ladder(), kKey, s);
  EXPECT_NE(steered.find("PATHWAY-ID=\"badid\""), std::string::npos);
}

TEST(SteeringManifest, VersionTtlReloadUriAndPriority) {
  EXPECT_EQ(renderSteeringManifest(twoCdns(), "k1"),
            "{\"VERSION\":1,\"TTL\":5,\"RELOAD-URI\":\"http://origin.example:8080/hls/k1/steering.json\","
            "\"PATHWAY-PRIORITY\":[\"bunny\",\"gcore\",\"origin\"]}");
  SteeringSnapshot odd = twoCdns();
  odd.pathways[1].id = "a\"b\\c\n";
  odd.ttlSeconds = 0;
  EXPECT_EQ(renderSteeringManifest(odd, "k1"),
            "{\"VERSION\":1,\"TTL\":1,\"RELOAD-URI\":\"http://origin.example:8080/hls/k1/steering.json\","
            "\"PATHWAY-PRIORITY\":[\"bunny\",\"a\\\"b\\\\c\\u000a\",\"origin\"]}");
}

TEST(SteeringBoard, HoldsTheLatestSnapshot) {
  SteeringBoard board;
  EXPECT_EQ(board.get(), nullptr);
  board.set(std::make_shared<const SteeringSnapshot>(twoCdns()));
  ASSERT_NE(board.get(), nullptr);
  EXPECT_EQ(board.get()->pathways.front().id, "bunny");
}

}  // namespace
}  // namespace ls::hls
