#include "app/config.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace ls::app {
namespace {

TEST(Config, DefaultsAreTheDocumentedOnes) {
  Config cfg;
  EXPECT_EQ(cfg.dataDir, "./data");
  EXPECT_EQ(cfg.http.toString(), "0.0.0.0:8080");
  EXPECT_EQ(cfg.rtmp.toString(), "0.0.0.0:1935");
  EXPECT_EQ(cfg.tokenTtlSeconds, 3600);
  EXPECT_EQ(cfg.hlsFirstSegmentWaitMs, 4000);
  EXPECT_EQ(cfg.partnerRequestsPerMinute, 100);
  EXPECT_EQ(cfg.partnerRequestsPerHour, 1000);
}

TEST(Config, PartnerPerHourParsesFromFileAndEnvironment) {
  Config cfg;
  ASSERT_TRUE(applyConfigValue(cfg, "ratelimit.partner_per_hour", "5000").isOk());
  EXPECT_EQ(cfg.partnerRequestsPerHour, 5000);
  const Status zero = applyConfigValue(cfg, "ratelimit.partner_per_hour", "0");
  EXPECT_EQ(zero.code(), Code::kInvalidArgument);
  EXPECT_NE(zero.message().find("config ratelimit.partner_per_hour: "), std::string::npos) << zero.message();
  EXPECT_EQ(cfg.partnerRequestsPerHour, 5000) << "a bad value leaves the previous one";
  std::string e = "LUNARSTREAM_RATELIMIT_PARTNER_PER_HOUR=3";
  char* env[] = {e.data(), nullptr};
  EXPECT_EQ(configFromEnvironment(env)["ratelimit.partner_per_hour"], "3");
}

TEST(Config, SharedRateLimitKeysParseWithinTheirRanges) {
  Config cfg;
  EXPECT_EQ(cfg.rateLimitSyncIntervalMs, 250);
  EXPECT_EQ(cfg.rateLimitApiNodes, 4);
  ASSERT_TRUE(applyConfigValue(cfg, "ratelimit.sync_interval_ms", "0").isOk());
  EXPECT_EQ(cfg.rateLimitSyncIntervalMs, 0) << "0 keeps the limits per process";
  ASSERT_TRUE(applyConfigValue(cfg, "ratelimit.api_nodes", "8").isOk());
  EXPECT_EQ(cfg.rateLimitApiNodes, 8);
  for (const char* bad : {"-1", "60001", "fast", ""}) {
    const Status s = applyConfigValue(cfg, "ratelimit.sync_interval_ms", bad);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("config ratelimit.sync_interval_ms: "), std::string::npos) << s.message();
  }
  EXPECT_EQ(applyConfigValue(cfg, "ratelimit.api_nodes", "0").code(), Code::kInvalidArgument);
  EXPECT_EQ(cfg.rateLimitApiNodes, 8);
}

TEST(Config, FirstSegmentWaitParses) {
  Config cfg;
  ASSERT_TRUE(applyConfigValue(cfg, "hls.first_segment_wait_ms", "0").isOk());
  EXPECT_EQ(cfg.hlsFirstSegmentWaitMs, 0);
  ASSERT_TRUE(applyConfigValue(cfg, "hls.first_segment_wait_ms", "10000").isOk());
  EXPECT_EQ(cfg.hlsFirstSegmentWaitMs, 10000);
  EXPECT_FALSE(applyConfigValue(cfg, "hls.first_segment_wait_ms", "60001").isOk());
}

TEST(Config, LowLatencyHlsKeysParseAndValidate) {
  Config cfg;
  EXPECT_TRUE(cfg.hlsLlEnabled);
  EXPECT_EQ(cfg.hlsPartTargetMs, 200);
  EXPECT_TRUE(checkHlsConfig(cfg).isOk());
  ASSERT_TRUE(applyConfigValue(cfg, "hls.part_target_ms", "333").isOk());
  EXPECT_EQ(cfg.hlsPartTargetMs, 333);
  for (const char* bad : {"99", "1001", "0.2", ""}) {
    const Status s = applyConfigValue(cfg, "hls.part_target_ms", bad);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("config hls.part_target_ms: "), std::string::npos) << s.message();
  }
  EXPECT_FALSE(applyConfigValue(cfg, "hls.ll_enabled", "yes").isOk());
  // A part must fit twice into a segment.
  ASSERT_TRUE(applyConfigValue(cfg, "hls.segment_target_ms", "500").isOk());
  const Status s = checkHlsConfig(cfg);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("hls.part_target_ms"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("hls.segment_target_ms (500)"), std::string::npos) << s.message();
  ASSERT_TRUE(applyConfigValue(cfg, "hls.ll_enabled", "false").isOk());
  EXPECT_TRUE(checkHlsConfig(cfg).isOk()) << "no parts without LL";
  std::string e = "LUNARSTREAM_HLS_PART_TARGET_MS=250";
  char* env[] = {e.data(), nullptr};
  EXPECT_EQ(configFromEnvironment(env)["hls.part_target_ms"], "250");
}

TEST(Config, DatabaseUrlIsEmptyOrPostgresAndNeverEchoed) {
  Config cfg;
  EXPECT_TRUE(cfg.databaseUrl.empty()) << "SQLite in the data dir by default";
  ASSERT_TRUE(applyConfigValue(cfg, "database.url", "postgres://ls:secret@db:5432/ls").isOk());
  EXPECT_EQ(cfg.databaseUrl, "postgres://ls:secret@db:5432/ls");
  ASSERT_TRUE(applyConfigValue(cfg, "database.url", "postgresql://db/ls").isOk());
  EXPECT_EQ(cfg.databaseUrl, "postgresql://db/ls");
  const Status bad = applyConfigValue(cfg, "database.url", "mysql://ls:hunter2@db/ls");
  EXPECT_EQ(bad.code(), Code::kInvalidArgument);
  EXPECT_NE(bad.message().find("database.url"), std::string::npos) << bad.message();
  EXPECT_EQ(bad.message().find("hunter2"), std::string::npos) << "a password is never printed: " << bad.message();
  ASSERT_TRUE(applyConfigValue(cfg, "database.url", "").isOk());
  EXPECT_TRUE(cfg.databaseUrl.empty());
  std::string e = "LUNARSTREAM_DATABASE_URL=postgres://db/ls";
  char* env[] = {e.data(), nullptr};
  EXPECT_EQ(configFromEnvironment(env)["database.url"], "postgres://db/ls");
}

TEST(Config, TheSampleFileParsesAndAppliesCleanly) {
  std::ifstream in(std::string(LS_SOURCE_DIR) + "/lunarstream.conf.sample");
  ASSERT_TRUE(in);
  std::stringstream text;
  text << in.rdbuf();
  auto values = parseConfigText(text.str());
  ASSERT_TRUE(values.ok()) << values.status().message();
  Config cfg;
  for (const auto& [key, value] : *values) {
    EXPECT_TRUE(applyConfigValue(cfg, key, value).isOk()) << key;
  }
  // Every key the binary knows appears in the sample (commented or not).
  for (std::string_view key : configKeys()) {
    EXPECT_NE(text.str().find(std::string(key) + " ="), std::string::npos) << key;
  }
}

TEST(Config, BadValuesNameTheirKey) {
  Config cfg;
  Status s = applyConfigValue(cfg, "http.listen", "localhost");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("http.listen"), std::string::npos) << s.message();
  s = applyConfigValue(cfg, "token.ttl_seconds", "10");
  EXPECT_NE(s.message().find("token.ttl_seconds"), std::string::npos);
  s = applyConfigValue(cfg, "hls.window_segments", "six");
  EXPECT_NE(s.message().find("hls.window_segments"), std::string::npos);
  s = applyConfigValue(cfg, "hls.first_segment_wait_ms", "-1");
  EXPECT_NE(s.message().find("hls.first_segment_wait_ms"), std::string::npos);
  s = applyConfigValue(cfg, "rtmp.listen", "0.0.0.0:70000");
  EXPECT_NE(s.message().find("rtmp.listen"), std::string::npos);
  s = applyConfigValue(cfg, "no.such.key", "1");
  EXPECT_NE(s.message().find("no.such.key"), std::string::npos);
  s = applyConfigValue(cfg, "public.hls_url", "ftp://x");
  EXPECT_NE(s.message().find("public.hls_url"), std::string::npos);
}

TEST(Config, AbrKeysParseAndValidate) {
  Config cfg;
  EXPECT_TRUE(cfg.abr.enabled);
  EXPECT_EQ(cfg.abr.ladder, abr::defaultLadder());
  EXPECT_EQ(cfg.abr.x264Preset, "veryfast");
  ASSERT_TRUE(applyConfigValue(cfg, "abr.enabled", "false").isOk());
  EXPECT_FALSE(cfg.abr.enabled);
  ASSERT_TRUE(applyConfigValue(cfg, "abr.ladder", "720p:1280x720:2500k, 360p:640x360:700k").isOk());
  ASSERT_EQ(cfg.abr.ladder.size(), 2u);
  EXPECT_EQ(cfg.abr.ladder[0], (abr::RenditionSpec{"720p", 1280, 720, 2'500'000}));
  ASSERT_TRUE(applyConfigValue(cfg, "abr.x264_preset", "superfast").isOk());
  EXPECT_EQ(cfg.abr.x264Preset, "superfast");
  ASSERT_TRUE(applyConfigValue(cfg, "abr.max_lag_ms", "5000").isOk());
  EXPECT_EQ(cfg.abr.maxLagMs, 5000);

  struct Bad {
    const char* key;
    const char* value;
    const char* says;
  };
  const std::vector<Bad> bad = {
      {"abr.enabled", "yes", "must be true or false"},
      {"abr.ladder", "720p:1280x720", "entry 1"},
      {"abr.ladder", "", "lists no rendition"},
      {"abr.ladder", "a:1280x721:1M", "even sides"},
      {"abr.x264_preset", "quick", "must be an x264 preset"},
      {"abr.max_lag_ms", "50", "out of range"},
  };
  for (const Bad& b : bad) {
    Status s = applyConfigValue(cfg, b.key, b.value);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << b.key << "=" << b.value;
    EXPECT_NE(s.message().find(std::string("config ") + b.key + ": "), std::string::npos) << s.message();
    EXPECT_NE(s.message().find(b.says), std::string::npos) << s.message();
  }
  // A bad value leaves the previous one.
  EXPECT_EQ(cfg.abr.ladder.size(), 2u);
}

TEST(Config, ParsesListenAddresses) {
  auto v4 = parseListenAddress("127.0.0.1:0");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 0);
  auto v6 = parseListenAddress("[::1]:8080");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->toString(), "[::1]:8080");
  EXPECT_FALSE(parseListenAddress(":80").ok());
  EXPECT_FALSE(parseListenAddress("host:").ok());
  EXPECT_FALSE(parseListenAddress("::1:80").ok());
  EXPECT_FALSE(parseListenAddress("ho st:80").ok());
}

TEST(Config, CdnListKeepsOrderAndRejectsDuplicates) {
  auto cdns = parseCdnList("bunny=https://b.example/, gcore=https://g.example");
  ASSERT_TRUE(cdns.ok());
  ASSERT_EQ(cdns->size(), 2u);
  EXPECT_EQ((*cdns)[0].name, "bunny");
  EXPECT_EQ((*cdns)[0].baseUrl, "https://b.example");
  EXPECT_EQ((*cdns)[1].name, "gcore");
  EXPECT_FALSE(parseCdnList("a=https://x,a=https://y").ok());
  EXPECT_FALSE(parseCdnList("origin=https://x").ok());
  EXPECT_FALSE(parseCdnList("a=ftp://x").ok());
  EXPECT_FALSE(parseCdnList("https://x").ok());
}

TEST(Config, FileSyntaxErrorsNameTheLine) {
  auto bad = parseConfigText("# ok\nhttp.listen = 1.2.3.4:80\njust words\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 3"), std::string::npos);
  auto twice = parseConfigText("a = 1\na = 2\n");
  EXPECT_FALSE(twice.ok());
}

TEST(Config, EnvironmentUsesPrefixedUppercaseNames) {
  std::string e1 = "LUNARSTREAM_HTTP_LISTEN=127.0.0.1:9000";
  std::string e2 = "LUNARSTREAM_MEDIA_SERVER_CDNS=bunny=https://b";
  std::string e3 = "UNRELATED=1";
  char* env[] = {e1.data(), e2.data(), e3.data(), nullptr};
  ConfigValues values = configFromEnvironment(env);
  EXPECT_EQ(values.size(), 2u);
  EXPECT_EQ(values["http.listen"], "127.0.0.1:9000");
  EXPECT_EQ(values["media_server.cdns"], "bunny=https://b");
}

TEST(Config, DerivesPublicUrlsFromBoundPorts) {
  Config cfg;
  derivePublicUrls(cfg, 41000, 41001);
  EXPECT_EQ(cfg.publicApiUrl, "http://127.0.0.1:41000");
  EXPECT_EQ(cfg.publicHlsUrl, "http://127.0.0.1:41000");
  EXPECT_EQ(cfg.publicRtmpUrl, "rtmp://127.0.0.1:41001/live");
  Config set;
  set.publicApiUrl = "https://api.example";
  derivePublicUrls(set, 1, 2);
  EXPECT_EQ(set.publicApiUrl, "https://api.example");
  EXPECT_EQ(set.publicHlsUrl, "https://api.example");
}

}  // namespace
}  // namespace ls::app
