// CMAF-style initialization segment (ISO/IEC 14496-12, ISO/IEC 23000-19):
// ftyp + moov with one trak per track (H.264 avc1/avcC, AAC mp4a/esds), empty
// sample tables and mvex/trex, so every sample lives in movie fragments
// (fragment_builder.hpp). Sans-IO: returns bytes.
#pragma once

#include <cstdint>
#include <vector>

#include "core/status.hpp"
#include "media/core/frame.hpp"

namespace ls::fmp4 {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::uint32_t kVideoTrackId = 1;
inline constexpr std::uint32_t kAudioTrackId = 2;
inline constexpr std::uint32_t kVideoTimescale = 90000;  // audio: AudioConfig::sampleRate
// Decode times are (source ms + kTimelineOffsetMs) x timescale / 1000, so every rendition of a
// stream (one source timeline) has the same tfdt for the same frame, and slightly negative source
// timestamps stay >= 0.
inline constexpr std::int64_t kTimelineOffsetMs = 10'000;

// ftyp (major brand iso6; compatible iso6, cmfc, isom, mp41) + moov (mvhd, one
// trak per track given, mvex/trex). Video: avc1 + avcC with 4-byte NALU
// lengths (FragmentBuilder rewrites frames to match) from the config's
// SPS/PPS and profile/constraints/level (taken from the first SPS when the
// config's profileIdc is 0). Audio: mp4a + esds carrying the AAC
// AudioSpecificConfig (HE-AAC as its AAC-LC core, implicit SBR/PS), timescale
// sampleRate. At least one track; an error Status for unusable configs
// (no SPS/PPS, NALU length size outside 1..4, sample rate 0, channel
// configuration 0 or above 7, non-AAC object type).
Result<Bytes> writeInitSegment(const media::VideoConfig* video, const media::AudioConfig* audio);

}  // namespace ls::fmp4
