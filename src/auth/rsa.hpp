// RSA for push tokens: RS256 signatures (RFC 7518 §3.3), public keys as JWKs
// (RFC 7517, RFC 7518 §6.3) and their RFC 7638 thumbprints. Shared by
// SigningKey, PublicKeySet and the token code; OpenSSL types stay
// forward-declared so that users of auth headers need no OpenSSL includes.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace ls::auth {

struct EvpPkeyDeleter {
  void operator()(evp_pkey_st* key) const noexcept;
};
using EvpPkeyPtr = std::unique_ptr<evp_pkey_st, EvpPkeyDeleter>;

// Our keys are RSA-2048; anything smaller is refused everywhere, and moduli
// above 8192 bits are refused too, since each verification with them costs a
// media node far more than a token is worth.
inline constexpr int kMinRsaBits = 2048;
inline constexpr int kMaxRsaBits = 8192;

// The public half of an RSA key as JWK members: n and e are base64url of the
// unsigned big-endian integers without leading zero bytes.
struct RsaPublicJwk {
  std::string kid;
  std::string n;
  std::string e;

  // {"kty":"RSA","use":"sig","alg":"RS256","kid":...,"n":...,"e":...}
  [[nodiscard]] std::string toJson() const;
};

// n and e of an RSA key (public or private), base64url-encoded; kid is left empty.
Result<RsaPublicJwk> rsaPublicComponents(const evp_pkey_st* key);

// RFC 7638 thumbprint: base64url(SHA-256('{"e":"<e>","kty":"RSA","n":"<n>"}')),
// members in lexicographic order with no whitespace.
std::string rsaJwkThumbprint(std::string_view n, std::string_view e);

// A public-only EVP_PKEY from base64url n and e. Refuses bad base64url, a
// leading zero byte, an even or tiny exponent, and moduli outside
// [kMinRsaBits, kMaxRsaBits].
Result<EvpPkeyPtr> rsaPublicKeyFromJwk(std::string_view n, std::string_view e);

// RSASSA-PKCS1-v1_5 with SHA-256 over `input`, the only JWS algorithm we use.
Result<std::vector<std::uint8_t>> rs256Sign(evp_pkey_st* privateKey, std::string_view input);
// True only when `signature` is a valid RS256 signature of exactly `input`.
bool rs256Verify(evp_pkey_st* publicKey, std::string_view input, std::span<const std::uint8_t> signature);

// The modulus size in bits, or 0 when the key is not RSA.
int rsaKeyBits(const evp_pkey_st* key);

}  // namespace ls::auth
