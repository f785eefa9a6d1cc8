// The control plane's push-token signing key: RSA-2048 in a PEM file that
// only the service user may read. Created on first start, loaded afterwards.
//
// Threading: immutable after loadOrCreate; sign() and the accessors may be
// called from any thread at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/rsa.hpp"
#include "core/status.hpp"

namespace ls::auth {

inline constexpr std::string_view kSigningKeyFileName = "push-token-key.pem";

class SigningKey {
 public:
  // Loads keyDir/push-token-key.pem, or generates a new RSA-2048 key and
  // writes it there with mode 0600 when the file does not exist (creating
  // keyDir with mode 0700 if needed). Refuses, with a Status naming the file,
  // a key file that group or others may access, that cannot be read, that is
  // not an unencrypted PEM private key, that is not RSA, or that is shorter
  // than 2048 bits.
  static Result<SigningKey> loadOrCreate(const std::filesystem::path& keyDir);

  // A new RSA-2048 private key as unencrypted PKCS#8 PEM.
  static Result<std::string> generatePem();

  // The PEM text of a key file, or nullopt when it does not exist; refuses
  // the same files loadOrCreate does (mode, type, size), without parsing.
  static Result<std::optional<std::string>> readPemFile(const std::filesystem::path& keyPath);

  // Parses a PEM private key held in memory (same checks as loading a file,
  // except for the file mode). `origin` names the source in error messages.
  static Result<SigningKey> fromPem(std::string_view pem, std::string_view origin);

  SigningKey(SigningKey&&) noexcept = default;
  SigningKey& operator=(SigningKey&&) noexcept = default;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  ~SigningKey() = default;

  // RFC 7638 JWK thumbprint of the public key: stable across restarts, so a
  // media node can tell which published key signed a token.
  [[nodiscard]] const std::string& kid() const noexcept { return jwk_.kid; }

  // RS256 (RSASSA-PKCS1-v1_5 with SHA-256) over signingInput; 256 bytes for
  // RSA-2048. The key was test-signed at load, so a failure here means
  // OpenSSL cannot allocate; like SecureRandom, this aborts rather than hand
  // out a token that no one can verify.
  [[nodiscard]] std::vector<std::uint8_t> sign(std::string_view signingInput) const;

  // {"kty":"RSA","use":"sig","alg":"RS256","kid":...,"n":...,"e":...}
  [[nodiscard]] std::string publicJwk() const { return jwk_.toJson(); }
  [[nodiscard]] const RsaPublicJwk& publicComponents() const noexcept { return jwk_; }
  // The public half only, as an EVP_PKEY; owned by this object.
  [[nodiscard]] evp_pkey_st* publicKey() const noexcept { return publicKey_.get(); }

 private:
  SigningKey(EvpPkeyPtr privateKey, EvpPkeyPtr publicKey, RsaPublicJwk jwk)
      : privateKey_(std::move(privateKey)), publicKey_(std::move(publicKey)), jwk_(std::move(jwk)) {}
  static Result<SigningKey> fromPrivateKey(EvpPkeyPtr key, std::string_view origin);

  EvpPkeyPtr privateKey_;
  EvpPkeyPtr publicKey_;
  RsaPublicJwk jwk_;
};

}  // namespace ls::auth
