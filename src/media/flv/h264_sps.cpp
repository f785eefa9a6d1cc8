#include "media/flv/h264_sps.hpp"

#include <string>
#include <vector>

#include "media/flv/bit_reader.hpp"

namespace ls::flv {
namespace {

constexpr std::uint8_t kNalTypeSps = 7;
// Beyond any level in Table A-1 (level 6.2 allows 139264 macroblocks per
// frame); the bound keeps size arithmetic far from overflow on hostile input.
constexpr std::uint32_t kMaxMbsPerDimension = 4096;

// Profiles whose SPS carries chroma_format_idc, bit depths and scaling
// matrices (the if() at the top of clause 7.3.2.1.1).
bool hasChromaInfo(std::uint8_t profileIdc) {
  switch (profileIdc) {
    case 100:
    case 110:
    case 122:
    case 244:
    case 44:
    case 83:
    case 86:
    case 118:
    case 128:
    case 138:
    case 139:
    case 134:
    case 135: return true;
    default: return false;
  }
}

// scaling_list() of clause 7.3.2.1.1.1: we only need to get past it.
void skipScalingList(BitReader& r, int size) {
  int lastScale = 8;
  int nextScale = 8;
  for (int j = 0; j < size && !r.failed(); ++j) {
    if (nextScale != 0) {
      const std::int32_t delta = r.se();
      if (delta < -128 || delta > 127) {
        r.fail();
        return;
      }
      nextScale = (lastScale + delta + 256) % 256;
    }
    lastScale = nextScale == 0 ? lastScale : nextScale;
  }
}

Status malformed(const char* what) {
  return invalidArgument(std::string("malformed H.264 SPS: ") + what);
}

// vui_parameters() up to the timing info (Annex E.1.1); the HRD and
// bitstream restriction parts that follow are not needed.
Status parseVuiTiming(BitReader& r, H264Sps& sps) {
  if (r.flag()) {  // aspect_ratio_info_present_flag
    const std::uint32_t aspectRatioIdc = r.bits(8);
    constexpr std::uint32_t kExtendedSar = 255;
    // Table E-1, sample aspect ratios 1..16.
    static constexpr std::uint16_t kSar[17][2] = {{0, 0},   {1, 1},    {12, 11}, {10, 11}, {16, 11}, {40, 33},
                                                  {24, 11}, {20, 11},  {32, 11}, {80, 33}, {18, 11}, {15, 11},
                                                  {64, 33}, {160, 99}, {4, 3},   {3, 2},   {2, 1}};
    if (aspectRatioIdc == kExtendedSar) {
      sps.sarWidth = r.bits(16);
      sps.sarHeight = r.bits(16);
    } else if (aspectRatioIdc < 17) {
      sps.sarWidth = kSar[aspectRatioIdc][0];
      sps.sarHeight = kSar[aspectRatioIdc][1];
    }
  }
  if (r.flag()) r.skip(1);     // overscan_info_present_flag -> overscan_appropriate_flag
  if (r.flag()) {              // video_signal_type_present_flag
    r.skip(3 + 1);             // video_format, video_full_range_flag
    if (r.flag()) r.skip(24);  // colour_primaries, transfer_characteristics, matrix_coefficients
  }
  if (r.flag()) {  // chroma_loc_info_present_flag
    r.ue();
    r.ue();
  }
  if (r.flag()) {  // timing_info_present_flag
    sps.numUnitsInTick = r.bits(32);
    sps.timeScale = r.bits(32);
    sps.fixedFrameRate = r.flag();
  }
  if (r.failed()) return malformed("truncated VUI");
  return Status::ok();
}

}  // namespace

double H264Sps::frameRate() const {
  if (numUnitsInTick == 0 || timeScale == 0) return 0;
  return static_cast<double>(timeScale) / (2.0 * static_cast<double>(numUnitsInTick));
}

Result<H264Sps> parseH264Sps(std::span<const std::uint8_t> nal) {
  if (nal.empty()) return malformed("empty NAL unit");
  if ((nal[0] & 0x80) != 0) return malformed("forbidden_zero_bit set");
  if ((nal[0] & 0x1f) != kNalTypeSps) return malformed("not an SPS NAL unit");
  const std::vector<std::uint8_t> rbsp = nalToRbsp(nal.subspan(1));
  BitReader r(rbsp);
  H264Sps sps;
  sps.profileIdc = static_cast<std::uint8_t>(r.bits(8));
  sps.constraintFlags = static_cast<std::uint8_t>(r.bits(8));
  sps.levelIdc = static_cast<std::uint8_t>(r.bits(8));
  sps.spsId = r.ue();
  if (r.failed()) return malformed("truncated header");
  if (sps.spsId > 31) return malformed("seq_parameter_set_id above 31");

  if (hasChromaInfo(sps.profileIdc)) {
    sps.chromaFormatIdc = r.ue();
    if (sps.chromaFormatIdc > 3) return malformed("chroma_format_idc above 3");
    if (sps.chromaFormatIdc == 3) sps.separateColourPlane = r.flag();
    const std::uint32_t lumaMinus8 = r.ue();
    const std::uint32_t chromaMinus8 = r.ue();
    if (lumaMinus8 > 6 || chromaMinus8 > 6) return malformed("bit depth above 14");
    sps.bitDepthLuma = lumaMinus8 + 8;
    sps.bitDepthChroma = chromaMinus8 + 8;
    r.skip(1);       // qpprime_y_zero_transform_bypass_flag
    if (r.flag()) {  // seq_scaling_matrix_present_flag
      const int lists = sps.chromaFormatIdc != 3 ? 8 : 12;
      for (int i = 0; i < lists && !r.failed(); ++i) {
        if (r.flag()) skipScalingList(r, i < 6 ? 16 : 64);
      }
    }
    if (r.failed()) return malformed("truncated chroma info or scaling lists");
  }

  if (r.ue() > 12) return malformed("log2_max_frame_num_minus4 above 12");
  const std::uint32_t picOrderCntType = r.ue();
  if (picOrderCntType > 2) return malformed("pic_order_cnt_type above 2");
  if (picOrderCntType == 0) {
    if (r.ue() > 12) return malformed("log2_max_pic_order_cnt_lsb_minus4 above 12");
  } else if (picOrderCntType == 1) {
    r.skip(1);  // delta_pic_order_always_zero_flag
    r.se();     // offset_for_non_ref_pic
    r.se();     // offset_for_top_to_bottom_field
    const std::uint32_t cycle = r.ue();
    if (cycle > 255) return malformed("num_ref_frames_in_pic_order_cnt_cycle above 255");
    for (std::uint32_t i = 0; i < cycle && !r.failed(); ++i) r.se();
  }
  r.ue();     // max_num_ref_frames
  r.skip(1);  // gaps_in_frame_num_value_allowed_flag
  const std::uint64_t widthMbs = std::uint64_t{r.ue()} + 1;
  const std::uint64_t heightMapUnits = std::uint64_t{r.ue()} + 1;
  sps.frameMbsOnly = r.flag();
  if (!sps.frameMbsOnly) r.skip(1);  // mb_adaptive_frame_field_flag
  r.skip(1);                         // direct_8x8_inference_flag
  std::uint64_t cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
  if (r.flag()) {  // frame_cropping_flag
    cropLeft = r.ue();
    cropRight = r.ue();
    cropTop = r.ue();
    cropBottom = r.ue();
  }
  const bool vuiPresent = r.flag();
  if (r.failed()) return malformed("truncated picture size");

  // Equations 7-18 .. 7-20 and the frame cropping semantics (clause 7.4.2.1.1).
  const std::uint64_t frameHeightMbs = (sps.frameMbsOnly ? 1 : 2) * heightMapUnits;
  if (widthMbs > kMaxMbsPerDimension || frameHeightMbs > kMaxMbsPerDimension) {
    return malformed("picture size out of range");
  }
  const std::uint32_t chromaArrayType = sps.separateColourPlane ? 0 : sps.chromaFormatIdc;
  std::uint64_t cropUnitX = 1;
  std::uint64_t cropUnitY = sps.frameMbsOnly ? 1 : 2;
  if (chromaArrayType != 0) {
    const std::uint64_t subWidthC = chromaArrayType == 3 ? 1 : 2;
    const std::uint64_t subHeightC = chromaArrayType == 1 ? 2 : 1;
    cropUnitX = subWidthC;
    cropUnitY *= subHeightC;
  }
  const std::uint64_t codedWidth = widthMbs * 16;
  const std::uint64_t codedHeight = frameHeightMbs * 16;
  const std::uint64_t cropX = cropUnitX * (cropLeft + cropRight);
  const std::uint64_t cropY = cropUnitY * (cropTop + cropBottom);
  if (cropX >= codedWidth || cropY >= codedHeight) return malformed("cropping larger than the picture");
  sps.width = static_cast<std::uint32_t>(codedWidth - cropX);
  sps.height = static_cast<std::uint32_t>(codedHeight - cropY);

  if (vuiPresent) LS_RETURN_IF_ERROR(parseVuiTiming(r, sps));
  return sps;
}

Status applySpsToVideoConfig(media::VideoConfig& config) {
  if (config.sps.empty()) return invalidArgument("video config has no SPS");
  Result<H264Sps> sps = parseH264Sps(config.sps.front());
  if (!sps.ok()) return std::move(sps).takeStatus();
  config.width = sps->width;
  config.height = sps->height;
  config.frameRate = sps->frameRate();
  return Status::ok();
}

}  // namespace ls::flv
