#include "media/flv/h264_sps.hpp"

#include <gtest/gtest.h>

#include "unit/media/flv/test_bytes.hpp"

namespace ls::flv {
namespace {

using testing::BitWriter;
using testing::fromHex;

// SPS NAL units written by x264 (ffmpeg 5.1 + libx264 164), with the values
// ffprobe reports for the same streams.
struct RealSps {
  const char* name;
  const char* hex;
  std::uint8_t profile;
  std::uint32_t chromaFormat;
  bool frameMbsOnly;
  std::uint32_t width;
  std::uint32_t height;
  double frameRate;
};

const RealSps kRealSps[] = {
    {"high_420_320x240", "6764000dacd94141fb0110000003001000000303c0f1429960", 100, 1, true, 320, 240, 30},
    {"baseline_1080p_cropped", "6742c028da01e0089f970110000003001000000303c0f1832a", 66, 1, true, 1920, 1080, 30},
    {"high422_odd_size", "677a000dbcd9415087888fc044000003000400000300c83c50a658", 122, 2, true, 322, 242, 25},
    {"high444", "67f4000d919b28283f6022000003000200000300781e28532c", 244, 3, true, 320, 240, 30},
    {"interlaced_576", "6764001eacd940b424d8088000000300800000190f8a14cb", 100, 1, false, 720, 576, 25},
    {"interlaced_1080_cropped", "674d4028f403c0227ef011000003000100000300321f162ea0", 77, 1, false, 1920, 1080, 25},
    {"baseline_ntsc_rate", "6742c00bd902c4ec04400000fa40003a9803c50a92", 66, 1, true, 176, 144, 30000.0 / 1001},
};

class RealSpsTest : public ::testing::TestWithParam<RealSps> {};

TEST_P(RealSpsTest, MatchesFfprobe) {
  const RealSps& v = GetParam();
  const auto nal = fromHex(v.hex);
  Result<H264Sps> sps = parseH264Sps(nal);
  ASSERT_TRUE(sps.ok()) << sps.status().message();
  EXPECT_EQ(sps->profileIdc, v.profile);
  EXPECT_EQ(sps->constraintFlags, nal[2]);
  EXPECT_EQ(sps->levelIdc, nal[3]);
  EXPECT_EQ(sps->chromaFormatIdc, v.chromaFormat);
  EXPECT_EQ(sps->frameMbsOnly, v.frameMbsOnly);
  EXPECT_EQ(sps->width, v.width);
  EXPECT_EQ(sps->height, v.height);
  EXPECT_NEAR(sps->frameRate(), v.frameRate, 1e-9);
}

INSTANTIATE_TEST_SUITE_P(X264, RealSpsTest, ::testing::ValuesIn(kRealSps),
                         [](const auto& param) { return std::string(param.param.name); });

TEST(H264Sps, ReadsNtscTimingFields) {
  Result<H264Sps> sps = parseH264Sps(fromHex(kRealSps[6].hex));
  ASSERT_TRUE(sps.ok());
  EXPECT_EQ(sps->numUnitsInTick, 1001U);
  EXPECT_EQ(sps->timeScale, 60000U);
  EXPECT_FALSE(sps->fixedFrameRate);  // x264 writes 0 for input from ffmpeg (possibly variable rate)
  EXPECT_EQ(sps->sarWidth, 1U);       // x264 signals square pixels
  EXPECT_EQ(sps->sarHeight, 1U);
}

// Inserts emulation prevention bytes as an encoder must (clause 7.4.1).
std::vector<std::uint8_t> rbspToNal(std::uint8_t header, const std::vector<std::uint8_t>& rbsp) {
  std::vector<std::uint8_t> nal{header};
  int zeros = 0;
  for (const std::uint8_t b : rbsp) {
    if (zeros >= 2 && b <= 3) {
      nal.push_back(3);
      zeros = 0;
    }
    nal.push_back(b);
    zeros = b == 0 ? zeros + 1 : 0;
  }
  return nal;
}

struct SpsFields {
  std::uint8_t profile = 100;
  std::uint32_t chromaFormat = 1;
  bool scalingMatrix = false;
  std::uint32_t pocType = 0;
  std::uint32_t widthMbs = 20;
  std::uint32_t heightMapUnits = 15;
  bool frameMbsOnly = true;
  bool crop = false;
  std::uint32_t cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
  bool vui = false;
};

std::vector<std::uint8_t> buildSps(const SpsFields& f) {
  BitWriter w;
  w.bits(f.profile, 8);
  w.bits(0, 8);   // constraint flags
  w.bits(31, 8);  // level 3.1
  w.ue(0);        // seq_parameter_set_id
  if (f.profile == 100 || f.profile == 244) {
    w.ue(f.chromaFormat);
    if (f.chromaFormat == 3) w.bit(false);  // separate_colour_plane_flag
    w.ue(0);                                // bit_depth_luma_minus8
    w.ue(0);                                // bit_depth_chroma_minus8
    w.bit(false);                           // qpprime_y_zero_transform_bypass_flag
    w.bit(f.scalingMatrix);
    if (f.scalingMatrix) {
      const int lists = f.chromaFormat != 3 ? 8 : 12;
      for (int i = 0; i < lists; ++i) {
        const bool present = i % 2 == 0;
        w.bit(present);
        if (!present) continue;
        const int size = i < 6 ? 16 : 64;
        if (i == 2) {
          w.se(-8);  // nextScale becomes 0 at once: "use the default matrix", list ends
          continue;
        }
        for (int j = 0; j < size; ++j) w.se(j % 3 == 0 ? 5 : -2);
      }
    }
  }
  w.ue(0);  // log2_max_frame_num_minus4
  w.ue(f.pocType);
  if (f.pocType == 0) {
    w.ue(2);
  } else if (f.pocType == 1) {
    w.bit(false);
    w.se(-3);
    w.se(7);
    w.ue(3);  // num_ref_frames_in_pic_order_cnt_cycle
    w.se(1);
    w.se(-1);
    w.se(100);
  }
  w.ue(4);       // max_num_ref_frames
  w.bit(false);  // gaps_in_frame_num_value_allowed_flag
  w.ue(f.widthMbs - 1);
  w.ue(f.heightMapUnits - 1);
  w.bit(f.frameMbsOnly);
  if (!f.frameMbsOnly) w.bit(true);  // mb_adaptive_frame_field_flag
  w.bit(true);                       // direct_8x8_inference_flag
  w.bit(f.crop);
  if (f.crop) {
    w.ue(f.cropLeft);
    w.ue(f.cropRight);
    w.ue(f.cropTop);
    w.ue(f.cropBottom);
  }
  w.bit(f.vui);
  if (f.vui) {
    w.bit(true);     // aspect_ratio_info_present_flag
    w.bits(255, 8);  // Extended_SAR
    w.bits(64, 16);
    w.bits(45, 16);
    w.bit(true);   // overscan_info_present_flag
    w.bit(false);  // overscan_appropriate_flag
    w.bit(true);   // video_signal_type_present_flag
    w.bits(5, 3);
    w.bit(false);
    w.bit(true);  // colour_description_present_flag
    w.bits(0x010101, 24);
    w.bit(true);  // chroma_loc_info_present_flag
    w.ue(1);
    w.ue(2);
    w.bit(true);  // timing_info_present_flag
    w.bits(1, 32);
    w.bits(100, 32);  // 50 fps
    w.bit(true);
    w.bit(false);  // nal_hrd_parameters_present_flag (not read by the parser)
  }
  w.trailingBits();
  return rbspToNal(0x67, w.bytes());
}

TEST(H264Sps, SkipsScalingListsIncludingEarlyDefaultMatrix) {
  SpsFields f;
  f.scalingMatrix = true;
  Result<H264Sps> sps = parseH264Sps(buildSps(f));
  ASSERT_TRUE(sps.ok()) << sps.status().message();
  EXPECT_EQ(sps->width, 320U);
  EXPECT_EQ(sps->height, 240U);
}

TEST(H264Sps, SkipsTwelveScalingListsFor444) {
  SpsFields f;
  f.profile = 244;
  f.chromaFormat = 3;
  f.scalingMatrix = true;
  f.crop = true;
  f.cropRight = 3;  // CropUnitX is 1 in 4:4:4
  f.cropBottom = 5;
  Result<H264Sps> sps = parseH264Sps(buildSps(f));
  ASSERT_TRUE(sps.ok()) << sps.status().message();
  EXPECT_EQ(sps->chromaFormatIdc, 3U);
  EXPECT_EQ(sps->width, 317U);
  EXPECT_EQ(sps->height, 235U);
}

TEST(H264Sps, AppliesCropUnitsOf420Interlaced) {
  SpsFields f;
  f.frameMbsOnly = false;
  f.heightMapUnits = 9;  // 9 map units = 18 macroblock rows = 288 lines
  f.crop = true;
  f.cropLeft = 1;    // 2 luma columns
  f.cropRight = 2;   // 4 luma columns
  f.cropTop = 1;     // CropUnitY = SubHeightC * 2 = 4 lines
  f.cropBottom = 2;  // 8 lines
  Result<H264Sps> sps = parseH264Sps(buildSps(f));
  ASSERT_TRUE(sps.ok()) << sps.status().message();
  EXPECT_FALSE(sps->frameMbsOnly);
  EXPECT_EQ(sps->width, 320U - 6U);
  EXPECT_EQ(sps->height, 288U - 12U);
}

TEST(H264Sps, PicOrderCountType1AndFullVui) {
  SpsFields f;
  f.pocType = 1;
  f.vui = true;
  Result<H264Sps> sps = parseH264Sps(buildSps(f));
  ASSERT_TRUE(sps.ok()) << sps.status().message();
  EXPECT_EQ(sps->sarWidth, 64U);
  EXPECT_EQ(sps->sarHeight, 45U);
  EXPECT_EQ(sps->timeScale, 100U);
  EXPECT_DOUBLE_EQ(sps->frameRate(), 50.0);
}

TEST(H264Sps, NoVuiMeansUnknownFrameRate) {
  Result<H264Sps> sps = parseH264Sps(buildSps({}));
  ASSERT_TRUE(sps.ok());
  EXPECT_EQ(sps->frameRate(), 0.0);
  EXPECT_EQ(sps->sarWidth, 0U);
}

TEST(H264Sps, RejectsMalformedInput) {
  EXPECT_FALSE(parseH264Sps({}).ok());
  EXPECT_FALSE(parseH264Sps(fromHex("68 ebe3cb22c0")).ok());  // a PPS
  EXPECT_FALSE(parseH264Sps(fromHex("e7 64 00 0d")).ok());    // forbidden_zero_bit
  SpsFields bigCrop;
  bigCrop.crop = true;
  bigCrop.cropRight = 160;  // 320 columns: nothing left
  EXPECT_FALSE(parseH264Sps(buildSps(bigCrop)).ok());
  SpsFields badChroma;
  badChroma.chromaFormat = 4;
  EXPECT_FALSE(parseH264Sps(buildSps(badChroma)).ok());
  SpsFields huge;
  huge.widthMbs = 100000;
  EXPECT_FALSE(parseH264Sps(buildSps(huge)).ok());
}

TEST(H264Sps, EveryTruncationIsSafeAndShortOnesFail) {
  const auto nal = fromHex(kRealSps[0].hex);
  for (std::size_t n = 0; n < nal.size(); ++n) {
    Result<H264Sps> sps = parseH264Sps(std::span(nal).first(n));
    if (n < 12) {
      EXPECT_FALSE(sps.ok()) << n;  // cut before the timing info
    }
  }
}

TEST(H264Sps, AppliesToVideoConfig) {
  media::VideoConfig config;
  EXPECT_FALSE(applySpsToVideoConfig(config).isOk());
  config.sps.push_back(fromHex(kRealSps[2].hex));
  ASSERT_TRUE(applySpsToVideoConfig(config).isOk());
  EXPECT_EQ(config.width, 322U);
  EXPECT_EQ(config.height, 242U);
  EXPECT_DOUBLE_EQ(config.frameRate, 25.0);
}

}  // namespace
}  // namespace ls::flv
