// H.264 byte-stream helpers for the encoder side: x264 (through libavcodec)
// writes Annex B (ISO/IEC 14496-10 Annex B, start-code delimited NAL units),
// while our sinks take AVCC access units (4-byte big-endian length prefixes,
// ISO/IEC 14496-15) and a VideoConfig carrying bare SPS/PPS. Pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/status.hpp"
#include "media/core/frame.hpp"

namespace ls::abr {

// Calls fn(nal) for each NAL unit of an Annex B buffer (3- or 4-byte start
// codes; trailing zero bytes of a unit belong to the next start code).
template <typename Fn>
void forEachAnnexBNal(std::span<const std::uint8_t> data, Fn&& fn);

// Rewrites an Annex B access unit as AVCC with 4-byte lengths into `out`
// (cleared first; its capacity is reused). Drops SPS, PPS and access unit
// delimiters: the TS muxer writes its own before every IDR from the config.
void annexBToAvcc(std::span<const std::uint8_t> annexB, std::vector<std::uint8_t>& out);

// The VideoConfig of an encoder from its global header (Annex B SPS + PPS):
// parameter sets, profile/constraints/level and picture size from the SPS,
// naluLengthSize 4. frameRate is left to the caller.
Result<media::VideoConfig> videoConfigFromAnnexB(std::span<const std::uint8_t> extradata);

// ---------------------------------------------------------------- details

template <typename Fn>
void forEachAnnexBNal(std::span<const std::uint8_t> data, Fn&& fn) {
  const std::size_t n = data.size();
  // Position just after the first start code.
  auto nextStart = [&](std::size_t from, std::size_t& codeAt) -> std::size_t {
    for (std::size_t i = from; i + 2 < n; ++i) {
      if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
        codeAt = i;
        return i + 3;
      }
    }
    codeAt = n;
    return n;
  };
  std::size_t codeAt = 0;
  std::size_t start = nextStart(0, codeAt);
  while (start < n) {
    std::size_t nextCode = n;
    const std::size_t after = nextStart(start, nextCode);
    std::size_t end = nextCode;
    while (end > start && data[end - 1] == 0) --end;  // zero_byte / trailing_zero_8bits
    if (end > start) fn(data.subspan(start, end - start));
    start = after;
  }
}

}  // namespace ls::abr
