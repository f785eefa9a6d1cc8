#include "webhooks/signature.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ls::webhooks {
namespace {

// The Standard Webhooks specification's published example.
constexpr std::string_view kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view kId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t kTimestamp = 1614265330;
constexpr std::string_view kBody = R"({"test": 2432232314})";
constexpr std::string_view kExpected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
// A second key (bytes 0..23) for rotations; its figures computed independently (node:crypto).
constexpr std::string_view kOther = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX";

TEST(WebhookSignature, MatchesTheStandardWebhooksTestVector) {
  const std::vector<std::string> secrets{std::string(kSecret)};
  auto h = signWebhook(kId, kTimestamp, kBody, secrets);
  ASSERT_TRUE(h.ok()) << h.status().message();
  EXPECT_EQ(h->webhookId, kId);
  EXPECT_EQ(h->webhookTimestamp, "1614265330");
  EXPECT_EQ(h->webhookSignature, kExpected);
  EXPECT_EQ(h->lsSignature, "t=1614265330,v1=e96203c6de850e7dc1fde7489ef6140b402d3a5a64fe250cd2eef9830fac1cef");
}

TEST(WebhookSignature, DuringARotationEverySecretSignsCurrentFirst) {
  const std::vector<std::string> secrets{std::string(kOther), std::string(kSecret)};
  auto h = signWebhook(kId, kTimestamp, kBody, secrets);
  ASSERT_TRUE(h.ok()) << h.status().message();
  EXPECT_EQ(h->webhookSignature, "v1,/485aUtxlie+TIScVpHggMfqOB4so2KWb7+Gf727B44= " + std::string(kExpected));
  EXPECT_EQ(h->lsSignature,
            "t=1614265330,v1=f8a9a71cde69dd2b31f5a5610f2db4dea2cd63dad5850db95e38c87e48cb9ff9"
            ",v1=e96203c6de850e7dc1fde7489ef6140b402d3a5a64fe250cd2eef9830fac1cef");
  // A receiver holding either secret accepts both headers.
  for (std::string_view secret : {kSecret, kOther}) {
    EXPECT_TRUE(verifyWebhook(kId, h->webhookTimestamp, h->webhookSignature, kBody, secret, kTimestamp).isOk());
    EXPECT_TRUE(verifyLsSignature(h->lsSignature, kBody, secret, kTimestamp).isOk());
  }
}

TEST(WebhookSignature, SigningNeedsAValidSecret) {
  EXPECT_EQ(signWebhook(kId, kTimestamp, kBody, {}).status().code(), Code::kInvalidArgument);
  const std::vector<std::string> bad{"whsec_???"};
  EXPECT_EQ(signWebhook(kId, kTimestamp, kBody, bad).status().code(), Code::kInvalidArgument);
}

TEST(WebhookSignature, VerifyRefusesTamperingStaleAndFutureTimestamps) {
  const std::string ts = "1614265330";
  EXPECT_TRUE(verifyWebhook(kId, ts, kExpected, kBody, kSecret, kTimestamp + 300).isOk());
  EXPECT_TRUE(verifyWebhook(kId, ts, "v1,bm9wZQ== " + std::string(kExpected), kBody, kSecret, kTimestamp).isOk());
  const auto refused = [](const Status& s) { return s.code() == Code::kUnauthenticated; };
  EXPECT_TRUE(refused(verifyWebhook(kId, ts, kExpected, R"({"test": 2432232315})", kSecret, kTimestamp)));
  EXPECT_TRUE(refused(verifyWebhook("msg_other", ts, kExpected, kBody, kSecret, kTimestamp)));
  EXPECT_TRUE(refused(verifyWebhook(kId, ts, kExpected, kBody, kOther, kTimestamp)));
  EXPECT_TRUE(refused(verifyWebhook(kId, ts, kExpected, kBody, kSecret, kTimestamp + 301)));
  EXPECT_TRUE(refused(verifyWebhook(kId, ts, kExpected, kBody, kSecret, kTimestamp - 301)));
  EXPECT_TRUE(refused(verifyWebhook(kId, "16142653x0", kExpected, kBody, kSecret, kTimestamp)));
  EXPECT_TRUE(
      refused(verifyWebhook(kId, ts, "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", kBody, kSecret, kTimestamp)));
  EXPECT_TRUE(refused(verifyWebhook(kId, ts, "", kBody, kSecret, kTimestamp)));
  EXPECT_EQ(verifyWebhook(kId, ts, kExpected, kBody, "not-a-secret", kTimestamp).code(), Code::kInvalidArgument);
}

TEST(WebhookSignature, LsSignatureVerification) {
  const std::string header = "t=1614265330,v1=e96203c6de850e7dc1fde7489ef6140b402d3a5a64fe250cd2eef9830fac1cef";
  EXPECT_TRUE(verifyLsSignature(header, kBody, kSecret, kTimestamp).isOk());
  const auto refused = [](const Status& s) { return s.code() == Code::kUnauthenticated; };
  EXPECT_TRUE(refused(verifyLsSignature(header, "{}", kSecret, kTimestamp)));
  EXPECT_TRUE(refused(verifyLsSignature(header, kBody, kSecret, kTimestamp + 301)));
  EXPECT_TRUE(refused(verifyLsSignature("v1=e96203c6de850e7dc1fde7489ef6140b402d3a5a64fe250cd2eef9830fac1cef", kBody,
                                        kSecret, kTimestamp)));
  EXPECT_TRUE(refused(verifyLsSignature("t=1614265330,t=1614265330," + header.substr(14), kBody, kSecret, kTimestamp)));
  EXPECT_TRUE(refused(verifyLsSignature("t=1614265330", kBody, kSecret, kTimestamp)));
}

}  // namespace
}  // namespace ls::webhooks
