// Small hashing and comparison helpers over OpenSSL, shared by API keys,
// hook secrets and tokens.
#pragma once

#include "core/encoding.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ls::auth {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::string_view data);
// Lowercase hex of SHA-256, 64 chars.
std::string sha256Hex(std::string_view data);

// HMAC-SHA256 of data under key (access tokens, webhook signatures).
Sha256Digest hmacSha256(std::span<const std::uint8_t> key, std::string_view data);

// constantTimeEquals lives in core/encoding.hpp (the metrics token uses it too).
using ls::constantTimeEquals;

}  // namespace ls::auth
