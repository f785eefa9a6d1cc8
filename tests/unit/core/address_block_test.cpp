#include "core/address_block.hpp"

#include <gtest/gtest.h>

namespace ls {
namespace {

bool inBlock(std::string_view block, std::string_view address) {
  auto parsed = parseAddressBlock(block);
  EXPECT_TRUE(parsed.ok()) << block;
  return parsed.ok() && blockContains(*parsed, address);
}

TEST(AddressBlock, Ipv4BlocksAndSingleAddresses) {
  EXPECT_TRUE(inBlock("10.0.0.0/8", "10.200.3.4"));
  EXPECT_FALSE(inBlock("10.0.0.0/8", "11.0.0.1"));
  EXPECT_TRUE(inBlock("192.0.2.7", "192.0.2.7"));
  EXPECT_FALSE(inBlock("192.0.2.7", "192.0.2.8"));
  EXPECT_TRUE(inBlock("172.16.0.0/12", "172.31.255.255"));
  EXPECT_FALSE(inBlock("172.16.0.0/12", "172.32.0.0"));
  EXPECT_TRUE(inBlock("0.0.0.0/0", "203.0.113.9"));
}

TEST(AddressBlock, Ipv6AndMappedIpv4) {
  EXPECT_TRUE(inBlock("fd00::/8", "fd12:3456::1"));
  EXPECT_FALSE(inBlock("fd00::/8", "fe80::1"));
  EXPECT_TRUE(inBlock("::1", "::1"));
  // A dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d.
  EXPECT_TRUE(inBlock("127.0.0.0/8", "::ffff:127.0.0.1"));
  EXPECT_FALSE(inBlock("::1", "127.0.0.1"));
}

TEST(AddressBlock, RefusesWhatIsNotABlock) {
  for (const char* bad : {"", "example.com", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.1/8", "::1/129",
                          "1.2.3.4/8x", "999.1.1.1"}) {
    EXPECT_FALSE(parseAddressBlock(bad).ok()) << bad;
  }
}

TEST(AddressBlock, NonAddressesAreNeverInside) {
  auto any = parseAddressBlock("0.0.0.0/0");
  ASSERT_TRUE(any.ok());
  EXPECT_FALSE(blockContains(*any, ""));
  EXPECT_FALSE(blockContains(*any, "localhost"));
  EXPECT_FALSE(blockContains(*any, "10.0.0.1:1935"));
}

}  // namespace
}  // namespace ls
