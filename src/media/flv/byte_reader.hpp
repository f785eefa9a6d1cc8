// A bounds-checked big-endian cursor over untrusted bytes. Reads past the end
// return zero and set a sticky failure flag, so a parser reads a whole
// structure and checks ok() once instead of after every field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace ls::flv {

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> data) : data_(data) {}

  [[nodiscard]] bool ok() const noexcept { return ok_; }
  [[nodiscard]] std::size_t remaining() const noexcept { return data_.size() - pos_; }
  [[nodiscard]] std::size_t position() const noexcept { return pos_; }
  [[nodiscard]] std::span<const std::uint8_t> rest() const noexcept { return data_.subspan(pos_); }

  std::uint8_t u8() { return static_cast<std::uint8_t>(readBigEndian(1)); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(readBigEndian(2)); }
  std::uint32_t u24() { return static_cast<std::uint32_t>(readBigEndian(3)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(readBigEndian(4)); }

  // The next n bytes as a view into the input (no copy); empty and failed when short.
  std::span<const std::uint8_t> bytes(std::size_t n) {
    if (!ok_ || n > remaining()) {
      ok_ = false;
      return {};
    }
    auto out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }

 private:
  std::uint64_t readBigEndian(std::size_t n) {
    if (!ok_ || n > remaining()) {
      ok_ = false;
      return 0;
    }
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | data_[pos_ + i];
    pos_ += n;
    return v;
  }

  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace ls::flv
