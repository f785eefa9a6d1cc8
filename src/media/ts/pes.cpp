#include "media/ts/pes.hpp"

namespace ls::ts {
namespace {

constexpr std::uint64_t kTimestampMask = (std::uint64_t{1} << 33) - 1;
constexpr std::uint8_t kPtsOnlyPrefix = 0x2;    // '0010'
constexpr std::uint8_t kPtsOfPairPrefix = 0x3;  // '0011'
constexpr std::uint8_t kDtsPrefix = 0x1;        // '0001'

// 4-bit prefix, then the 33 bits in 3 + 15 + 15 bit groups each followed by a marker bit.
void writeTimestamp(std::uint8_t* p, std::uint8_t prefix, std::uint64_t ts) {
  p[0] = static_cast<std::uint8_t>((std::uint64_t{prefix} << 4) | ((ts >> 29) & 0x0e) | 1);
  p[1] = static_cast<std::uint8_t>(ts >> 22);
  p[2] = static_cast<std::uint8_t>(((ts >> 14) & 0xfe) | 1);
  p[3] = static_cast<std::uint8_t>(ts >> 7);
  p[4] = static_cast<std::uint8_t>(((ts << 1) & 0xfe) | 1);
}

}  // namespace

std::uint64_t to90kHz(std::int64_t ms, std::int64_t offset90k) {
  // Unsigned arithmetic wraps modulo 2^64, a multiple of 2^33, so negative
  // values and overflow both end up as the right residue after the mask.
  return (static_cast<std::uint64_t>(ms) * 90U + static_cast<std::uint64_t>(offset90k)) & kTimestampMask;
}

PesHeader makePesHeader(std::uint8_t streamId, std::size_t payloadSize, std::uint64_t pts,
                        std::optional<std::uint64_t> dts) {
  if (dts && *dts == pts) dts.reset();
  PesHeader h;
  std::uint8_t* p = h.bytes.data();
  const std::size_t headerDataLength = dts ? 10 : 5;
  const std::size_t packetLength = 3 + headerDataLength + payloadSize;
  const std::size_t codedLength = packetLength > 0xffff ? 0 : packetLength;
  p[0] = 0;
  p[1] = 0;
  p[2] = 1;
  p[3] = streamId;
  p[4] = static_cast<std::uint8_t>(codedLength >> 8);
  p[5] = static_cast<std::uint8_t>(codedLength);
  // '10', not scrambled, no priority, data_alignment_indicator = 1 (each
  // PES starts with an access unit), not copyrighted, copy.
  p[6] = 0x84;
  p[7] = dts ? 0xc0 : 0x80;  // PTS_DTS_flags
  p[8] = static_cast<std::uint8_t>(headerDataLength);
  writeTimestamp(p + 9, dts ? kPtsOfPairPrefix : kPtsOnlyPrefix, pts);
  if (dts) writeTimestamp(p + 14, kDtsPrefix, *dts);
  h.size = 9 + headerDataLength;
  return h;
}

}  // namespace ls::ts
