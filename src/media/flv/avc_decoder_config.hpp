// AVCDecoderConfigurationRecord (ISO/IEC 14496-15 clause 5.3.3.1): the body
// of an FLV/RTMP AVC sequence header, carrying the SPS/PPS and the size of
// the NALU length prefixes used by every following frame.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/status.hpp"
#include "media/core/frame.hpp"

namespace ls::flv {

// Fills sps, pps, naluLengthSize and profile/constraints/level; width,
// height and frameRate come from the first SPS when it parses (a stream with
// an SPS we cannot read is still remuxable, so that is not an error here).
Result<media::VideoConfig> parseAvcDecoderConfigurationRecord(std::span<const std::uint8_t> record);

// The inverse, for tests and the load generator. Requires 1..31 SPS, at
// most 255 PPS, each under 64 KiB, and naluLengthSize in {1, 2, 4}.
Result<std::vector<std::uint8_t>> buildAvcDecoderConfigurationRecord(const media::VideoConfig& config);

}  // namespace ls::flv
