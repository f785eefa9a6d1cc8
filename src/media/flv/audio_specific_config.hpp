// AAC AudioSpecificConfig (ISO/IEC 14496-3 clause 1.6.2.1): the body of an
// FLV/RTMP AAC sequence header.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/status.hpp"
#include "media/core/audio_specific_config.hpp"
#include "media/core/frame.hpp"

namespace ls::flv {

struct AacSpecificConfig {
  // objectType is the signalled type (5 = SBR/HE-AAC, 29 = PS/HE-AACv2, else
  // the core type) so that codecString() is right; sampleRateIndex,
  // sampleRate and channels describe the core AAC stream, which is what ADTS
  // headers carry (decoders find SBR/PS in the payload: implicit signalling).
  // An explicit frequency (index 15) keeps its exact value in sampleRate and
  // gets the nearest standard index (Table 4.82) in sampleRateIndex.
  media::AudioConfig config;
  std::uint8_t coreObjectType = 2;  // the AAC object type under SBR/PS
  bool sbr = false;
  bool ps = false;
  std::uint32_t outputSampleRate = 0;  // after SBR upsampling; the core rate without SBR
};

Result<AacSpecificConfig> parseAudioSpecificConfig(std::span<const std::uint8_t> asc);

// Two bytes for AAC Main/LC/SSR/LTP (object types 1..4) at a standard
// frequency; the 24-bit explicit frequency when sampleRate is not the rate
// of sampleRateIndex.
Result<std::vector<std::uint8_t>> buildAudioSpecificConfig(const media::AudioConfig& config);

using media::aacSampleRateForIndex;  // Table 1.18
// Table 4.82: the standard index whose range contains an arbitrary frequency.
std::uint8_t aacSampleRateIndexFor(std::uint32_t sampleRate);

}  // namespace ls::flv
