#include "webhooks/signature.hpp"

#include <charconv>
#include <optional>
#include <vector>

#include "auth/crypto.hpp"
#include "core/encoding.hpp"
#include "webhooks/secret.hpp"

namespace ls::webhooks {

namespace {

Status refused(std::string reason) {
  return {Code::kUnauthenticated, "webhook signature refused: " + std::move(reason)};
}

std::string lsSignatureOne(std::span<const std::uint8_t> key, std::string_view t, std::string_view body) {
  std::string input;
  input.reserve(t.size() + 1 + body.size());
  input.append(t).append(".").append(body);
  return hexEncode(auth::hmacSha256(key, input));
}

// Unix seconds as sent: decimal digits only, at most 18 of them.
std::optional<std::int64_t> parseSeconds(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) return std::nullopt;
  return v;
}

Status checkAge(std::int64_t t, std::int64_t nowSeconds, std::int64_t toleranceSeconds) {
  if (t < nowSeconds - toleranceSeconds) return refused("timestamp too old");
  if (t > nowSeconds + toleranceSeconds) return refused("timestamp too new");
  return Status::ok();
}

}  // namespace

std::string standardSignature(std::span<const std::uint8_t> key, std::string_view eventId, std::int64_t unixSeconds,
                              std::string_view body) {
  const std::string t = std::to_string(unixSeconds);
  std::string input;
  input.reserve(eventId.size() + t.size() + 2 + body.size());
  input.append(eventId).append(".").append(t).append(".").append(body);
  return "v1," + base64Encode(auth::hmacSha256(key, input));
}

Result<SignatureHeaders> signWebhook(std::string_view eventId, std::int64_t unixSeconds, std::string_view body,
                                     std::span<const std::string> secrets) {
  if (secrets.empty()) return invalidArgument("webhook endpoint has no secret to sign with");
  SignatureHeaders h;
  h.webhookId = std::string(eventId);
  h.webhookTimestamp = std::to_string(unixSeconds);
  h.lsSignature = "t=" + h.webhookTimestamp;
  for (const std::string& secret : secrets) {
    auto key = decodeSecret(secret);
    if (!key.ok()) return std::move(key).takeStatus();
    if (!h.webhookSignature.empty()) h.webhookSignature += ' ';
    h.webhookSignature += standardSignature(*key, eventId, unixSeconds, body);
    h.lsSignature += ",v1=" + lsSignatureOne(*key, h.webhookTimestamp, body);
  }
  return h;
}

Status verifyWebhook(std::string_view webhookId, std::string_view webhookTimestamp, std::string_view webhookSignature,
                     std::string_view body, std::string_view secret, std::int64_t nowSeconds,
                     std::int64_t toleranceSeconds) {
  auto key = decodeSecret(secret);
  if (!key.ok()) return std::move(key).takeStatus();
  if (webhookId.empty()) return refused("no webhook-id");
  const std::optional<std::int64_t> t = parseSeconds(webhookTimestamp);
  if (!t) return refused("webhook-timestamp is not unix seconds");
  LS_RETURN_IF_ERROR(checkAge(*t, nowSeconds, toleranceSeconds));
  const std::string expected = standardSignature(*key, webhookId, *t, body);
  std::string_view rest = webhookSignature;
  while (!rest.empty()) {
    const std::size_t space = rest.find(' ');
    const std::string_view one = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    if (one.starts_with("v1,") && constantTimeEquals(one, expected)) return Status::ok();
  }
  return refused("no matching v1 signature");
}

Status verifyLsSignature(std::string_view lsSignature, std::string_view body, std::string_view secret,
                         std::int64_t nowSeconds, std::int64_t toleranceSeconds) {
  auto key = decodeSecret(secret);
  if (!key.ok()) return std::move(key).takeStatus();
  std::optional<std::int64_t> t;
  std::string_view tText;
  std::vector<std::string_view> signatures;
  std::string_view rest = lsSignature;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (item.starts_with("t=")) {
      if (t) return refused("ls-signature has two timestamps");
      tText = item.substr(2);
      t = parseSeconds(tText);
      if (!t) return refused("ls-signature timestamp is not unix seconds");
    } else if (item.starts_with("v1=")) {
      signatures.push_back(item.substr(3));
    }
  }
  if (!t) return refused("ls-signature has no timestamp");
  LS_RETURN_IF_ERROR(checkAge(*t, nowSeconds, toleranceSeconds));
  const std::string expected = lsSignatureOne(*key, tText, body);
  for (std::string_view s : signatures) {
    if (constantTimeEquals(s, expected)) return Status::ok();
  }
  return refused("no matching v1 signature");
}

}  // namespace ls::webhooks
