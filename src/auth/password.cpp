#include "auth/password.hpp"

#include <argon2.h>

#include <array>
#include <charconv>
#include <optional>

namespace ls::auth {

namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
constexpr std::size_t kMaxEncodedBytes = 512;
constexpr std::string_view kArgon2idPrefix = "$argon2id$v=19$";
constexpr std::uint32_t kMaxMemoryKiB = 1024 * 1024;
constexpr std::uint32_t kMaxTimeCost = 16;
constexpr std::uint32_t kMaxParallelism = 16;

// Reads "m=<n>,t=<n>,p=<n>$" after the version, as libargon2 writes it.
std::optional<PasswordHashParams> encodedParams(std::string_view encoded) {
  if (encoded.size() > kMaxEncodedBytes || !encoded.starts_with(kArgon2idPrefix)) return std::nullopt;
  std::string_view rest = encoded.substr(kArgon2idPrefix.size());
  PasswordHashParams params;
  const auto field = [&rest](std::string_view name, char end, std::uint32_t* out) {
    if (!rest.starts_with(name)) return false;
    rest.remove_prefix(name.size());
    const auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), *out);
    if (ec != std::errc() || ptr == rest.data() + rest.size() || *ptr != end) return false;
    rest.remove_prefix(static_cast<std::size_t>(ptr - rest.data()) + 1);
    return true;
  };
  if (!field("m=", ',', &params.memoryKiB) || !field("t=", ',', &params.timeCost) ||
      !field("p=", '$', &params.parallelism)) {
    return std::nullopt;
  }
  return params;
}

}  // namespace

Result<std::string> hashPassword(std::string_view password, Random& random, const PasswordHashParams& params) {
  if (password.size() > kMaxPasswordBytes) return invalidArgument("password is longer than 1024 bytes");
  if (params.memoryKiB > kMaxMemoryKiB || params.timeCost > kMaxTimeCost || params.parallelism > kMaxParallelism) {
    return invalidArgument("argon2id parameters are above the accepted maximum");
  }
  std::array<std::uint8_t, kSaltBytes> salt{};
  random.fill(salt);
  const std::size_t encodedLength =
      argon2_encodedlen(params.timeCost, params.memoryKiB, params.parallelism, kSaltBytes, kHashBytes, Argon2_id);
  std::string encoded(encodedLength, '\0');
  const int rc =
      argon2id_hash_encoded(params.timeCost, params.memoryKiB, params.parallelism, password.data(), password.size(),
                            salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) return internalError(std::string("argon2id failed: ") + argon2_error_message(rc));
  // argon2_encodedlen counts the terminator and may overestimate.
  if (const std::size_t end = encoded.find('\0'); end != std::string::npos) encoded.resize(end);
  return encoded;
}

bool verifyPassword(std::string_view password, std::string_view encoded) {
  if (password.size() > kMaxPasswordBytes) return false;
  const auto params = encodedParams(encoded);
  if (!params || params->memoryKiB > kMaxMemoryKiB || params->timeCost > kMaxTimeCost ||
      params->parallelism > kMaxParallelism) {
    return false;
  }
  // libargon2 wants a NUL-terminated string; argon2id_verify compares in
  // constant time.
  const std::string terminated(encoded);
  return argon2id_verify(terminated.c_str(), password.data(), password.size()) == ARGON2_OK;
}

bool passwordNeedsRehash(std::string_view encoded, const PasswordHashParams& params) {
  const auto current = encodedParams(encoded);
  return !current || current->memoryKiB != params.memoryKiB || current->timeCost != params.timeCost ||
         current->parallelism != params.parallelism;
}

}  // namespace ls::auth
