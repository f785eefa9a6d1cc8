// Small hashing and comparison helpers over OpenSSL, shared by API keys,
// hook secrets and tokens.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ls::auth {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::string_view data);
// Lowercase hex of SHA-256, 64 chars.
std::string sha256Hex(std::string_view data);

// Compares secrets without an early exit, so the time taken does not reveal
// how long a matching prefix was. The lengths are not secret (every secret we
// compare has a fixed, public length), so a length mismatch returns at once.
bool constantTimeEquals(std::string_view a, std::string_view b) noexcept;

}  // namespace ls::auth
