// What flows from a media source to its sinks: codec configurations and
// access units. Timestamps are milliseconds on the source's 64-bit timeline
// (RTMP's 32-bit timestamps are unwrapped before they get here).
//
// Payload spans point into the producer's buffers and are valid only for the
// duration of the sink call; a sink that keeps a frame (e.g. a transcoder on
// another thread) copies it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ls::media {

struct VideoConfig {
  // Parameter sets without start codes or length prefixes.
  std::vector<std::vector<std::uint8_t>> sps;
  std::vector<std::vector<std::uint8_t>> pps;
  std::uint8_t naluLengthSize = 4;  // bytes of each NALU length prefix in VideoFrame::avcc
  std::uint8_t profileIdc = 0;
  std::uint8_t constraintFlags = 0;
  std::uint8_t levelIdc = 0;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  double frameRate = 0;  // from the SPS timing info or onMetaData; 0 when unknown

  // RFC 6381 codec string, e.g. "avc1.64001f".
  [[nodiscard]] std::string codecString() const;
};

struct AudioConfig {
  std::uint8_t objectType = 2;       // AAC audio object type (2 = LC)
  std::uint8_t sampleRateIndex = 4;  // ISO/IEC 14496-3 sampling frequency index
  std::uint32_t sampleRate = 44100;
  std::uint8_t channels = 2;         // channel configuration

  // RFC 6381 codec string, e.g. "mp4a.40.2".
  [[nodiscard]] std::string codecString() const;
};

// Bit rates the publisher declares before sending media (RTMP onMetaData
// videodatarate/audiodatarate); 0 when not declared. Only a first figure for
// the master playlist: measured rates replace it.
struct DeclaredRates {
  std::uint64_t videoBitsPerSecond = 0;
  std::uint64_t audioBitsPerSecond = 0;
};

struct VideoFrame {
  std::int64_t dts = 0;                // ms
  std::int32_t compositionOffset = 0;  // ms; pts = dts + compositionOffset
  bool keyframe = false;
  std::span<const std::uint8_t> avcc;  // NALUs, each with a naluLengthSize-byte big-endian length

  [[nodiscard]] std::int64_t pts() const { return dts + compositionOffset; }
};

struct AudioFrame {
  std::int64_t pts = 0;               // ms
  std::span<const std::uint8_t> raw;  // one raw AAC frame (no ADTS header)
};

}  // namespace ls::media
