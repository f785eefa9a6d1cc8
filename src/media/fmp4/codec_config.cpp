#include "media/fmp4/codec_config.hpp"

#include <array>
#include <string>

namespace ls::fmp4::detail {
namespace {

constexpr std::array<std::uint32_t, 13> kSampleRates = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                                        22050, 16000, 12000, 11025, 8000,  7350};
constexpr std::uint8_t kAotSbr = 5;
constexpr std::uint8_t kAotPs = 29;
constexpr std::uint8_t kAotLc = 2;
constexpr std::uint32_t kExplicitFrequencyIndex = 15;
constexpr std::size_t kMaxParameterSet = 0xffff;

std::uint32_t rateOfIndex(std::uint32_t index) {
  return index < kSampleRates.size() ? kSampleRates[index] : 0;
}

Status checkParameterSets(const std::vector<std::vector<std::uint8_t>>& sets, std::size_t maxCount,
                          std::size_t minSize, const char* what) {
  if (sets.empty()) return invalidArgument(std::string("H.264 config without ") + what);
  if (sets.size() > maxCount) return invalidArgument(std::string("too many ") + what + " in the H.264 config");
  for (const auto& set : sets) {
    if (set.size() < minSize || set.size() > kMaxParameterSet) {
      return invalidArgument(std::string("H.264 ") + what + " of " + std::to_string(set.size()) + " bytes");
    }
  }
  return Status::ok();
}

}  // namespace

Status checkVideoConfig(const media::VideoConfig& config) {
  if (config.naluLengthSize < 1 || config.naluLengthSize > 4) {
    return invalidArgument("NALU length size " + std::to_string(config.naluLengthSize) + " (want 1..4)");
  }
  LS_RETURN_IF_ERROR(checkParameterSets(config.sps, 31, 4, "SPS"));
  return checkParameterSets(config.pps, 255, 1, "PPS");
}

Status checkAudioConfig(const media::AudioConfig& config) {
  const bool plain = config.objectType >= 1 && config.objectType <= 4;
  if (!plain && config.objectType != kAotSbr && config.objectType != kAotPs) {
    return invalidArgument("unsupported AAC object type " + std::to_string(config.objectType));
  }
  if (config.sampleRate == 0 || config.sampleRate > 0xffffff) {
    return invalidArgument("AAC sample rate " + std::to_string(config.sampleRate));
  }
  if (config.channels < 1 || config.channels > 7) {
    return invalidArgument("AAC channel configuration " + std::to_string(config.channels) + " (want 1..7)");
  }
  return Status::ok();
}

std::vector<std::uint8_t> audioSpecificConfig(const media::AudioConfig& config) {
  const std::uint8_t objectType =
      (config.objectType == kAotSbr || config.objectType == kAotPs) ? kAotLc : config.objectType;
  const bool explicitRate = rateOfIndex(config.sampleRateIndex) != config.sampleRate;
  // object type (5) | frequency index (4) [| frequency (24)] | channels (4) | GASpecificConfig (3 zero bits)
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

std::uint16_t channelCount(const media::AudioConfig& config) {
  return config.channels == 7 ? 8 : config.channels;
}

}  // namespace ls::fmp4::detail
