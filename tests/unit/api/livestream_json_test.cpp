#include "api/livestream_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace ls::api {
namespace {

control::LivestreamRecord record(bool withToken) {
  control::LivestreamRecord r;
  r.livestream.id = "0b8d6f5e-5c2c-4d55-9d43-2d8f1f6f6a11";
  r.livestream.projectId = "7c1e2a6b-0f3e-4f57-a1a8-2a5e0a1c9b22";
  r.livestream.mediaServerId = "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b";
  r.livestream.name = "Launch";
  r.livestream.streamKey = "ee04affe2a669854052102fe762bd715";
  r.livestream.createdAt = 1768241558918;
  r.livestream.startedAt = 1768241560000;
  r.mediaServer.id = r.livestream.mediaServerId;
  r.mediaServer.name = "embedded";
  r.mediaServer.rtmpBaseUrl = "rtmp://127.0.0.1:1935/live";
  r.mediaServer.hlsBaseUrl = "http://127.0.0.1:8080";
  r.mediaServer.cdns = {{"bunny", "https://b.example"}};
  r.status = LivestreamStatus::kStarted;
  if (withToken) r.pushToken = "h.p.s";
  return r;
}

TEST(LivestreamJson, CarriesBothDialects) {
  const auto o = livestreamJson(record(true), "http://api.example", Secrets::kInclude, true);
  EXPECT_EQ(o.at("status"), "STARTED");
  EXPECT_EQ(o.at("rmtpServer"), "rtmp://127.0.0.1:1935/live");
  EXPECT_EQ(o.at("rtmpServer"), o.at("rmtpServer"));
  EXPECT_EQ(o.at("mediaServerId"), o.at("mediaServer").at("id"));
  EXPECT_EQ(o.at("streamKeyWithParams"), "ee04affe2a669854052102fe762bd715?pushToken=h.p.s");
  EXPECT_EQ(o.at("streamKeyWithToken"), o.at("streamKeyWithParams"));
  EXPECT_EQ(o.at("pushToken"), "h.p.s");
  EXPECT_EQ(o.at("rtmpUrl"), "rtmp://127.0.0.1:1935/live/ee04affe2a669854052102fe762bd715?pushToken=h.p.s");
  EXPECT_EQ(boost::json::serialize(o.at("hlsSources")),
            R"([{"name":"origin","url":"http://127.0.0.1:8080/hls/ee04affe2a669854052102fe762bd715/master.m3u8"},)"
            R"({"name":"bunny","url":"https://b.example/hls/ee04affe2a669854052102fe762bd715/master.m3u8"}])");
  EXPECT_EQ(boost::json::serialize(o.at("hlsPaths")),
            R"(["http://127.0.0.1:8080/hls/ee04affe2a669854052102fe762bd715/master.m3u8",)"
            R"("https://b.example/hls/ee04affe2a669854052102fe762bd715/master.m3u8"])");
  EXPECT_EQ(boost::json::serialize(o.at("llHlsSources")),
            R"([{"name":"origin","url":"http://127.0.0.1:8080/hls/ee04affe2a669854052102fe762bd715/ll.m3u8"},)"
            R"({"name":"bunny","url":"https://b.example/hls/ee04affe2a669854052102fe762bd715/ll.m3u8"}])");
  EXPECT_EQ(o.at("previewPlayback"),
            "http://api.example/api/v1/livestreams/preview-playback/ee04affe2a669854052102fe762bd715");
  EXPECT_EQ(o.at("createdAt"), "2026-01-12T18:12:38.918Z");
  EXPECT_EQ(o.at("startedAt"), "2026-01-12T18:12:40.000Z");
  EXPECT_TRUE(o.at("endedAt").is_null());
  EXPECT_EQ(boost::json::serialize(o.at("mediaServer")),
            R"({"id":"1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b","name":"embedded","type":"EMBEDDED"})");
}

TEST(LivestreamJson, LowLatencyMastersOnlyWhereOffered) {
  control::LivestreamRecord r = record(false);
  EXPECT_TRUE(livestreamJson(r, "http://api.example", Secrets::kOmit, false).at("llHlsSources").as_array().empty());
  r.mediaServer.type = MediaServerType::kZlMediaKit;
  EXPECT_TRUE(livestreamJson(r, "http://api.example", Secrets::kOmit, true).at("llHlsSources").as_array().empty());
}

TEST(LivestreamJson, RtmpUrlHasExactlyOneSlashBetweenServerAndKey) {
  control::LivestreamRecord r = record(true);
  r.mediaServer.rtmpBaseUrl = "rtmp://ingest.example/live/";
  const auto o = livestreamJson(r, "http://api.example", Secrets::kInclude, true);
  EXPECT_EQ(o.at("rtmpUrl"), "rtmp://ingest.example/live/ee04affe2a669854052102fe762bd715?pushToken=h.p.s");
}

TEST(LivestreamJson, SecretsNeverLeakWhenOmittedOrAbsent) {
  for (const auto& [withToken, secrets] : {std::pair{true, Secrets::kOmit}, std::pair{false, Secrets::kInclude}}) {
    const auto o = livestreamJson(record(withToken), "http://api.example", secrets, true);
    EXPECT_FALSE(o.contains("pushToken"));
    EXPECT_FALSE(o.contains("streamKeyWithParams"));
    EXPECT_FALSE(o.contains("streamKeyWithToken"));
    EXPECT_FALSE(o.contains("rtmpUrl"));
    EXPECT_EQ(boost::json::serialize(o).find("h.p.s"), std::string::npos);
  }
}

}  // namespace
}  // namespace ls::api
