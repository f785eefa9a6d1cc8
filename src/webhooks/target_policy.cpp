#include "webhooks/target_policy.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "core/address_block.hpp"

namespace ls::webhooks {

namespace {

// IANA special-purpose registries, less the ranges that are ordinary public
// unicast in practice.
constexpr std::array<std::string_view, 16> kRefusedV4{
    "0.0.0.0/8",           // "this network", unspecified
    "10.0.0.0/8",          // RFC 1918
    "100.64.0.0/10",       // CGNAT (RFC 6598)
    "127.0.0.0/8",         // loopback
    "169.254.0.0/16",      // link-local (cloud metadata lives here)
    "172.16.0.0/12",       // RFC 1918
    "192.0.0.0/24",        // IETF protocol assignments
    "192.0.2.0/24",        // TEST-NET-1
    "192.88.99.0/24",      // 6to4 relay anycast (deprecated)
    "192.168.0.0/16",      // RFC 1918
    "198.18.0.0/15",       // benchmarking
    "198.51.100.0/24",     // TEST-NET-2
    "203.0.113.0/24",      // TEST-NET-3
    "224.0.0.0/4",         // multicast
    "240.0.0.0/4",         // reserved
    "255.255.255.255/32",  // broadcast (inside 240/4 too; named for the reader)
};

constexpr std::array<std::string_view, 9> kRefusedV6{
    "::/128",         // unspecified
    "::1/128",        // loopback
    "100::/64",       // discard-only
    "2001:db8::/32",  // documentation
    "3fff::/20",      // documentation (RFC 9637)
    "fc00::/7",       // unique local
    "fe80::/10",      // link-local
    "fec0::/10",      // site-local (deprecated, still private where used)
    "ff00::/8",       // multicast
};

const std::vector<AddressBlock>& blocks(bool v6) {
  static const auto build = [](auto list) {
    std::vector<AddressBlock> out;
    for (std::string_view text : list) out.push_back(*parseAddressBlock(text));
    return out;
  };
  static const std::vector<AddressBlock> kV4 = build(kRefusedV4);
  static const std::vector<AddressBlock> kV6 = build(kRefusedV6);
  return v6 ? kV6 : kV4;
}

bool inAny(const std::vector<AddressBlock>& list, std::string_view address) {
  for (const AddressBlock& b : list) {
    if (blockContains(b, address)) return true;
  }
  return false;
}

std::string dotted(const std::uint8_t* b) {
  return std::to_string(b[0]) + "." + std::to_string(b[1]) + "." + std::to_string(b[2]) + "." + std::to_string(b[3]);
}

bool allZero(const std::uint8_t* b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (b[i] != 0) return false;
  }
  return true;
}

}  // namespace

TargetClass classifyTarget(std::string_view address) {
  if (address.empty() || address.size() > 45) return TargetClass::kNotAnAddress;
  const std::string text(address);
  std::array<std::uint8_t, 16> bytes{};
  if (inet_pton(AF_INET, text.c_str(), bytes.data()) == 1) {
    return inAny(blocks(false), text) ? TargetClass::kRefused : TargetClass::kPublic;
  }
  if (inet_pton(AF_INET6, text.c_str(), bytes.data()) != 1) return TargetClass::kNotAnAddress;
  // blockContains reads ::ffff:a.b.c.d as its IPv4 form already.
  if (inAny(blocks(false), text) || inAny(blocks(true), text)) return TargetClass::kRefused;
  const std::uint8_t* b = bytes.data();
  std::string embedded;
  static constexpr std::array<std::uint8_t, 12> kNat64{0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (allZero(b, 12)) {
    embedded = dotted(b + 12);  // IPv4-compatible ::a.b.c.d (deprecated; never public)
  } else if (std::equal(kNat64.begin(), kNat64.end(), b)) {
    embedded = dotted(b + 12);
  } else if (b[0] == 0x20 && b[1] == 0x02) {
    embedded = dotted(b + 2);  // 6to4
  }
  if (!embedded.empty() && inAny(blocks(false), embedded)) return TargetClass::kRefused;
  return TargetClass::kPublic;
}

std::string refusedTargetReason(std::string_view address) {
  switch (classifyTarget(address)) {
    case TargetClass::kPublic: return "";
    case TargetClass::kRefused: return "target address is private: " + std::string(address);
    case TargetClass::kNotAnAddress: break;
  }
  return "target address is not an IP address";
}

}  // namespace ls::webhooks
