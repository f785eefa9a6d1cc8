#include "media/flv/bit_reader.hpp"

namespace ls::flv {

std::uint32_t BitReader::bits(unsigned n) {
  if (failed_ || n > 32 || n > bitsLeft()) {
    failed_ = true;
    return 0;
  }
  std::uint64_t v = 0;
  for (unsigned i = 0; i < n; ++i) {
    const std::uint8_t byte = data_[bitPos_ >> 3];
    const unsigned shift = 7U - static_cast<unsigned>(bitPos_ & 7U);
    v = (v << 1) | ((byte >> shift) & 1U);
    ++bitPos_;
  }
  return static_cast<std::uint32_t>(v);
}

std::uint32_t BitReader::peek(unsigned n) const {
  BitReader copy = *this;
  const std::uint32_t v = copy.bits(n);
  return copy.failed_ ? 0 : v;
}

void BitReader::skip(std::size_t n) {
  if (failed_ || n > bitsLeft()) {
    failed_ = true;
    return;
  }
  bitPos_ += n;
}

std::uint32_t BitReader::ue() {
  unsigned leadingZeros = 0;
  while (!failed_ && bits(1) == 0) {
    if (++leadingZeros > 31) {
      failed_ = true;
    }
  }
  if (failed_) return 0;
  const std::uint64_t value = (std::uint64_t{1} << leadingZeros) - 1 + bits(leadingZeros);
  return failed_ ? 0 : static_cast<std::uint32_t>(value);
}

std::int32_t BitReader::se() {
  const std::uint32_t k = ue();
  // k = 0, 1, 2, 3, 4 ... maps to 0, 1, -1, 2, -2 ... (clause 9.1.1).
  const auto magnitude = static_cast<std::int64_t>((static_cast<std::uint64_t>(k) + 1) / 2);
  return static_cast<std::int32_t>((k & 1U) != 0 ? magnitude : -magnitude);
}

std::vector<std::uint8_t> nalToRbsp(std::span<const std::uint8_t> nal) {
  std::vector<std::uint8_t> rbsp;
  rbsp.reserve(nal.size());
  unsigned zeros = 0;
  for (const std::uint8_t b : nal) {
    if (zeros >= 2 && b == 0x03) {
      zeros = 0;
      continue;
    }
    zeros = b == 0 ? zeros + 1 : 0;
    rbsp.push_back(b);
  }
  return rbsp;
}

}  // namespace ls::flv
