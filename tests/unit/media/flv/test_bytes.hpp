// Byte helpers for the media codec tests (shared by tests/unit/media/flv and ts).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace ls::testing {

// "17 00 0a" or "17000a" -> bytes; spaces are ignored. Throws on bad digits
// (a typo in a test vector should fail loudly, not read as zeros).
inline std::vector<std::uint8_t> fromHex(std::string_view hex) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw std::invalid_argument("bad hex digit");
  };
  std::vector<std::uint8_t> out;
  int high = -1;
  for (const char c : hex) {
    if (c == ' ' || c == '\n') continue;
    const int d = digit(c);
    if (high < 0) {
      high = d;
    } else {
      out.push_back(static_cast<std::uint8_t>(high * 16 + d));
      high = -1;
    }
  }
  if (high >= 0) throw std::invalid_argument("odd number of hex digits");
  return out;
}

// MSB-first bit writer with Exp-Golomb codes, to build syntax structures
// (SPS, AudioSpecificConfig) field by field in tests.
class BitWriter {
 public:
  void bits(std::uint64_t value, unsigned n) {
    for (unsigned i = n; i-- > 0;) bit(((value >> i) & 1U) != 0);
  }
  void bit(bool b) {
    if (count_ % 8 == 0) bytes_.push_back(0);
    if (b) bytes_.back() = static_cast<std::uint8_t>(bytes_.back() | (0x80U >> (count_ % 8)));
    ++count_;
  }
  void ue(std::uint32_t v) {
    const std::uint64_t x = std::uint64_t{v} + 1;
    unsigned width = 0;
    while ((x >> width) > 1) ++width;
    bits(0, width);
    bits(x, width + 1);
  }
  void se(std::int32_t v) {
    ue(v > 0 ? static_cast<std::uint32_t>(2 * static_cast<std::int64_t>(v) - 1)
             : static_cast<std::uint32_t>(-2 * static_cast<std::int64_t>(v)));
  }
  // rbsp_trailing_bits(): a stop bit, then zeros to the byte boundary.
  void trailingBits() {
    bit(true);
    while (count_ % 8 != 0) bit(false);
  }
  [[nodiscard]] const std::vector<std::uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
  std::size_t count_ = 0;
};

}  // namespace ls::testing
