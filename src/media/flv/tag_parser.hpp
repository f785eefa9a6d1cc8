// FLV audio and video tag bodies (Adobe FLV spec v10.1, annex E.4.2 / E.4.3):
// the payload of RTMP audio (8) and video (9) messages and of FLV file tags.
// Only H.264 (CodecID 7) and AAC (SoundFormat 10) are supported; anything
// else is an error whose message starts with "unsupported".
//
// Parsing is stateless and zero-copy: frame payload spans point into the
// body passed in. Sequence headers copy their parameter sets (once per
// stream, not per frame).
#pragma once

#include <cstdint>
#include <span>

#include "core/status.hpp"
#include "media/core/frame.hpp"

namespace ls::flv {

inline constexpr std::uint8_t kVideoCodecAvc = 7;
inline constexpr std::uint8_t kSoundFormatAac = 10;

// FLV FrameType values (upper nibble of the first video byte).
inline constexpr std::uint8_t kFrameTypeKey = 1;
inline constexpr std::uint8_t kFrameTypeInter = 2;
inline constexpr std::uint8_t kFrameTypeDisposableInter = 3;
inline constexpr std::uint8_t kFrameTypeGeneratedKey = 4;
inline constexpr std::uint8_t kFrameTypeInfo = 5;

enum class VideoTagKind {
  kSequenceHeader,  // AVCPacketType 0: config is set
  kFrame,           // AVCPacketType 1: frame is set
  kEndOfSequence,   // AVCPacketType 2: the publisher ends the stream
  kInfo,            // FrameType 5: a video info/command frame, no picture
};

struct VideoTag {
  VideoTagKind kind = VideoTagKind::kFrame;
  std::uint8_t frameType = 0;
  media::VideoConfig config;  // kSequenceHeader only
  media::VideoFrame frame;    // kFrame only; frame.avcc points into the body
};

// timestampMs is the tag's (unwrapped) timestamp; it becomes frame.dts.
Result<VideoTag> parseVideoTag(std::span<const std::uint8_t> body, std::int64_t timestampMs);

enum class AudioTagKind {
  kSequenceHeader,  // AACPacketType 0: config is set
  kFrame,           // AACPacketType 1: frame is set
};

struct AudioTag {
  AudioTagKind kind = AudioTagKind::kFrame;
  media::AudioConfig config;  // kSequenceHeader only
  media::AudioFrame frame;    // kFrame only; frame.raw points into the body
};

Result<AudioTag> parseAudioTag(std::span<const std::uint8_t> body, std::int64_t timestampMs);

}  // namespace ls::flv
