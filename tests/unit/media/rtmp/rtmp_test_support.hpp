// Test helpers for media/rtmp: byte vectors from hex, a deterministic Random,
// and an AMF0 writer of the test's own (so reply bytes are checked against an
// encoding that does not come from the code under test).
#pragma once

#include <bit>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/random.hpp"

namespace ls::rtmp::test {

using Bytes = std::vector<std::uint8_t>;

// "03 00 0a ff" (spaces ignored) -> bytes.
inline Bytes hex(std::string_view text) {
  Bytes out;
  int high = -1;
  for (const char c : text) {
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    if (v < 0) continue;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(high * 16 + v));
      high = -1;
    }
  }
  return out;
}

inline Bytes text(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Bytes pattern(std::size_t n, std::uint8_t seed) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(seed + i * 13);
  return out;
}

// Reproducible "random" bytes: 1, 2, 3, ... continuing across calls.
class CountingRandom final : public Random {
 public:
  void fill(std::span<std::uint8_t> out) override {
    for (std::uint8_t& b : out) b = static_cast<std::uint8_t>(++next_);
  }

 private:
  std::uint32_t next_ = 0;
};

// ---- An independent AMF0 writer ----
inline Bytes be(std::uint64_t v, int n) {
  Bytes out;
  for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  return out;
}
inline Bytes amfNum(double v) {
  return concat({{0x00}, be(std::bit_cast<std::uint64_t>(v), 8)});
}
inline Bytes amfBool(bool v) {
  return {0x01, static_cast<std::uint8_t>(v ? 1 : 0)};
}
inline Bytes amfStr(std::string_view s) {
  return concat({{0x02}, be(s.size(), 2), text(s)});
}
inline Bytes amfNull() {
  return {0x05};
}
inline Bytes amfKey(std::string_view k) {
  return concat({be(k.size(), 2), text(k)});
}
inline Bytes amfProps(std::initializer_list<std::pair<std::string_view, Bytes>> props) {
  Bytes out;
  for (const auto& [k, v] : props) out = concat({out, amfKey(k), v});
  return concat({out, {0x00, 0x00, 0x09}});
}
inline Bytes amfObj(std::initializer_list<std::pair<std::string_view, Bytes>> props) {
  return concat({{0x03}, amfProps(props)});
}
inline Bytes amfEcma(std::initializer_list<std::pair<std::string_view, Bytes>> props) {
  return concat({{0x08}, be(props.size(), 4), amfProps(props)});
}

}  // namespace ls::rtmp::test
