// MPEG-TS muxer for HLS segments (ISO/IEC 13818-1): one program, H.264 on
// PID 0x100 and ADTS AAC on PID 0x101, PMT on 0x1000. Sans-IO: every call
// appends whole 188-byte packets to a caller-owned buffer.
//
// Per frame it copies payload bytes once, from the frame's AVCC/raw span
// straight into TS packet payloads (rewriting NALU length prefixes to Annex B
// start codes on the way), and allocates nothing once the caller's buffer
// has grown to a segment's size. Continuity counters live in the muxer, so
// one muxer per rendition keeps them running across segments.
//
// Not thread-safe; owned by the loop that owns the rendition's packager.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/status.hpp"
#include "media/core/frame.hpp"
#include "media/ts/ts_bytes.hpp"

namespace ls::ts {

struct MuxerOptions {
  bool hasVideo = true;
  bool hasAudio = true;
};

class Muxer {
 public:
  explicit Muxer(MuxerOptions options);

  // SPS/PPS are inserted before every IDR (and every FLV keyframe) unless
  // the frame carries its own SPS. A config whose naluLengthSize is not
  // 1..4 makes writeVideo fail until a valid one arrives.
  void setVideoConfig(const media::VideoConfig& config);
  // Used to build ADTS headers.
  void setAudioConfig(const media::AudioConfig& config);

  // Appends PAT and PMT; called at the start of each segment. The next frame
  // on the PCR PID carries a PCR.
  void writeTables(TsBytes& out);

  // Appends the TS packets of one access unit: PES with PTS (and DTS when it
  // differs), PCR on the video PID at least every 100 ms and on keyframes,
  // random_access_indicator on keyframes, AUD + SPS/PPS before IDRs, NALUs
  // as Annex B. Fails on malformed NALU lengths, leaving out unchanged.
  Status writeVideo(const media::VideoFrame& frame, TsBytes& out);
  // ADTS header + raw frame in one PES (PCR on the audio PID when there is no video).
  Status writeAudio(const media::AudioFrame& frame, TsBytes& out);

 private:
  struct PcrClock {
    std::optional<std::int64_t> lastPcrMs;
    std::optional<std::int64_t> lastFrameMs;
    bool forceNext = true;
    // Decides whether the frame at ms carries a PCR and records it.
    bool take(std::int64_t ms, bool keyframe);
  };

  MuxerOptions options_;
  std::uint16_t pcrPid_;
  // The tables never change for a muxer; built once, copied per segment.
  std::vector<std::uint8_t> patSection_;
  std::vector<std::uint8_t> pmtSection_;
  // SPS and PPS, each behind a 4-byte start code, ready to copy before an IDR.
  std::vector<std::uint8_t> parameterSets_;
  std::uint8_t naluLengthSize_ = 0;  // 0: no usable video config yet
  std::optional<media::AudioConfig> audioConfig_;
  PcrClock pcr_;
  std::uint8_t patCounter_ = 0;
  std::uint8_t pmtCounter_ = 0;
  std::uint8_t videoCounter_ = 0;
  std::uint8_t audioCounter_ = 0;
};

}  // namespace ls::ts
