// The public keys that verify push tokens, by kid. Media nodes build one from
// the control plane's JWKS and never see a private key; the control plane
// builds one from its SigningKey. Holding several keys lets a key rotation
// publish the new key before signing with it.
//
// Threading: immutable once built; find() may be called from any thread at
// once. Share it as std::shared_ptr<const PublicKeySet> and swap the pointer
// to rotate.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "auth/rsa.hpp"
#include "auth/signing_key.hpp"
#include "core/status.hpp"

namespace ls::auth {

class PublicKeySet {
 public:
  PublicKeySet() = default;
  PublicKeySet(PublicKeySet&&) noexcept = default;
  PublicKeySet& operator=(PublicKeySet&&) noexcept = default;
  PublicKeySet(const PublicKeySet&) = delete;
  PublicKeySet& operator=(const PublicKeySet&) = delete;
  ~PublicKeySet() = default;

  // The public half of `key` under its kid.
  static PublicKeySet fromSigningKey(const SigningKey& key);

  // Parses {"keys":[{...},...]} (RFC 7517 §5). Every key must be an RSA key
  // (kty "RSA") for RS256: "alg", when present, must be "RS256" and "use",
  // when present, "sig". n and e must be canonical base64url with a modulus
  // of 2048..8192 bits; kids must be present and distinct; a key carrying
  // private members (d, p, q, ...) is refused rather than silently used, since
  // it means a private key was published. At most 16 keys, 64 KiB of JSON.
  static Result<PublicKeySet> fromJwks(std::string_view json);

  // Adds the public half of `key`; refuses a kid already present.
  Status add(const SigningKey& key);

  // The key with this kid, or nullptr. Owned by the set.
  [[nodiscard]] evp_pkey_st* find(std::string_view kid) const noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return keys_.size(); }
  [[nodiscard]] bool empty() const noexcept { return keys_.empty(); }

  // {"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":...,"n":...,"e":...},...]}
  // in the order the keys were added; what /.well-known/jwks.json serves.
  [[nodiscard]] std::string toJwksJson() const;

 private:
  struct Entry {
    RsaPublicJwk jwk;
    EvpPkeyPtr key;
  };
  Status addEntry(RsaPublicJwk jwk, EvpPkeyPtr key);

  // A handful of keys at most, so a vector beats a map.
  std::vector<Entry> keys_;
};

}  // namespace ls::auth
