// Transport stream packets (ISO/IEC 13818-1 clause 2.4.3.2 - 2.4.3.5): the
// 4-byte header, the adaptation field (PCR, random access, stuffing) and a
// packetizer that spreads one PES over as many 188-byte packets as it needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "media/ts/ts_bytes.hpp"

namespace ls::ts {

inline constexpr std::size_t kPacketSize = 188;
inline constexpr std::size_t kPacketHeaderSize = 4;
inline constexpr std::size_t kMaxPayloadSize = kPacketSize - kPacketHeaderSize;
inline constexpr std::uint8_t kSyncByte = 0x47;

// Grows out so that `extra` more bytes fit, doubling like push_back would:
// reserving exactly the next frame's size would reallocate on every frame.
void ensureCapacity(TsBytes& out, std::size_t extra);

struct FirstPacketFlags {
  bool randomAccess = false;             // random_access_indicator (an IDR, or an audio frame)
  std::optional<std::uint64_t> pcrBase;  // 90 kHz, 33 bits; written with extension 0
};

// Writes one PES as TS packets on one PID: payload_unit_start_indicator on
// the first packet, the adaptation field flags there, stuffing in the last.
// The PES size must be known up front so the stuffing lands in the right
// packet; bytes are copied straight from the caller's pieces into packets.
class PesPacketizer {
 public:
  PesPacketizer(TsBytes& out, std::uint16_t pid, std::uint8_t& continuityCounter, std::size_t pesSize,
                const FirstPacketFlags& flags);

  // Upper bound on the bytes pesSize bytes of PES need in TS packets.
  static std::size_t maxPacketBytes(std::size_t pesSize);

  void write(std::span<const std::uint8_t> bytes);
  // All pesSize bytes were written (and nothing more).
  [[nodiscard]] bool complete() const noexcept { return remaining_ == 0 && spaceLeft_ == 0; }

 private:
  void openPacket();

  TsBytes& out_;
  std::uint16_t pid_;
  std::uint8_t& continuityCounter_;
  FirstPacketFlags flags_;
  bool first_ = true;
  std::size_t remaining_;      // PES bytes not yet placed in an opened packet
  std::size_t cursor_ = 0;     // offset in out_ of the next payload byte
  std::size_t spaceLeft_ = 0;  // payload bytes left in the current packet
};

// Appends one packet holding a single PSI section (pointer_field 0), padded with 0xFF.
void appendSectionPacket(TsBytes& out, std::uint16_t pid, std::uint8_t& continuityCounter,
                         std::span<const std::uint8_t> section);

}  // namespace ls::ts
