#include "auth/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <cstdlib>

#include "core/encoding.hpp"

namespace ls::auth {

Sha256Digest sha256(std::string_view data) {
  Sha256Digest digest{};
  unsigned int size = 0;
  // EVP_Digest fails only when the library cannot allocate or SHA-256 is not
  // available at all; nothing that hashes keys can run correctly after that.
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 || size != digest.size()) {
    std::fputs("fatal: OpenSSL SHA-256 failed\n", stderr);
    std::abort();
  }
  return digest;
}

Sha256Digest hmacSha256(std::span<const std::uint8_t> key, std::string_view data) {
  Sha256Digest out{};
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), out.data(), &len) == nullptr ||
      len != out.size()) {
    std::fputs("fatal: OpenSSL HMAC-SHA256 failed\n", stderr);
    std::abort();
  }
  return out;
}

std::string sha256Hex(std::string_view data) {
  return hexEncode(sha256(data));
}

}  // namespace ls::auth
