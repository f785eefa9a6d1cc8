// libFuzzer target for the auth layer's parsers. The first input byte picks
// the entry point (low two bits): 0 verifyPushToken against a fixed key set,
// 1 PublicKeySet::fromJwks, 2 parsePushTokenPayload, 3 parseStrictJson. The
// rest is the input. Beyond "no crash", it checks that an accepted token
// really matches the expectations and that a parsed JWKS round-trips.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "auth/jwks.hpp"
#include "auth/push_token.hpp"
#include "auth/strict_json.hpp"

namespace {

// The public half of the key that signed corpus/auth_jwt/token_valid; its
// claims match the expectations in fuzzToken, so the seed reaches every check.
constexpr std::string_view kJwks =
    R"({"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"bZkWxoxmlZ3Dk1ftVKLIB3B638gHuQzIgPPFlUYYTX8",)"
    R"("n":"soGNloZaIPhXTxGvkitqHQmdmTGCJa4JPxBQKrY__c0yHtjwhw0GNuXzIvzNa9lmSD-3K0IgW7IfUmIXrQkEJEbDmXtY7Zy)"
    R"(xR_ZtigTIivv2KjvVBtT1oWcoW9CaTJgYiCAsHOBeNSj-BMsjtRbUPYD_aZxhNvrlQ6CCzL4bQUHyxHcKP28E1V1LCunLanl7gMp)"
    R"(D-NcLqxqo3WcPGC_WytM7BlIsWL4hIwteRxiaKdJn4eL57TcMEJZX4KY3xhC3x98YGyCm75f0E2QL2iLZHDPx3NDL44taUW5zUem)"
    R"(VrKONYtPZUS4CkNzBuDQ-Xgh0dfJet-7DtDB-i-kdTmYQDQ","e":"AQAB"}]})";

const ls::auth::PublicKeySet& fixedKeys() {
  static const auto keys = [] {
    auto parsed = ls::auth::PublicKeySet::fromJwks(kJwks);
    if (!parsed) std::abort();
    return std::make_unique<ls::auth::PublicKeySet>(std::move(parsed).value());
  }();
  return *keys;
}

void fuzzToken(std::string_view input) {
  ls::auth::PushTokenExpectations expect;
  expect.streamKey = "ee04affe2a669854052102fe762bd715";
  expect.mediaServerId = "a1b2c3d4-e5f6-4789-8abc-def012345678";
  expect.nowSeconds = 1768237968;
  expect.currentTokenId = "9f1c2d3e-4b5a-4678-9abc-0123456789ab";
  const ls::auth::PushTokenCheck check = ls::auth::verifyPushToken(input, fixedKeys(), expect);
  if (check.accepted &&
      (check.claims.streamKey != expect.streamKey || check.claims.mediaServerId != expect.mediaServerId ||
       check.claims.jti != *expect.currentTokenId || check.claims.exp + 60 <= expect.nowSeconds ||
       !check.reason.empty())) {
    std::abort();
  }
  if (!check.accepted && check.reason.empty()) std::abort();
}

void fuzzJwks(std::string_view input) {
  auto set = ls::auth::PublicKeySet::fromJwks(input);
  if (!set) return;
  auto again = ls::auth::PublicKeySet::fromJwks(set->toJwksJson());
  if (!again || again->size() != set->size() || again->toJwksJson() != set->toJwksJson()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] & 3) {
    case 0: fuzzToken(input); break;
    case 1: fuzzJwks(input); break;
    case 2: (void)ls::auth::parsePushTokenPayload(input); break;
    default: (void)ls::auth::parseStrictJson(input); break;
  }
  return 0;
}
