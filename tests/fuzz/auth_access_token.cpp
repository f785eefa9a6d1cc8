// An accepted access token has our issuer's claims and has not expired at
// the fixed time; a refusal is kUnauthenticated. Never a crash.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "auth/access_token.hpp"

namespace {

void check(bool invariant) {
  if (!invariant) std::abort();
}

// The key that signed corpus/auth_access_token/token_valid: 32 bytes of 0x07.
constexpr std::array<std::uint8_t, 32> kKey = [] {
  std::array<std::uint8_t, 32> k{};
  for (auto& b : k) b = 7;
  return k;
}();
constexpr std::int64_t kNow = 1'800'000'100;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  if ((data[0] & 1) == 0) {
    auto claims = ls::auth::verifyAccessToken(input, kKey, kNow);
    if (claims.ok()) {
      check(claims->exp > kNow && !claims->sub.empty() && !claims->sid.empty() && !claims->jti.empty());
    } else {
      check(claims.status().code() == ls::Code::kUnauthenticated);
    }
    return 0;
  }
  auto claims = ls::auth::parseAccessTokenPayload(input);
  if (!claims.ok()) check(claims.status().code() == ls::Code::kUnauthenticated);
  return 0;
}
