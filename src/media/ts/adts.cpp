#include "media/ts/adts.hpp"

#include <string>

namespace ls::ts {
namespace {

constexpr std::uint8_t kAotSbr = 5;
constexpr std::uint8_t kAotPs = 29;
constexpr std::uint8_t kProfileLc = 1;
constexpr std::size_t kBufferFullnessVbr = 0x7ff;

}  // namespace

Result<AdtsHeader> makeAdtsHeader(const media::AudioConfig& config, std::size_t rawSize) {
  // ADTS profile is the MPEG-4 object type minus one, 2 bits: Main, LC, SSR, LTP.
  std::uint8_t profile = 0;
  if (config.objectType >= 1 && config.objectType <= 4) {
    profile = static_cast<std::uint8_t>(config.objectType - 1);
  } else if (config.objectType == kAotSbr || config.objectType == kAotPs) {
    profile = kProfileLc;
  } else {
    return invalidArgument("unsupported AAC object type " + std::to_string(config.objectType) + " for ADTS");
  }
  if (config.sampleRateIndex > 12) {
    return invalidArgument("AAC sampling frequency index " + std::to_string(config.sampleRateIndex) +
                           " has no ADTS code");
  }
  if (config.channels > 7) {
    return invalidArgument("AAC channel configuration " + std::to_string(config.channels) + " has no ADTS code");
  }
  const std::size_t frameLength = kAdtsHeaderSize + rawSize;
  if (frameLength > kMaxAdtsFrameSize) return invalidArgument("AAC frame too large for ADTS");

  AdtsHeader h;
  h[0] = 0xff;  // syncword 0xFFF ...
  h[1] = 0xf1;  // ... ID 0 (MPEG-4), layer 00, protection_absent 1
  h[2] = static_cast<std::uint8_t>((profile << 6) | (config.sampleRateIndex << 2) | (config.channels >> 2));
  h[3] = static_cast<std::uint8_t>((std::size_t{config.channels & 0x3U} << 6) | (frameLength >> 11));
  h[4] = static_cast<std::uint8_t>(frameLength >> 3);
  h[5] = static_cast<std::uint8_t>(((frameLength & 0x7) << 5) | (kBufferFullnessVbr >> 6));
  h[6] = static_cast<std::uint8_t>(((kBufferFullnessVbr & 0x3f) << 2));  // number_of_raw_data_blocks_in_frame 0
  return h;
}

}  // namespace ls::ts
