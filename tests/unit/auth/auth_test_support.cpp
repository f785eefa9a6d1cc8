#include "auth_test_support.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdlib.h>

#include <fstream>
#include <stdexcept>

#include "core/encoding.hpp"

namespace ls::auth::testing {

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};

std::unique_ptr<EVP_PKEY, PkeyFree> generate(const char* type, int rsaBits) {
  std::unique_ptr<EVP_PKEY_CTX, void (*)(EVP_PKEY_CTX*)> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr),
                                                             EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1) throw std::runtime_error("keygen init");
  if (rsaBits > 0 && EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), rsaBits) != 1) throw std::runtime_error("bits");
  if (rsaBits == 0 && EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") != 1) throw std::runtime_error("group");
  if (EVP_PKEY_generate(ctx.get(), &key) != 1) throw std::runtime_error("keygen");
  return std::unique_ptr<EVP_PKEY, PkeyFree>(key);
}

std::string bioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string privatePem(EVP_PKEY* key, const EVP_CIPHER* cipher, std::string_view passphrase) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  std::string pass(passphrase);
  if (PEM_write_bio_PrivateKey(bio.get(), key, cipher, nullptr, 0, nullptr, cipher ? pass.data() : nullptr) != 1) {
    throw std::runtime_error("PEM_write_bio_PrivateKey");
  }
  return bioText(bio.get());
}

SigningKey makeKey() {
  auto key = SigningKey::fromPem(generateRsaPem(2048), "test key");
  if (!key) throw std::runtime_error(key.status().message());
  return std::move(key).value();
}

}  // namespace

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "ls-auth-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string generateRsaPem(int bits) {
  return privatePem(generate("RSA", bits).get(), nullptr, {});
}
std::string generateEcP256Pem() {
  return privatePem(generate("EC", 0).get(), nullptr, {});
}
std::string generateEncryptedRsaPem(std::string_view passphrase) {
  return privatePem(generate("RSA", 2048).get(), EVP_aes_256_cbc(), passphrase);
}

std::string publicKeyPem(const SigningKey& key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PUBKEY(bio.get(), key.publicKey()) != 1) throw std::runtime_error("PEM_write_bio_PUBKEY");
  return bioText(bio.get());
}

const SigningKey& primaryKey() {
  static const SigningKey key = makeKey();
  return key;
}

const SigningKey& otherKey() {
  static const SigningKey key = makeKey();
  return key;
}

void writeFile(const std::filesystem::path& path, std::string_view contents, std::filesystem::perms mode) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  }
  std::filesystem::permissions(path, mode, std::filesystem::perm_options::replace);
}

std::string decodeSegment(std::string_view segment) {
  const auto bytes = base64UrlDecode(segment);
  if (!bytes) return {};
  return std::string(bytes->begin(), bytes->end());
}

}  // namespace ls::auth::testing
