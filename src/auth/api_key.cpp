#include "auth/api_key.hpp"

#include <array>
#include <cstdint>

#include "auth/crypto.hpp"
#include "core/encoding.hpp"

namespace ls::auth {

namespace {
constexpr std::size_t kApiKeyRandomBytes = 32;
}  // namespace

IssuedApiKey issueApiKey(Random& random) {
  std::array<std::uint8_t, kApiKeyRandomBytes> bytes{};
  random.fill(bytes);
  IssuedApiKey key;
  key.plaintext.reserve(kApiKeyLength);
  key.plaintext.append(kApiKeyPrefix);
  key.plaintext.append(base64UrlEncode(bytes));
  key.hash = hashApiKey(key.plaintext);
  return key;
}

std::string hashApiKey(std::string_view plaintext) {
  return sha256Hex(plaintext);
}

bool isWellFormedApiKey(std::string_view text) {
  if (text.size() != kApiKeyLength || !text.starts_with(kApiKeyPrefix)) return false;
  // base64UrlDecode rejects foreign characters and non-zero leftover bits, so
  // each 32-byte key has exactly one accepted spelling.
  const auto bytes = base64UrlDecode(text.substr(kApiKeyPrefix.size()));
  return bytes.has_value() && bytes->size() == kApiKeyRandomBytes;
}

}  // namespace ls::auth
