#include "media/flv/tag_writer.hpp"

#include "media/flv/audio_specific_config.hpp"
#include "media/flv/avc_decoder_config.hpp"
#include "media/flv/tag_parser.hpp"

namespace ls::flv {
namespace {

// SoundFormat AAC, 44 kHz, 16-bit, stereo: the fixed values the FLV spec
// asks for with AAC whatever the real format is.
constexpr std::uint8_t kAacAudioByte = 0xaf;

std::uint8_t videoByte(bool keyframe) {
  return static_cast<std::uint8_t>(((keyframe ? kFrameTypeKey : kFrameTypeInter) << 4) | kVideoCodecAvc);
}

void appendSi24(std::int32_t v, std::vector<std::uint8_t>& out) {
  const auto u = static_cast<std::uint32_t>(v);
  out.push_back(static_cast<std::uint8_t>(u >> 16));
  out.push_back(static_cast<std::uint8_t>(u >> 8));
  out.push_back(static_cast<std::uint8_t>(u));
}

}  // namespace

Status appendAvcSequenceHeaderBody(const media::VideoConfig& config, std::vector<std::uint8_t>& out) {
  Result<std::vector<std::uint8_t>> record = buildAvcDecoderConfigurationRecord(config);
  if (!record.ok()) return std::move(record).takeStatus();
  out.insert(out.end(), {videoByte(true), 0, 0, 0, 0});
  out.insert(out.end(), record->begin(), record->end());
  return Status::ok();
}

void appendAvcFrameBody(const media::VideoFrame& frame, std::vector<std::uint8_t>& out) {
  out.push_back(videoByte(frame.keyframe));
  out.push_back(1);
  appendSi24(frame.compositionOffset, out);
  out.insert(out.end(), frame.avcc.begin(), frame.avcc.end());
}

Status appendAacSequenceHeaderBody(const media::AudioConfig& config, std::vector<std::uint8_t>& out) {
  Result<std::vector<std::uint8_t>> asc = buildAudioSpecificConfig(config);
  if (!asc.ok()) return std::move(asc).takeStatus();
  out.insert(out.end(), {kAacAudioByte, 0});
  out.insert(out.end(), asc->begin(), asc->end());
  return Status::ok();
}

void appendAacFrameBody(std::span<const std::uint8_t> raw, std::vector<std::uint8_t>& out) {
  out.insert(out.end(), {kAacAudioByte, 1});
  out.insert(out.end(), raw.begin(), raw.end());
}

}  // namespace ls::flv
