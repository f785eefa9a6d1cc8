// Which addresses a webhook may be delivered to. A partner's URL must not
// reach the operator's own network: loopback, private (RFC 1918, fc00::/7),
// link-local, CGNAT, unspecified, multicast, broadcast, documentation and
// other special-purpose ranges are refused, whatever name led there (the
// check runs on the very address being connected; http_client's socket
// filter). An IPv6 address carrying an IPv4 one (mapped ::ffff:a.b.c.d,
// compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) is judged by it.
// Pure: no resolution.
#pragma once

#include <string>
#include <string_view>

namespace ls::webhooks {

enum class TargetClass { kPublic, kRefused, kNotAnAddress };

// `address` is textual IPv4 or IPv6 (no brackets, no zone).
TargetClass classifyTarget(std::string_view address);

// "" when the address may be connected to; otherwise the attempt error,
// "target address is private: 10.0.0.1".
std::string refusedTargetReason(std::string_view address);

}  // namespace ls::webhooks
