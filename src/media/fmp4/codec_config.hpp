// Private to media_fmp4: what the init segment and the fragment builder
// accept from a VideoConfig / AudioConfig, and the AAC AudioSpecificConfig
// written into esds.
#pragma once

#include <cstdint>
#include <vector>

#include "core/status.hpp"
#include "media/core/frame.hpp"

namespace ls::fmp4::detail {

// At least one SPS (>= 4 bytes: its profile/level bytes) and one PPS, at most
// 31 SPS and 255 PPS, each under 64 KiB; naluLengthSize 1..4.
Status checkVideoConfig(const media::VideoConfig& config);
// AAC object types 1..4, or 5/29 (HE-AAC, written as its core: implicit
// SBR/PS signalling, like the ADTS headers of media_ts); sampleRate 1..2^24-1
// (the audio timescale); channel configuration 1..7.
Status checkAudioConfig(const media::AudioConfig& config);

// ISO/IEC 14496-3 1.6.2.1: object type, frequency index (15 + 24-bit rate when
// sampleRate is not the rate of sampleRateIndex), channel configuration and an
// all-zero GASpecificConfig. Requires checkAudioConfig().
std::vector<std::uint8_t> audioSpecificConfig(const media::AudioConfig& config);
// Channels for the sample entry: channel configuration 7 is 7.1 (8 channels).
std::uint16_t channelCount(const media::AudioConfig& config);

}  // namespace ls::fmp4::detail
