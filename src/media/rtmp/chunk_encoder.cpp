#include "media/rtmp/chunk_encoder.hpp"

#include <algorithm>

#include "media/rtmp/byte_io.hpp"

namespace ls::rtmp {
namespace {

constexpr std::uint32_t kTimestampExtended = 0xFFFFFF;
constexpr std::size_t kMaxMessageLength = 0xFFFFFF;

void putBasicHeader(std::vector<std::uint8_t>& out, std::uint32_t fmt, std::uint32_t csid) {
  if (csid < 64) {
    putU8(out, (fmt << 6) | csid);
  } else if (csid < 320) {
    putU8(out, fmt << 6);
    putU8(out, csid - 64);
  } else {
    putU8(out, (fmt << 6) | 1);
    putU8(out, (csid - 64) & 0xFF);
    putU8(out, (csid - 64) >> 8);
  }
}

}  // namespace

void ChunkEncoder::write(const OutboundHeader& header, std::span<const std::uint8_t> payload,
                         std::vector<std::uint8_t>& out) const {
  const std::uint32_t csid = std::clamp<std::uint32_t>(header.chunkStreamId, 2, 65599);
  if (payload.size() > kMaxMessageLength) payload = payload.first(kMaxMessageLength);
  const bool extended = header.timestamp >= kTimestampExtended;
  const std::size_t chunks = payload.empty() ? 1 : (payload.size() + chunkSize_ - 1) / chunkSize_;
  // Grow geometrically: an exact-size reserve per message would reallocate
  // and copy the whole queue on every small reply, which a client flooding
  // pings while reading nothing turns into quadratic work.
  const std::size_t needed = out.size() + payload.size() + 16 + chunks * (extended ? 7 : 3);
  if (needed > out.capacity()) out.reserve(std::max(needed, out.capacity() * 2));

  putBasicHeader(out, 0, csid);
  putBe24(out, extended ? kTimestampExtended : header.timestamp);
  putBe24(out, static_cast<std::uint32_t>(payload.size()));
  putU8(out, header.typeId);
  putLe32(out, header.messageStreamId);  // little-endian, spec 5.3.1.2.1
  if (extended) putBe32(out, header.timestamp);

  std::size_t pos = 0;
  while (true) {
    const std::size_t n = std::min<std::size_t>(chunkSize_, payload.size() - pos);
    putBytes(out, payload.subspan(pos, n));
    pos += n;
    if (pos >= payload.size()) break;
    putBasicHeader(out, 3, csid);
    if (extended) putBe32(out, header.timestamp);  // spec 5.3.1.3: repeated on type-3 chunks
  }
}

}  // namespace ls::rtmp
