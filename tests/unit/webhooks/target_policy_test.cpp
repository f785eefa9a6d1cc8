#include "webhooks/target_policy.hpp"

#include <gtest/gtest.h>

namespace ls::webhooks {
namespace {

TEST(WebhookTargetPolicy, RefusesEveryNonPublicRange) {
  for (const char* a :
       {"127.0.0.1", "127.255.255.254", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.1.1",
        "100.64.0.1", "100.127.255.255", "169.254.169.254", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250",
        "255.255.255.255", "240.0.0.1", "192.0.2.10", "198.51.100.7", "203.0.113.200", "198.18.0.1", "192.0.0.8",
        // IPv6
        "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "ff02::1", "2001:db8::1", "100::1", "fec0::1",
        // IPv4 inside IPv6
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:0:0", "::127.0.0.1", "::10.0.0.1",
        "64:ff9b::10.0.0.1", "64:ff9b::7f00:1", "2002:a00:1::1", "2002:7f00:1::"}) {
    EXPECT_EQ(classifyTarget(a), TargetClass::kRefused) << a;
    EXPECT_EQ(refusedTargetReason(a), "target address is private: " + std::string(a)) << a;
  }
}

TEST(WebhookTargetPolicy, AllowsPublicAddresses) {
  for (const char* a : {"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.15.255.255", "172.32.0.1", "100.63.255.255",
                        "100.128.0.1", "169.253.0.1", "11.0.0.1", "192.169.0.1", "2606:4700:4700::1111",
                        "2a00:1450:4001::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"}) {
    EXPECT_EQ(classifyTarget(a), TargetClass::kPublic) << a;
    EXPECT_EQ(refusedTargetReason(a), "") << a;
  }
}

TEST(WebhookTargetPolicy, NamesAreNotAddresses) {
  for (const char* a : {"", "localhost", "example.com", "10.0.0.1/8", "[::1]", "fe80::1%eth0", "1.2.3", "::ffff:"}) {
    EXPECT_EQ(classifyTarget(a), TargetClass::kNotAnAddress) << a;
    EXPECT_EQ(refusedTargetReason(a), "target address is not an IP address") << a;
  }
}

}  // namespace
}  // namespace ls::webhooks
