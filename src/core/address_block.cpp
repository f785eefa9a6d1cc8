#include "core/address_block.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <string>

namespace ls {

namespace {

struct Address {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};
};

std::optional<Address> parseAddress(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string s(text);  // inet_pton needs a terminated string
  Address a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) return a;
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
  a.v6 = true;
  // ::ffff:a.b.c.d is the IPv4 peer of a dual-stack socket.
  static constexpr std::array<std::uint8_t, 12> kMapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMapped.begin(), kMapped.end(), a.bytes.begin())) {
    std::array<std::uint8_t, 16> v4{};
    std::copy(a.bytes.begin() + 12, a.bytes.end(), v4.begin());
    a = Address{false, v4};
  }
  return a;
}

bool prefixMatches(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b, int bits) {
  std::size_t i = 0;
  for (; bits >= 8; bits -= 8, ++i) {
    if (a[i] != b[i]) return false;
  }
  if (bits == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - bits));
  return (a[i] & mask) == (b[i] & mask);
}

}  // namespace

Result<AddressBlock> parseAddressBlock(std::string_view text) {
  const std::size_t slash = text.find('/');
  const std::optional<Address> address = parseAddress(text.substr(0, slash));
  if (!address) return invalidArgument("'" + std::string(text.substr(0, 64)) + "' is not an IP address or CIDR block");
  AddressBlock block;
  block.v6 = address->v6;
  block.bytes = address->bytes;
  const int maxBits = block.v6 ? 128 : 32;
  block.prefixLength = maxBits;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    int bits = -1;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (ec != std::errc() || end != digits.data() + digits.size() || bits < 0 || bits > maxBits) {
      return invalidArgument("'" + std::string(text.substr(0, 64)) + "' has a prefix length outside 0.." +
                             std::to_string(maxBits));
    }
    block.prefixLength = bits;
  }
  AddressBlock network = block;
  // The address must be the block's first: compare it with itself masked.
  for (int bit = block.prefixLength; bit < maxBits; ++bit) {
    const auto byte = static_cast<std::size_t>(bit / 8);
    network.bytes[byte] = static_cast<std::uint8_t>(network.bytes[byte] & ~(0x80 >> (bit % 8)));
  }
  if (network.bytes != block.bytes) {
    return invalidArgument("'" + std::string(text.substr(0, 64)) + "' has host bits set beyond its prefix");
  }
  return block;
}

bool blockContains(const AddressBlock& block, std::string_view address) {
  const std::optional<Address> a = parseAddress(address);
  if (!a || a->v6 != block.v6) return false;
  return prefixMatches(a->bytes, block.bytes, block.prefixLength);
}

}  // namespace ls
