#include "media/fmp4/codec_config.hpp"

#include <string>

#include "media/core/audio_specific_config.hpp"

namespace ls::fmp4::detail {
namespace {

constexpr std::uint8_t kAotSbr = 5;
constexpr std::uint8_t kAotPs = 29;
constexpr std::uint8_t kAotLc = 2;
constexpr std::size_t kMaxParameterSet = 0xffff;

Status checkParameterSets(const std::vector<std::vector<std::uint8_t>>& sets, std::size_t maxCount, std::size_t minSize,
                          const char* what) {
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
  return media::writeAudioSpecificConfig(objectType, config);
}

std::uint16_t channelCount(const media::AudioConfig& config) {
  return config.channels == 7 ? 8 : config.channels;
}

}  // namespace ls::fmp4::detail
