// IP address blocks ("10.0.0.0/8", "192.0.2.7", "fd00::/8", "::1") and
// whether an address falls in one. Used for the addresses whose media-server
// hook calls need no secret. Pure: no I/O, no name resolution.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/status.hpp"

namespace ls {

struct AddressBlock {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // v4 uses the first 4
  int prefixLength = 0;                  // 0..32 for v4, 0..128 for v6
};

// A single address is a block of one (/32, /128). Host bits beyond the
// prefix must be zero ("10.0.0.1/8" is refused, it is probably a typo).
Result<AddressBlock> parseAddressBlock(std::string_view text);

// Whether `address` (textual IPv4 or IPv6, as a socket reports it; an
// IPv4-mapped IPv6 address counts as its IPv4 form) lies in `block`.
// False for anything that is not an address.
bool blockContains(const AddressBlock& block, std::string_view address);

}  // namespace ls
