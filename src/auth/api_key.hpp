// Project API keys (SPEC §1): "ls_proj_v1_" + base64url (no padding) of 32
// random bytes. The plaintext is shown once; the store keeps only its hash.
#pragma once

#include <string>
#include <string_view>

#include "core/random.hpp"

namespace ls::auth {

inline constexpr std::string_view kApiKeyPrefix = "ls_proj_v1_";
// 32 bytes -> 43 base64url chars without padding.
inline constexpr std::size_t kApiKeyLength = kApiKeyPrefix.size() + 43;

struct IssuedApiKey {
  std::string plaintext;  // give to the partner once, never log or store
  std::string hash;       // hashApiKey(plaintext), what the store keeps
};

IssuedApiKey issueApiKey(Random& random);

// SHA-256 hex of the whole key text (prefix included). A fast hash is right
// here, unlike for passwords: the key carries 256 bits from a CSPRNG, so there
// is no dictionary to try and a stolen hash cannot be brute-forced; a slow KDF
// would only add CPU to every API request. Being deterministic, the hash also
// serves as the store's lookup index.
std::string hashApiKey(std::string_view plaintext);

// Prefix, exact length, base64url alphabet, and a canonical encoding of
// exactly 32 bytes. Check this before hashing input from a request header so
// that garbage never reaches the store.
bool isWellFormedApiKey(std::string_view text);

}  // namespace ls::auth
