#include "auth/signing_key.hpp"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <system_error>

#include "core/encoding.hpp"
#include "core/random.hpp"

namespace ls::auth {

namespace {

constexpr int kGeneratedKeyBits = 2048;
// A 8192-bit PEM is under 7 KiB; anything much larger is not a key file.
constexpr std::size_t kMaxKeyFileBytes = 64 * 1024;

struct BioDeleter {
  void operator()(BIO* b) const noexcept { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
struct PkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* c) const noexcept { EVP_PKEY_CTX_free(c); }
};

// Closes a file descriptor on every path out of a function.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const { return fd_; }
  // Closes now and reports whether the kernel accepted the data.
  bool close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

std::string errnoText(int err) {
  return std::error_code(err, std::generic_category()).message();
}

// Keeps OpenSSL from prompting on the terminal for an encrypted key: a
// service has no one to type a passphrase, so such a file is refused.
int refusePassphrase(char*, int, int, void*) {
  return -1;
}

Result<EvpPkeyPtr> generateRsaKey() {
  const std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), kGeneratedKeyBits) != 1 || EVP_PKEY_generate(ctx.get(), &raw) != 1) {
    ERR_clear_error();
    return internalError("cannot generate an RSA-2048 key");
  }
  return EvpPkeyPtr(raw);
}

Result<std::string> privateKeyPem(EVP_PKEY* key) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    ERR_clear_error();
    return internalError("cannot encode the signing key as PEM");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  if (size <= 0 || data == nullptr) return internalError("cannot encode the signing key as PEM");
  return std::string(data, static_cast<std::size_t>(size));
}

Status writeAll(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return internalError("cannot write " + path.string() + ": " + errnoText(errno));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::ok();
}

Status ensureKeyDirectory(const std::filesystem::path& keyDir) {
  std::error_code ec;
  if (std::filesystem::is_directory(keyDir, ec)) return Status::ok();
  if (keyDir.has_parent_path()) std::filesystem::create_directories(keyDir.parent_path(), ec);
  // mkdir with 0700 directly: the directory holds a private key and should
  // never be listable by others, even for a moment.
  if (::mkdir(keyDir.c_str(), 0700) != 0 && errno != EEXIST) {
    return internalError("cannot create key directory " + keyDir.string() + ": " + errnoText(errno));
  }
  return Status::ok();
}

// Writes a fresh key to a private temporary file, then link()s it to its
// final name. The temporary file is created with open(O_CREAT|O_EXCL, 0600)
// so the key is never readable by others at any moment, and link() never
// replaces an existing file: when two processes start together, one key wins
// and both load it. Returns ok when either this or a racing process created
// the file.
Status createKeyFile(const std::filesystem::path& keyDir, const std::filesystem::path& keyPath) {
  LS_RETURN_IF_ERROR(ensureKeyDirectory(keyDir));
  auto key = generateRsaKey();
  if (!key) return std::move(key).takeStatus();
  auto pem = privateKeyPem(key->get());
  if (!pem) return std::move(pem).takeStatus();

  std::array<std::uint8_t, 8> suffix{};
  SecureRandom().fill(suffix);
  const std::filesystem::path tmpPath =
      keyDir / ("." + std::string(kSigningKeyFileName) + "." + hexEncode(suffix) + ".tmp");
  FileDescriptor fd(::open(tmpPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd.get() < 0) return internalError("cannot create " + tmpPath.string() + ": " + errnoText(errno));
  Status written = writeAll(fd.get(), *pem, tmpPath);
  if (written.isOk() && ::fsync(fd.get()) != 0) {
    written = internalError("cannot sync " + tmpPath.string() + ": " + errnoText(errno));
  }
  if (written.isOk() && !fd.close()) {
    written = internalError("cannot close " + tmpPath.string() + ": " + errnoText(errno));
  }
  if (!written.isOk()) {
    ::unlink(tmpPath.c_str());
    return written;
  }
  const int linked = ::link(tmpPath.c_str(), keyPath.c_str());
  const int linkErrno = errno;
  ::unlink(tmpPath.c_str());
  if (linked != 0 && linkErrno != EEXIST) {
    return internalError("cannot create " + keyPath.string() + ": " + errnoText(linkErrno));
  }
  // Make the new directory entry durable too, or a crash could lose the key
  // after tokens signed with it went out.
  FileDescriptor dir(::open(keyDir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
  return Status::ok();
}

}  // namespace

Result<SigningKey> SigningKey::loadOrCreate(const std::filesystem::path& keyDir) {
  const std::filesystem::path keyPath = keyDir / kSigningKeyFileName;
  auto pem = readPemFile(keyPath);
  if (!pem.ok()) return std::move(pem).takeStatus();
  if (!pem->has_value()) {
    LS_RETURN_IF_ERROR(createKeyFile(keyDir, keyPath));
    pem = readPemFile(keyPath);
    if (!pem.ok()) return std::move(pem).takeStatus();
    if (!pem->has_value()) return internalError("cannot read signing key file " + keyPath.string() + ": vanished");
  }
  auto key = fromPem(**pem, keyPath.string());
  OPENSSL_cleanse((*pem)->data(), (*pem)->size());
  return key;
}

Result<std::string> SigningKey::generatePem() {
  auto key = generateRsaKey();
  if (!key) return std::move(key).takeStatus();
  return privateKeyPem(key->get());
}

Result<std::optional<std::string>> SigningKey::readPemFile(const std::filesystem::path& keyPath) {
  const std::string name = keyPath.string();
  // O_NOFOLLOW is deliberately absent: secret mounts (Kubernetes, Docker
  // secrets) present the key as a symlink. The checks below use fstat on the
  // opened file, so they judge what is actually read.
  const int raw = ::open(keyPath.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (raw < 0 && errno == ENOENT) return std::optional<std::string>();
  if (raw < 0) {
    const int err = errno;
    const Code code = err == EACCES ? Code::kPermissionDenied : Code::kInternal;
    return Status(code, "cannot read signing key file " + name + ": " + errnoText(err));
  }
  FileDescriptor fd(raw);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    return internalError("cannot stat signing key file " + name + ": " + errnoText(errno));
  if (!S_ISREG(st.st_mode)) return invalidArgument("signing key file " + name + " is not a regular file");
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Status(Code::kPermissionDenied, "signing key file " + name + " has mode " + mode +
                                               "; group and others must have no access (chmod 600 " + name + ")");
  }
  if (static_cast<std::uint64_t>(st.st_size) > kMaxKeyFileBytes) {
    return invalidArgument("signing key file " + name + " is too large to be a PEM key");
  }

  std::string pem(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  while (got < pem.size()) {
    const ssize_t n = ::read(fd.get(), pem.data() + got, pem.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return internalError("cannot read signing key file " + name + ": " + errnoText(errno));
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  pem.resize(got);
  return std::optional<std::string>(std::move(pem));
}

Result<SigningKey> SigningKey::fromPem(std::string_view pem, std::string_view origin) {
  const std::string name(origin);
  if (pem.size() > kMaxKeyFileBytes) return invalidArgument("signing key " + name + " is too large to be a PEM key");
  const BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return internalError("out of memory reading signing key " + name);
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, refusePassphrase, nullptr);
  if (raw == nullptr) {
    ERR_clear_error();
    return invalidArgument("signing key " + name + " is not an unencrypted PEM private key");
  }
  return fromPrivateKey(EvpPkeyPtr(raw), name);
}

Result<SigningKey> SigningKey::fromPrivateKey(EvpPkeyPtr key, std::string_view origin) {
  const std::string name(origin);
  if (EVP_PKEY_is_a(key.get(), "RSA") != 1) {
    return invalidArgument("signing key " + name + " is not an RSA key (push tokens are RS256)");
  }
  const int bits = rsaKeyBits(key.get());
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return invalidArgument("signing key " + name + " has " + std::to_string(bits) + " bits; RS256 keys need " +
                           std::to_string(kMinRsaBits) + ".." + std::to_string(kMaxRsaBits));
  }
  auto jwk = rsaPublicComponents(key.get());
  if (!jwk) return std::move(jwk).takeStatus();
  auto publicKey = rsaPublicKeyFromJwk(jwk->n, jwk->e);
  if (!publicKey) return Status(publicKey.status().code(), "signing key " + name + ": " + publicKey.status().message());
  jwk->kid = rsaJwkThumbprint(jwk->n, jwk->e);

  // Sign and verify once now: a file whose private and public halves do not
  // match would otherwise be found only by every media node refusing tokens.
  constexpr std::string_view kSelfTest = "lunarstream signing key self-test";
  auto signature = rs256Sign(key.get(), kSelfTest);
  if (!signature || !rs256Verify(publicKey->get(), kSelfTest, *signature)) {
    return invalidArgument("signing key " + name + " fails a sign/verify self-test (corrupt key?)");
  }
  return SigningKey(std::move(key), std::move(publicKey).value(), std::move(jwk).value());
}

std::vector<std::uint8_t> SigningKey::sign(std::string_view signingInput) const {
  auto signature = rs256Sign(privateKey_.get(), signingInput);
  if (!signature) {
    std::fputs("fatal: RS256 signing failed with a verified key (out of memory?)\n", stderr);
    std::abort();
  }
  return std::move(signature).value();
}

}  // namespace ls::auth
