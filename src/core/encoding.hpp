// Byte <-> text encodings used by keys, tokens and ids.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ls {

std::string hexEncode(std::span<const std::uint8_t> bytes);
// base64url without padding (RFC 4648 §5), as JWTs and API keys use it.
std::string base64UrlEncode(std::span<const std::uint8_t> bytes);
inline std::string base64UrlEncode(std::string_view s) {
  return base64UrlEncode(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}
// Rejects padding, characters outside the alphabet and impossible lengths.
std::optional<std::vector<std::uint8_t>> base64UrlDecode(std::string_view text);

// Percent-decoding of URL components; '+' becomes a space when plusAsSpace
// (form/query encoding). Invalid escapes are kept literally.
std::string percentDecode(std::string_view text, bool plusAsSpace);
// The first value of `name` in a raw query string ("a=1&b=2"), decoded;
// nullopt when absent. A key without '=' has the value "".
std::optional<std::string> findQueryParam(std::string_view rawQuery, std::string_view name);

}  // namespace ls
