// cleanResponsePrefix never crashes, never grows past its cap, and always
// answers valid UTF-8 without NUL; valid text within the cap comes back whole.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "store/webhook_emit.hpp"

namespace {

void check(bool invariant) {
  if (!invariant) std::abort();
}

// Strict UTF-8 (no overlongs, surrogates or code points above U+10FFFF), no NUL.
bool validText(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c == 0) return false;
    if (c < 0x80) {
      len = 1;
      cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (std::size_t cap : {std::size_t{0}, std::size_t{3}, std::size_t{64}, std::size_t{1024}}) {
    const std::string out = ls::store::cleanResponsePrefix(input, cap);
    check(out.size() <= cap);
    check(validText(out));
    if (validText(input) && input.size() <= cap) check(out == input);
  }
  return 0;
}
