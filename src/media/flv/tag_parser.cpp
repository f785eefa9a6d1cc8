#include "media/flv/tag_parser.hpp"

#include <string>

#include "media/flv/audio_specific_config.hpp"
#include "media/flv/avc_decoder_config.hpp"
#include "media/flv/byte_reader.hpp"

namespace ls::flv {
namespace {

constexpr std::uint8_t kAvcSequenceHeader = 0;
constexpr std::uint8_t kAvcNalu = 1;
constexpr std::uint8_t kAvcEndOfSequence = 2;
constexpr std::uint8_t kAacSequenceHeader = 0;
constexpr std::uint8_t kAacRaw = 1;
// Enhanced RTMP (veovera.org enhanced-rtmp v1): bit 7 of the first video
// byte announces an ExVideoTagHeader with a FourCC (OBS sends 'hvc1' and
// 'av01' this way) and SoundFormat 9 an ExAudioTagHeader.
constexpr std::uint8_t kVideoExHeaderBit = 0x80;
constexpr std::uint8_t kSoundFormatExHeader = 9;

std::string fourCcName(std::span<const std::uint8_t> b) {
  std::string s;
  for (const std::uint8_t c : b) s.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
  return s;
}

// SI24: the composition time offset in milliseconds.
std::int32_t signExtend24(std::uint32_t v) {
  return static_cast<std::int32_t>(v & 0x800000U ? v | 0xff000000U : v);
}

}  // namespace

Result<VideoTag> parseVideoTag(std::span<const std::uint8_t> body, std::int64_t timestampMs) {
  ByteReader r(body);
  const std::uint8_t first = r.u8();
  if (!r.ok()) return invalidArgument("empty FLV video tag");
  VideoTag tag;
  if ((first & kVideoExHeaderBit) != 0) {
    const auto fourCc = r.bytes(4);
    return invalidArgument("unsupported video codec: enhanced RTMP FourCC '" + fourCcName(fourCc) + "'");
  }
  tag.frameType = static_cast<std::uint8_t>(first >> 4);
  const std::uint8_t codecId = first & 0x0f;
  if (tag.frameType == kFrameTypeInfo) {
    // Carries a one-byte command (seek start/end), whatever the codec.
    tag.kind = VideoTagKind::kInfo;
    return tag;
  }
  if (tag.frameType < kFrameTypeKey || tag.frameType > kFrameTypeGeneratedKey) {
    return invalidArgument("malformed FLV video tag: frame type " + std::to_string(tag.frameType));
  }
  if (codecId != kVideoCodecAvc) {
    return invalidArgument("unsupported video codec id " + std::to_string(codecId) + " (only H.264, id 7)");
  }
  const std::uint8_t packetType = r.u8();
  const std::int32_t compositionTime = signExtend24(r.u24());
  if (!r.ok()) return invalidArgument("malformed FLV video tag: AVC header shorter than 5 bytes");

  switch (packetType) {
    case kAvcSequenceHeader: {
      Result<media::VideoConfig> config = parseAvcDecoderConfigurationRecord(r.rest());
      if (!config.ok()) return std::move(config).takeStatus();
      tag.kind = VideoTagKind::kSequenceHeader;
      tag.config = std::move(config).value();
      return tag;
    }
    case kAvcNalu:
      if (r.remaining() == 0) return invalidArgument("malformed FLV video tag: AVC frame without NAL units");
      tag.kind = VideoTagKind::kFrame;
      tag.frame.dts = timestampMs;
      tag.frame.compositionOffset = compositionTime;
      tag.frame.keyframe = tag.frameType == kFrameTypeKey || tag.frameType == kFrameTypeGeneratedKey;
      tag.frame.avcc = r.rest();
      return tag;
    case kAvcEndOfSequence: tag.kind = VideoTagKind::kEndOfSequence; return tag;
    default: return invalidArgument("malformed FLV video tag: AVCPacketType " + std::to_string(packetType));
  }
}

Result<AudioTag> parseAudioTag(std::span<const std::uint8_t> body, std::int64_t timestampMs) {
  ByteReader r(body);
  const std::uint8_t first = r.u8();
  if (!r.ok()) return invalidArgument("empty FLV audio tag");
  const auto soundFormat = static_cast<std::uint8_t>(first >> 4);
  if (soundFormat == kSoundFormatExHeader) {
    return invalidArgument("unsupported audio codec: enhanced RTMP audio");
  }
  if (soundFormat != kSoundFormatAac) {
    return invalidArgument("unsupported audio codec: sound format " + std::to_string(soundFormat) + " (only AAC, 10)");
  }
  // SoundRate/SoundSize/SoundType are fixed for AAC and ignored by players;
  // the AudioSpecificConfig is authoritative.
  const std::uint8_t packetType = r.u8();
  if (!r.ok()) return invalidArgument("malformed FLV audio tag: missing AACPacketType");

  AudioTag tag;
  switch (packetType) {
    case kAacSequenceHeader: {
      Result<AacSpecificConfig> asc = parseAudioSpecificConfig(r.rest());
      if (!asc.ok()) return std::move(asc).takeStatus();
      tag.kind = AudioTagKind::kSequenceHeader;
      tag.config = asc->config;
      return tag;
    }
    case kAacRaw:
      if (r.remaining() == 0) return invalidArgument("malformed FLV audio tag: empty AAC frame");
      tag.kind = AudioTagKind::kFrame;
      tag.frame.pts = timestampMs;
      tag.frame.raw = r.rest();
      return tag;
    default: return invalidArgument("malformed FLV audio tag: AACPacketType " + std::to_string(packetType));
  }
}

}  // namespace ls::flv
