#include "core/log_text.hpp"

namespace ls {

namespace {

void appendHex(std::string& out, unsigned char b) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\x";
  out += kHex[b >> 4];
  out += kHex[b & 0xf];
}

// Length of the well-formed UTF-8 sequence at s[i] that is not a C1 control
// (U+0080..U+009F: 8-bit terminal controls such as CSI), or 0.
std::size_t printableUtf8Length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    len = 2;
    cp = b0 & 0x1fu;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3;
    cp = b0 & 0x0fu;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4;
    cp = b0 & 0x07u;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xc0u) != 0x80u) return 0;
    cp = (cp << 6) | (b & 0x3fu);
  }
  const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
  if (overlong || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp < 0xa0) return 0;
  return len;
}

}  // namespace

std::string logText(std::string_view value, std::size_t maxBytes) {
  const bool cut = value.size() > maxBytes;
  if (cut) value = value.substr(0, maxBytes);
  std::string out;
  out.reserve(value.size() + 8);
  for (std::size_t i = 0; i < value.size();) {
    const char c = value[i];
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x80) {
      const std::size_t len = printableUtf8Length(value, i);
      if (len == 0) {
        appendHex(out, b);
        ++i;
      } else {
        out.append(value.substr(i, len));
        i += len;
      }
      continue;
    }
    ++i;
    switch (c) {
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\\': out += "\\\\"; continue;
      default: break;
    }
    if (b < 0x20 || b == 0x7f) {
      appendHex(out, b);
    } else {
      out += c;
    }
  }
  if (cut) out += "...";
  return out;
}

}  // namespace ls
