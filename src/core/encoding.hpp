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

// Compares secrets without an early exit, so the time taken does not reveal
// how long a matching prefix was. A length mismatch returns at once: the
// length of a secret is not what it protects.
bool constantTimeEquals(std::string_view a, std::string_view b) noexcept;
// base64url without padding (RFC 4648 §5), as JWTs and API keys use it.
std::string base64UrlEncode(std::span<const std::uint8_t> bytes);
inline std::string base64UrlEncode(std::string_view s) {
  return base64UrlEncode(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}
// Rejects padding, characters outside the alphabet and impossible lengths.
std::optional<std::vector<std::uint8_t>> base64UrlDecode(std::string_view text);
// Standard base64 with padding (RFC 4648 §4), as Standard Webhooks secrets
// and signatures use it.
std::string base64Encode(std::span<const std::uint8_t> bytes);
// Requires the padding; rejects characters outside the alphabet, misplaced
// padding and non-zero leftover bits (one text per byte string).
std::optional<std::vector<std::uint8_t>> base64Decode(std::string_view text);

// ASCII case-insensitive equality (HTTP header names, tokens).
bool equalsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace ls
