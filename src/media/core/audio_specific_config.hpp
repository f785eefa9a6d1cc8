// The AAC AudioSpecificConfig (ISO/IEC 14496-3 clause 1.6.2.1) as bytes, for
// every writer that carries one: the FLV/RTMP sequence header (media_flv) and
// the fMP4 esds box (media_fmp4). Parsing it is media_flv's business.
#pragma once

#include <cstdint>
#include <vector>

#include "media/core/frame.hpp"

namespace ls::media {

// Table 1.18: sampling frequency for indices 0..12; 0 for the others.
std::uint32_t aacSampleRateForIndex(std::uint32_t index);

// object type (5 bits) | frequency index (4) [| frequency (24) when
// config.sampleRate is not the rate of config.sampleRateIndex] | channel
// configuration (4) | an all-zero GASpecificConfig (3). No validation: the
// caller has checked the object type (plain AAC, 1..4), the channels (< 16)
// and an explicit rate (1..2^24-1).
std::vector<std::uint8_t> writeAudioSpecificConfig(std::uint8_t objectType, const AudioConfig& config);

}  // namespace ls::media
