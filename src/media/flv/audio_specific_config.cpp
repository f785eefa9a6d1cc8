#include "media/flv/audio_specific_config.hpp"

#include <array>
#include <string>

#include "media/flv/bit_reader.hpp"

namespace ls::flv {
namespace {

constexpr std::uint32_t kExplicitFrequencyIndex = 15;
constexpr std::uint8_t kAotSbr = 5;
constexpr std::uint8_t kAotPs = 29;
constexpr std::uint32_t kSyncExtensionSbr = 0x2b7;
constexpr std::uint32_t kSyncExtensionPs = 0x548;

Status malformed(const std::string& what) {
  return invalidArgument("malformed AudioSpecificConfig: " + what);
}

// GetAudioObjectType(): 5 bits, 31 escapes to 32 + 6 more bits.
std::uint8_t readObjectType(BitReader& r) {
  std::uint32_t aot = r.bits(5);
  if (aot == 31) aot = 32 + r.bits(6);
  return static_cast<std::uint8_t>(aot);
}

struct Frequency {
  std::uint32_t index = 0;  // as coded (15 = explicit)
  std::uint32_t rate = 0;
};

Frequency readFrequency(BitReader& r) {
  Frequency f;
  f.index = r.bits(4);
  if (f.index == kExplicitFrequencyIndex) {
    f.rate = r.bits(24);
  } else {
    f.rate = aacSampleRateForIndex(f.index);
  }
  return f;
}

bool isPlainAac(std::uint8_t aot) {
  return aot >= 1 && aot <= 4;
}

// Backward-compatible explicit SBR/PS signalling: after the GASpecificConfig
// of a plain AAC config, a sync extension may announce SBR (0x2b7) and then
// PS (0x548). Non-HE-AAC decoders ignore these trailing bits, so a truncated
// or odd extension is ignored rather than rejected.
void readSyncExtension(BitReader& r, AacSpecificConfig& out) {
  r.skip(1);                 // frameLengthFlag
  if (r.flag()) r.skip(14);  // dependsOnCoreCoder -> coreCoderDelay
  if (r.flag()) return;      // extensionFlag: only defined for ER object types
  if (r.failed() || r.bitsLeft() < 16 || r.peek(11) != kSyncExtensionSbr) return;
  r.skip(11);
  if (readObjectType(r) != kAotSbr || !r.flag()) return;  // sbrPresentFlag
  const Frequency extension = readFrequency(r);
  if (r.failed() || extension.rate == 0) return;
  out.sbr = true;
  out.outputSampleRate = extension.rate;
  out.config.objectType = kAotSbr;
  if (r.bitsLeft() >= 12 && r.peek(11) == kSyncExtensionPs) {
    r.skip(11);
    if (r.flag()) {  // psPresentFlag
      out.ps = true;
      out.config.objectType = kAotPs;
    }
  }
}

}  // namespace

std::uint8_t aacSampleRateIndexFor(std::uint32_t sampleRate) {
  // Lower bounds of each index's range (ISO/IEC 14496-3 Table 4.82).
  static constexpr std::array<std::uint32_t, 11> kLowerBounds = {92017, 75132, 55426, 46009, 37566, 27713,
                                                                 23004, 18783, 13856, 11502, 9391};
  for (std::size_t i = 0; i < kLowerBounds.size(); ++i) {
    if (sampleRate >= kLowerBounds[i]) return static_cast<std::uint8_t>(i);
  }
  return 11;  // 8000
}

Result<AacSpecificConfig> parseAudioSpecificConfig(std::span<const std::uint8_t> asc) {
  BitReader r(asc);
  AacSpecificConfig out;
  const std::uint8_t aot = readObjectType(r);
  const Frequency frequency = readFrequency(r);
  const auto channels = static_cast<std::uint8_t>(r.bits(4));
  if (r.failed()) return malformed("truncated");
  if (aot == 0) return malformed("audio object type 0");
  if (frequency.rate == 0) return malformed("sampling frequency index " + std::to_string(frequency.index));

  out.config.objectType = aot;
  out.config.sampleRate = frequency.rate;
  out.config.sampleRateIndex = frequency.index == kExplicitFrequencyIndex ? aacSampleRateIndexFor(frequency.rate)
                                                                          : static_cast<std::uint8_t>(frequency.index);
  out.config.channels = channels;
  out.coreObjectType = aot;
  out.outputSampleRate = frequency.rate;

  if (aot == kAotSbr || aot == kAotPs) {
    // Explicit hierarchical signalling: the output rate, then the core type.
    const Frequency extension = readFrequency(r);
    out.coreObjectType = readObjectType(r);
    if (r.failed()) return malformed("truncated SBR extension");
    if (extension.rate == 0) return malformed("SBR sampling frequency index " + std::to_string(extension.index));
    out.sbr = true;
    out.ps = aot == kAotPs;
    out.outputSampleRate = extension.rate;
  } else if (isPlainAac(aot) && channels != 0) {
    // channelConfiguration 0 puts a program_config_element here, which we do
    // not walk; the sync extension after it is then left undetected.
    readSyncExtension(r, out);
  }
  return out;
}

Result<std::vector<std::uint8_t>> buildAudioSpecificConfig(const media::AudioConfig& config) {
  if (!isPlainAac(config.objectType)) return invalidArgument("only AAC object types 1..4 are written");
  if (config.channels > 15) return invalidArgument("channel configuration above 15");
  // An explicit frequency keeps a non-standard rate that parse mapped to the nearest index.
  const bool explicitRate = aacSampleRateForIndex(config.sampleRateIndex) != config.sampleRate;
  if (explicitRate && (config.sampleRate == 0 || config.sampleRate > 0xffffff)) {
    return invalidArgument("explicit sample rate out of range");
  }
  return media::writeAudioSpecificConfig(config.objectType, config);
}

}  // namespace ls::flv
