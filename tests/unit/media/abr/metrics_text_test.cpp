#include "media/abr/metrics_text.hpp"

#include <gtest/gtest.h>

namespace ls::abr {
namespace {

TEST(AbrMetrics, NoTranscoders) {
  std::string out;
  appendAbrMetrics(out, false, {});
  EXPECT_NE(out.find("# TYPE lunarstream_abr_enabled gauge\nlunarstream_abr_enabled 0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("lunarstream_abr_transcoders 0\n"), std::string::npos);
  EXPECT_EQ(out.find("livestream="), std::string::npos);
}

TEST(AbrMetrics, PerStreamAndPerRenditionSeries) {
  TranscoderStats stats("secret-key", "ls_1\"a\\b");
  const auto hd = stats.addRendition("480p", 854, 480);
  const auto sd = stats.addRendition("360p", 640, 360);
  stats.setState(hd, RenditionState::kDropped);
  for (int i = 0; i < 5; ++i) stats.addEncoded(sd);
  stats.addEncoded(hd);
  stats.framesDecoded = 6;
  stats.framesDropped = 2;
  stats.queueDepth = 3;
  stats.lagMs = 1250;

  std::string out;
  appendAbrMetrics(out, true, {stats.snapshot()});
  const std::string label = "{livestream=\"ls_1\\\"a\\\\b\"}";
  for (const std::string& line : std::vector<std::string>{
           "lunarstream_abr_enabled 1",
           "lunarstream_abr_transcoders 1",
           "lunarstream_abr_renditions_active" + label + " 1",
           "lunarstream_abr_renditions_dropped" + label + " 1",
           "lunarstream_abr_renditions_failed" + label + " 0",
           "lunarstream_abr_queue_depth" + label + " 3",
           "lunarstream_abr_lag_seconds" + label + " 1.250",
           "lunarstream_abr_frames_decoded_total" + label + " 6",
           "lunarstream_abr_frames_dropped_total" + label + " 2",
           "lunarstream_abr_frames_encoded_total{livestream=\"ls_1\\\"a\\\\b\",rendition=\"480p\"} 1",
           "lunarstream_abr_frames_encoded_total{livestream=\"ls_1\\\"a\\\\b\",rendition=\"360p\"} 5",
           "# TYPE lunarstream_abr_frames_encoded_total counter",
       }) {
    EXPECT_NE(out.find(line + "\n"), std::string::npos) << line << "\n" << out;
  }
  // The stream key lets anyone watch: it stays out of the scrape.
  EXPECT_EQ(out.find("secret-key"), std::string::npos);
}

}  // namespace
}  // namespace ls::abr
