#include "media/flv/avc_decoder_config.hpp"

#include <string>

#include "media/flv/byte_reader.hpp"
#include "media/flv/h264_sps.hpp"

namespace ls::flv {
namespace {

Status malformed(const std::string& what) {
  return invalidArgument("malformed AVC sequence header: " + what);
}

// Reads count (length16, bytes) parameter sets.
Status readParameterSets(ByteReader& r, unsigned count, const char* kind, std::vector<std::vector<std::uint8_t>>& out) {
  out.reserve(count);
  for (unsigned i = 0; i < count; ++i) {
    const std::uint16_t length = r.u16();
    const auto bytes = r.bytes(length);
    if (!r.ok()) return malformed(std::string("truncated ") + kind);
    if (length == 0) return malformed(std::string("empty ") + kind);
    out.emplace_back(bytes.begin(), bytes.end());
  }
  return Status::ok();
}

void appendU16(std::vector<std::uint8_t>& out, std::size_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

}  // namespace

Result<media::VideoConfig> parseAvcDecoderConfigurationRecord(std::span<const std::uint8_t> record) {
  ByteReader r(record);
  const std::uint8_t version = r.u8();
  media::VideoConfig config;
  config.profileIdc = r.u8();
  config.constraintFlags = r.u8();
  config.levelIdc = r.u8();
  const std::uint8_t lengthSizeByte = r.u8();
  const std::uint8_t spsCountByte = r.u8();
  if (!r.ok()) return malformed("record shorter than its fixed fields");
  if (version != 1) return malformed("configurationVersion " + std::to_string(version));
  // lengthSizeMinusOne is 2 bits, so 1..4; 3 is not allowed by the spec but
  // costs nothing to support in the Annex B rewrite.
  config.naluLengthSize = static_cast<std::uint8_t>((lengthSizeByte & 0x03) + 1);
  LS_RETURN_IF_ERROR(readParameterSets(r, spsCountByte & 0x1fU, "SPS", config.sps));
  const std::uint8_t ppsCount = r.u8();
  if (!r.ok()) return malformed("missing numOfPictureParameterSets");
  LS_RETURN_IF_ERROR(readParameterSets(r, ppsCount, "PPS", config.pps));
  // The High-profile extension (chroma format, bit depths, SPS extensions)
  // may follow; encoders often leave it out and nothing here needs it.

  if (!config.sps.empty()) {
    // Best effort: the remux path does not need the size, playlists do.
    (void)applySpsToVideoConfig(config);
  }
  return config;
}

Result<std::vector<std::uint8_t>> buildAvcDecoderConfigurationRecord(const media::VideoConfig& config) {
  if (config.sps.empty() || config.sps.size() > 31) return invalidArgument("AVC record needs 1..31 SPS");
  if (config.pps.size() > 255) return invalidArgument("AVC record allows at most 255 PPS");
  if (config.naluLengthSize != 1 && config.naluLengthSize != 2 && config.naluLengthSize != 4) {
    return invalidArgument("naluLengthSize must be 1, 2 or 4");
  }
  std::vector<std::uint8_t> out{1,
                                config.profileIdc,
                                config.constraintFlags,
                                config.levelIdc,
                                static_cast<std::uint8_t>(0xfc | (config.naluLengthSize - 1)),
                                static_cast<std::uint8_t>(0xe0 | config.sps.size())};
  for (const auto& sps : config.sps) {
    if (sps.empty() || sps.size() > 0xffff) return invalidArgument("SPS size out of range");
    appendU16(out, sps.size());
    out.insert(out.end(), sps.begin(), sps.end());
  }
  out.push_back(static_cast<std::uint8_t>(config.pps.size()));
  for (const auto& pps : config.pps) {
    if (pps.empty() || pps.size() > 0xffff) return invalidArgument("PPS size out of range");
    appendU16(out, pps.size());
    out.insert(out.end(), pps.begin(), pps.end());
  }
  return out;
}

}  // namespace ls::flv
