// ADTS headers (ISO/IEC 14496-3 clause 1.A.2.2 / 13818-7): the 7-byte frame
// header that makes raw AAC frames self-describing inside MPEG-TS.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "core/status.hpp"
#include "media/core/frame.hpp"

namespace ls::ts {

inline constexpr std::size_t kAdtsHeaderSize = 7;       // protection_absent = 1: no CRC
inline constexpr std::size_t kMaxAdtsFrameSize = 8191;  // aac_frame_length is 13 bits

using AdtsHeader = std::array<std::uint8_t, kAdtsHeaderSize>;

// The header for one raw frame of rawSize bytes. HE-AAC (object type 5 or
// 29) is written as its AAC-LC core at the core sample rate: decoders find
// SBR/PS in the payload (implicit signalling), which is how ADTS carries it.
Result<AdtsHeader> makeAdtsHeader(const media::AudioConfig& config, std::size_t rawSize);

}  // namespace ls::ts
