// H.264 sequence parameter set parsing (ISO/IEC 14496-10 clause 7.3.2.1.1 and
// Annex E.1.1): just enough to know the picture size and frame rate that
// playlists and the ABR ladder need.
#pragma once

#include <cstdint>
#include <span>

#include "core/status.hpp"
#include "media/core/frame.hpp"

namespace ls::flv {

struct H264Sps {
  std::uint8_t profileIdc = 0;
  std::uint8_t constraintFlags = 0;  // constraint_set0..5 flags and the 2 reserved bits, as coded
  std::uint8_t levelIdc = 0;
  std::uint32_t spsId = 0;
  std::uint32_t chromaFormatIdc = 1;  // 0 = monochrome, 1 = 4:2:0, 2 = 4:2:2, 3 = 4:4:4
  bool separateColourPlane = false;
  std::uint32_t bitDepthLuma = 8;
  std::uint32_t bitDepthChroma = 8;
  bool frameMbsOnly = true;  // false: interlaced-capable (field or MBAFF coding)
  // Displayed size: coded macroblocks minus the frame cropping rectangle.
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  // VUI sample aspect ratio; 0/0 when not signalled.
  std::uint32_t sarWidth = 0;
  std::uint32_t sarHeight = 0;
  // VUI timing; all zero when timing_info_present_flag is 0.
  std::uint32_t numUnitsInTick = 0;
  std::uint32_t timeScale = 0;
  bool fixedFrameRate = false;

  // Frames per second from the VUI timing: a clock tick is one field period,
  // so frames/s = time_scale / (2 * num_units_in_tick) (Annex E, E.2.1). 0 when unknown.
  [[nodiscard]] double frameRate() const;
};

// Parses one SPS NAL unit: the one-byte NAL header (nal_unit_type 7)
// followed by the payload, with emulation prevention bytes still in it.
Result<H264Sps> parseH264Sps(std::span<const std::uint8_t> nal);

// Fills config.width/height/frameRate from its first SPS. Leaves them
// unchanged and returns the parse error when there is no usable SPS.
Status applySpsToVideoConfig(media::VideoConfig& config);

}  // namespace ls::flv
