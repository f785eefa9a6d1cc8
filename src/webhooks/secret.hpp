// Endpoint signing secrets in the Standard Webhooks form: "whsec_" + standard
// base64 (padded) of the key bytes. Both signatures (webhook-signature and
// ls-signature) are keyed with the decoded bytes, never with the text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/random.hpp"
#include "core/status.hpp"

namespace ls::webhooks {

inline constexpr std::string_view kSecretPrefix = "whsec_";
inline constexpr std::size_t kSecretBytes = 24;
// Decoded keys outside this range are refused: shorter is too weak to sign
// with, longer is certainly not one of ours (HMAC would hash it anyway).
inline constexpr std::size_t kMinSecretBytes = 16;
inline constexpr std::size_t kMaxSecretBytes = 64;

// "whsec_" + base64 of 24 random bytes (32 base64 characters).
std::string generateSecret(Random& random);

// The key bytes of a "whsec_..." secret. InvalidArgument (the message never
// quotes the secret) when the prefix is missing, the rest is not padded
// standard base64, or the key is shorter than 16 or longer than 64 bytes.
Result<std::vector<std::uint8_t>> decodeSecret(std::string_view secret);

}  // namespace ls::webhooks
