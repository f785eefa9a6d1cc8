#include "webhooks/secret.hpp"

#include <gtest/gtest.h>

#include <set>

#include "core/encoding.hpp"

namespace ls::webhooks {
namespace {

TEST(WebhookSecret, GeneratedIsWhsecAndBase64Of24Bytes) {
  SecureRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    const std::string secret = generateSecret(random);
    EXPECT_TRUE(secret.starts_with("whsec_")) << secret;
    EXPECT_EQ(secret.size(), 6u + 32u) << secret;
    auto key = decodeSecret(secret);
    ASSERT_TRUE(key.ok()) << key.status().message();
    EXPECT_EQ(key->size(), 24u);
    EXPECT_EQ(std::string("whsec_") + base64Encode(*key), secret);
    seen.insert(secret);
  }
  EXPECT_EQ(seen.size(), 20u);
}

TEST(WebhookSecret, DecodesTheStandardWebhooksExample) {
  auto key = decodeSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(key->size(), 24u);
  EXPECT_EQ(hexEncode(*key), "31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0");
}

TEST(WebhookSecret, RefusalsSayWhatIsWrongWithoutQuotingTheSecret) {
  const auto message = [](std::string_view s) {
    auto r = decodeSecret(s);
    EXPECT_FALSE(r.ok()) << s;
    if (r.ok()) return std::string();
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    if (s.size() > 12) {
      EXPECT_EQ(r.status().message().find(s.substr(6)), std::string::npos) << r.status().message();
    }
    return r.status().message();
  };
  EXPECT_EQ(message("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "webhook secret does not start with whsec_");
  EXPECT_EQ(message("whsec_"), "webhook secret has no key after whsec_");
  EXPECT_NE(message("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS").find("not standard base64"), std::string::npos);
  EXPECT_NE(message("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa-w").find("not standard base64"), std::string::npos);
  EXPECT_NE(message("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw=").find("not standard base64"), std::string::npos);
  EXPECT_EQ(message("whsec_c2hvcnQ="), "webhook secret key is 5 bytes; it must be 16 to 64");
  EXPECT_EQ(message("whsec_" + base64Encode(std::vector<std::uint8_t>(65, 7))),
            "webhook secret key is 65 bytes; it must be 16 to 64");
}

}  // namespace
}  // namespace ls::webhooks
