#include "media/core/audio_specific_config.hpp"

#include <array>

namespace ls::media {

namespace {
constexpr std::array<std::uint32_t, 13> kSampleRates = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                                        22050, 16000, 12000, 11025, 8000,  7350};
constexpr std::uint32_t kExplicitFrequencyIndex = 15;
}  // namespace

std::uint32_t aacSampleRateForIndex(std::uint32_t index) {
  return index < kSampleRates.size() ? kSampleRates[index] : 0;
}

std::vector<std::uint8_t> writeAudioSpecificConfig(std::uint8_t objectType, const AudioConfig& config) {
  const bool explicitRate = aacSampleRateForIndex(config.sampleRateIndex) != config.sampleRate;
  std::uint64_t bits = objectType;
  unsigned count = 5;
  bits = (bits << 4) | (explicitRate ? kExplicitFrequencyIndex : config.sampleRateIndex);
  count += 4;
  if (explicitRate) {
    bits = (bits << 24) | config.sampleRate;
    count += 24;
  }
  bits = (bits << 4) | config.channels;
  count += 4;
  bits <<= 3;
  count += 3;
  const unsigned bytes = (count + 7) / 8;
  bits <<= bytes * 8 - count;
  std::vector<std::uint8_t> out(bytes);
  for (unsigned i = 0; i < bytes; ++i) out[i] = static_cast<std::uint8_t>(bits >> (8 * (bytes - 1 - i)));
  return out;
}

}  // namespace ls::media
