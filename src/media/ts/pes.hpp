// PES packet headers (ISO/IEC 13818-1 clause 2.4.3.6) and the millisecond
// to 90 kHz timestamp mapping.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace ls::ts {

inline constexpr std::uint8_t kStreamIdVideo = 0xe0;
inline constexpr std::uint8_t kStreamIdAudio = 0xc0;
inline constexpr std::size_t kMaxPesHeaderSize = 19;  // 9 fixed bytes + PTS + DTS

// Added to every PTS/DTS so that a slightly negative source timestamp (a
// B-frame stream whose first DTS is below 0) still maps to a positive value.
inline constexpr std::int64_t kTimestampOffset90k = 90000;  // 1 s
// The PCR runs this far behind the DTS of the frame that carries it: the
// decoder model gets some buffering time instead of a frame due on arrival.
inline constexpr std::int64_t kPcrLead90k = 45000;  // 0.5 s

// ms on the source timeline -> 33-bit 90 kHz clock, offset, wrapped.
std::uint64_t to90kHz(std::int64_t ms, std::int64_t offset90k = kTimestampOffset90k);

struct PesHeader {
  std::array<std::uint8_t, kMaxPesHeaderSize> bytes{};
  std::size_t size = 0;
};

// payloadSize counts the elementary stream bytes after the header; when the
// resulting PES_packet_length would not fit 16 bits it is written as 0
// ("unbounded", allowed for video only; the caller guarantees that).
// dts is written only when it differs from pts.
PesHeader makePesHeader(std::uint8_t streamId, std::size_t payloadSize, std::uint64_t pts,
                        std::optional<std::uint64_t> dts);

}  // namespace ls::ts
