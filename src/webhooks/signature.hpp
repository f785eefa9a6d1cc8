// The signature headers of a webhook request (docs/webhooks.md):
//   webhook-id: <event id>
//   webhook-timestamp: <unix seconds>
//   webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<t>.<body>")>[ v1,<...>]   (Standard Webhooks)
//   ls-signature: t=<t>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>[,v1=<...>]
// One signature per live secret, the current one first (a rotation keeps the
// previous one signing for its overlap). Pure: the caller gives the time.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace ls::webhooks {

struct SignatureHeaders {
  std::string webhookId;
  std::string webhookTimestamp;
  std::string webhookSignature;
  std::string lsSignature;
};

// Receivers refuse a timestamp further than this from their clock.
inline constexpr std::int64_t kDefaultToleranceSeconds = 300;

// The headers for one attempt. InvalidArgument when there is no secret or
// one of them does not decode (secret.hpp).
Result<SignatureHeaders> signWebhook(std::string_view eventId, std::int64_t unixSeconds, std::string_view body,
                                     std::span<const std::string> secrets);

// The Standard Webhooks signature of one message under one key: "v1,<base64>".
std::string standardSignature(std::span<const std::uint8_t> key, std::string_view eventId, std::int64_t unixSeconds,
                              std::string_view body);

// A receiver's check of the Standard Webhooks headers against one secret: the
// timestamp within toleranceSeconds of nowSeconds and one of the
// space-separated v1 signatures matching (constant-time). kUnauthenticated
// with the reason otherwise; InvalidArgument for a secret that does not decode.
Status verifyWebhook(std::string_view webhookId, std::string_view webhookTimestamp, std::string_view webhookSignature,
                     std::string_view body, std::string_view secret, std::int64_t nowSeconds,
                     std::int64_t toleranceSeconds = kDefaultToleranceSeconds);

// The same check of an ls-signature header ("t=<t>,v1=<hex>[,v1=<hex>]").
Status verifyLsSignature(std::string_view lsSignature, std::string_view body, std::string_view secret,
                         std::int64_t nowSeconds, std::int64_t toleranceSeconds = kDefaultToleranceSeconds);

}  // namespace ls::webhooks
