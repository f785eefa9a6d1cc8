// Private to media_fmp4: appends ISO BMFF boxes (ISO/IEC 14496-12) to a byte
// vector. Integers are big-endian; a box's 32-bit size is written as zero by
// begin() and patched by end() once its contents are known.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ls::fmp4::detail {

class BoxWriter {
 public:
  explicit BoxWriter(std::vector<std::uint8_t>& out) : out_(out) {}

  void u8(std::uint32_t v) { out_.push_back(static_cast<std::uint8_t>(v)); }
  void u16(std::uint32_t v) { be(v, 2); }
  void u24(std::uint32_t v) { be(v, 3); }
  void u32(std::uint32_t v) { be(v, 4); }
  void u64(std::uint64_t v) { be(v, 8); }
  void zeros(std::size_t n) { out_.insert(out_.end(), n, 0); }
  void bytes(std::span<const std::uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void fourcc(const char (&code)[5]) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<std::uint8_t>(code[i]));
  }

  // Opens a box; returns where it starts, for end().
  std::size_t begin(const char (&type)[5]) {
    const std::size_t at = out_.size();
    u32(0);
    fourcc(type);
    return at;
  }
  // A FullBox: version (8 bits) and flags (24 bits) after the header.
  std::size_t beginFull(const char (&type)[5], std::uint8_t version, std::uint32_t flags) {
    const std::size_t at = begin(type);
    u8(version);
    u24(flags);
    return at;
  }
  // Patches the size of the box opened at `at` (boxes here stay far below 4 GiB).
  void end(std::size_t at) { patchU32(at, static_cast<std::uint32_t>(out_.size() - at)); }

  void patchU32(std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out_[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
  }
  [[nodiscard]] std::size_t size() const { return out_.size(); }

 private:
  void be(std::uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }

  std::vector<std::uint8_t>& out_;
};

}  // namespace ls::fmp4::detail
