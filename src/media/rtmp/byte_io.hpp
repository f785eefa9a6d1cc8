// Big-endian (network order) integer helpers for the RTMP wire format. RTMP
// is big-endian everywhere except the message stream id of a type-0 chunk
// header, which is little-endian (RTMP spec 5.3.1.2.1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ls::rtmp {

inline std::uint32_t readBe16(const std::uint8_t* p) {
  return (static_cast<std::uint32_t>(p[0]) << 8) | p[1];
}
inline std::uint32_t readBe24(const std::uint8_t* p) {
  return (static_cast<std::uint32_t>(p[0]) << 16) | (static_cast<std::uint32_t>(p[1]) << 8) | p[2];
}
inline std::uint32_t readBe32(const std::uint8_t* p) {
  return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
         (static_cast<std::uint32_t>(p[2]) << 8) | p[3];
}
inline std::uint32_t readLe32(const std::uint8_t* p) {
  return (static_cast<std::uint32_t>(p[3]) << 24) | (static_cast<std::uint32_t>(p[2]) << 16) |
         (static_cast<std::uint32_t>(p[1]) << 8) | p[0];
}
inline std::uint64_t readBe64(const std::uint8_t* p) {
  return (static_cast<std::uint64_t>(readBe32(p)) << 32) | readBe32(p + 4);
}

inline void putU8(std::vector<std::uint8_t>& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
}
inline void putBe16(std::vector<std::uint8_t>& out, std::uint32_t v) {
  putU8(out, v >> 8);
  putU8(out, v);
}
inline void putBe24(std::vector<std::uint8_t>& out, std::uint32_t v) {
  putU8(out, v >> 16);
  putU8(out, v >> 8);
  putU8(out, v);
}
inline void putBe32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  putU8(out, v >> 24);
  putU8(out, v >> 16);
  putU8(out, v >> 8);
  putU8(out, v);
}
inline void putLe32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  putU8(out, v);
  putU8(out, v >> 8);
  putU8(out, v >> 16);
  putU8(out, v >> 24);
}
inline void putBe64(std::vector<std::uint8_t>& out, std::uint64_t v) {
  putBe32(out, static_cast<std::uint32_t>(v >> 32));
  putBe32(out, static_cast<std::uint32_t>(v));
}
inline void putBytes(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

}  // namespace ls::rtmp
