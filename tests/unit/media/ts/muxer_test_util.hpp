// Frame and config builders shared by the muxer tests.
#pragma once

#include <cstdint>
#include <vector>

#include "media/core/frame.hpp"
#include "unit/media/flv/test_bytes.hpp"

namespace ls::ts::testing {

using Nalu = std::vector<std::uint8_t>;

inline media::VideoConfig testVideoConfig(std::uint8_t naluLengthSize = 4) {
  media::VideoConfig config;
  config.sps = {ls::testing::fromHex("6764000dacd94141fb0110000003001000000303c0f1429960")};
  config.pps = {ls::testing::fromHex("68ebe3cb22c0")};
  config.naluLengthSize = naluLengthSize;
  config.profileIdc = 0x64;
  config.levelIdc = 0x0d;
  return config;
}

inline media::AudioConfig testAudioConfig() {
  media::AudioConfig config;
  config.objectType = 2;
  config.sampleRateIndex = 4;
  config.sampleRate = 44100;
  config.channels = 2;
  return config;
}

// NALUs -> AVCC (big-endian length prefixes of lengthSize bytes).
inline std::vector<std::uint8_t> toAvcc(const std::vector<Nalu>& nalus, std::size_t lengthSize = 4) {
  std::vector<std::uint8_t> out;
  for (const Nalu& n : nalus) {
    for (std::size_t i = lengthSize; i-- > 0;) out.push_back(static_cast<std::uint8_t>(n.size() >> (8 * i)));
    out.insert(out.end(), n.begin(), n.end());
  }
  return out;
}

// NALUs -> Annex B with 4-byte start codes.
inline std::vector<std::uint8_t> toAnnexB(const std::vector<Nalu>& nalus) {
  std::vector<std::uint8_t> out;
  for (const Nalu& n : nalus) {
    out.insert(out.end(), {0, 0, 0, 1});
    out.insert(out.end(), n.begin(), n.end());
  }
  return out;
}

inline const Nalu kAud = {0x09, 0xf0};

// A NALU of the given type and total size with a recognisable byte pattern.
inline Nalu makeNalu(std::uint8_t header, std::size_t size, std::uint8_t seed = 0) {
  Nalu n(size);
  n[0] = header;
  for (std::size_t i = 1; i < size; ++i) n[i] = static_cast<std::uint8_t>(i * 7 + seed);
  return n;
}

}  // namespace ls::ts::testing
