#include "webhooks/secret.hpp"

#include <array>
#include <optional>

#include "core/encoding.hpp"

namespace ls::webhooks {

std::string generateSecret(Random& random) {
  std::array<std::uint8_t, kSecretBytes> key{};
  random.fill(key);
  return std::string(kSecretPrefix) + base64Encode(key);
}

Result<std::vector<std::uint8_t>> decodeSecret(std::string_view secret) {
  if (!secret.starts_with(kSecretPrefix)) return invalidArgument("webhook secret does not start with whsec_");
  const std::string_view encoded = secret.substr(kSecretPrefix.size());
  if (encoded.empty()) return invalidArgument("webhook secret has no key after whsec_");
  std::optional<std::vector<std::uint8_t>> key = base64Decode(encoded);
  if (!key)
    return invalidArgument("webhook secret is not standard base64 (A-Z a-z 0-9 + /, padded with =) after whsec_");
  if (key->size() < kMinSecretBytes || key->size() > kMaxSecretBytes) {
    return invalidArgument("webhook secret key is " + std::to_string(key->size()) + " bytes; it must be " +
                           std::to_string(kMinSecretBytes) + " to " + std::to_string(kMaxSecretBytes));
  }
  return std::move(*key);
}

}  // namespace ls::webhooks
