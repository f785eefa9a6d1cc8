// decodeSecret gives InvalidArgument or a 16..64-byte key that encodes back to
// the same text; verifyWebhook and verifyLsSignature refuse or accept without
// crashing, and accept what signWebhook produced. Never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/encoding.hpp"
#include "webhooks/secret.hpp"
#include "webhooks/signature.hpp"

namespace {

void check(bool invariant) {
  if (!invariant) std::abort();
}

constexpr std::string_view kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::int64_t kNow = 1614265330;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ls::webhooks;
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (selector % 3) {
    case 0: {
      auto key = decodeSecret(text);
      if (key.ok()) {
        check(key->size() >= kMinSecretBytes && key->size() <= kMaxSecretBytes);
        check(std::string(kSecretPrefix) + ls::base64Encode(*key) == text);
      } else {
        check(key.status().code() == ls::Code::kInvalidArgument);
      }
      break;
    }
    case 1: {
      // text = the webhook-signature header; the body signs as itself.
      const ls::Status s = verifyWebhook("msg_1", "1614265330", text, text, kSecret, kNow);
      check(s.isOk() || s.code() == ls::Code::kUnauthenticated);
      const std::vector<std::string> secrets{std::string(kSecret)};
      auto signed_ = signWebhook("msg_1", kNow, text, secrets);
      check(signed_.ok());
      check(verifyWebhook("msg_1", signed_->webhookTimestamp, signed_->webhookSignature, text, kSecret, kNow).isOk());
      check(verifyLsSignature(signed_->lsSignature, text, kSecret, kNow).isOk());
      break;
    }
    default: {
      const ls::Status s = verifyLsSignature(text, "{}", kSecret, kNow);
      check(s.isOk() || s.code() == ls::Code::kUnauthenticated);
      break;
    }
  }
  return 0;
}
