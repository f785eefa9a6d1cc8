// Keys and temporary directories shared by the auth tests. RSA key
// generation takes ~100 ms, so each test binary makes its keys once.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "auth/signing_key.hpp"

namespace ls::auth::testing {

// A fresh directory under the system temp dir, removed with its contents.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Unencrypted PKCS#8 PEM of a new key.
std::string generateRsaPem(int bits);
std::string generateEcP256Pem();
// PKCS#8 PEM encrypted with AES-256-CBC under `passphrase`.
std::string generateEncryptedRsaPem(std::string_view passphrase);
// SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----") of a signing key.
std::string publicKeyPem(const SigningKey& key);

// Two distinct RSA-2048 signing keys, made once per process.
const SigningKey& primaryKey();
const SigningKey& otherKey();

// Writes `contents` to `path`, then sets `mode` (tests may chmod; the code
// under test may not).
void writeFile(const std::filesystem::path& path, std::string_view contents, std::filesystem::perms mode);

// base64url-decodes into text; empty on failure.
std::string decodeSegment(std::string_view segment);

}  // namespace ls::auth::testing
