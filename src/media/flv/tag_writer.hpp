// Builds FLV audio/video tag bodies from configs and frames: the inverse of
// tag_parser, for tests, fixtures and the load generator.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/status.hpp"
#include "media/core/frame.hpp"

namespace ls::flv {

// 0x17 0x00 + 3-byte composition time 0 + AVCDecoderConfigurationRecord.
Status appendAvcSequenceHeaderBody(const media::VideoConfig& config, std::vector<std::uint8_t>& out);
// 0x17/0x27 0x01 + SI24 composition offset + frame.avcc.
void appendAvcFrameBody(const media::VideoFrame& frame, std::vector<std::uint8_t>& out);
// 0xAF 0x00 + AudioSpecificConfig.
Status appendAacSequenceHeaderBody(const media::AudioConfig& config, std::vector<std::uint8_t>& out);
// 0xAF 0x01 + raw AAC frame.
void appendAacFrameBody(std::span<const std::uint8_t> raw, std::vector<std::uint8_t>& out);

}  // namespace ls::flv
