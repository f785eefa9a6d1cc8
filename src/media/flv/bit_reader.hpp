// MSB-first bit reader for H.264 RBSPs and AAC AudioSpecificConfig, with
// Exp-Golomb codes (ISO/IEC 14496-10 clause 9.1). Reads past the end return
// zero and set a sticky failure flag; callers check failed() at checkpoints.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ls::flv {

class BitReader {
 public:
  explicit BitReader(std::span<const std::uint8_t> data) : data_(data) {}

  [[nodiscard]] bool failed() const noexcept { return failed_; }
  [[nodiscard]] std::size_t bitsLeft() const noexcept { return data_.size() * 8 - bitPos_; }

  // n <= 32.
  std::uint32_t bits(unsigned n);
  // The next n bits without consuming them (0 when short; does not fail).
  [[nodiscard]] std::uint32_t peek(unsigned n) const;
  bool flag() { return bits(1) != 0; }
  void skip(std::size_t n);
  // Marks the input as malformed (a value read was out of its range).
  void fail() noexcept { failed_ = true; }
  // ue(v): fails on more than 31 leading zero bits (values over 2^32 - 2).
  std::uint32_t ue();
  // se(v).
  std::int32_t se();

 private:
  std::span<const std::uint8_t> data_;
  std::size_t bitPos_ = 0;
  bool failed_ = false;
};

// NAL unit payload -> RBSP: drops each emulation_prevention_three_byte
// (0x03 following two zero bytes, ISO/IEC 14496-10 clause 7.4.1).
std::vector<std::uint8_t> nalToRbsp(std::span<const std::uint8_t> nal);

}  // namespace ls::flv
