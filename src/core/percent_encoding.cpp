#include "core/percent_encoding.hpp"

namespace ls {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes the character at text[i]; returns it and advances i past what it consumed.
char decodeAt(std::string_view text, std::size_t& i, bool plusAsSpace) {
  const char c = text[i];
  if (c == '%' && i + 2 < text.size()) {
    const int hi = hexValue(text[i + 1]);
    const int lo = hexValue(text[i + 2]);
    if (hi >= 0 && lo >= 0) {
      i += 3;
      return static_cast<char>(hi * 16 + lo);
    }
  }
  ++i;
  return (c == '+' && plusAsSpace) ? ' ' : c;
}

}  // namespace

void percentDecodeAppend(std::string_view text, bool plusAsSpace, std::string& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    // Copy runs without escapes in one go; most paths and values have none.
    const std::size_t special = text.find_first_of(plusAsSpace ? "%+" : "%", i);
    if (special == std::string_view::npos) {
      out.append(text.substr(i));
      return;
    }
    out.append(text.substr(i, special - i));
    i = special;
    out.push_back(decodeAt(text, i, plusAsSpace));
  }
}

std::string percentDecode(std::string_view text, bool plusAsSpace) {
  std::string out;
  out.reserve(text.size());
  percentDecodeAppend(text, plusAsSpace, out);
  return out;
}

bool decodedEquals(std::string_view encoded, std::string_view plain) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < encoded.size()) {
    if (j == plain.size() || decodeAt(encoded, i, true) != plain[j]) return false;
    ++j;
  }
  return j == plain.size();
}

}  // namespace ls
