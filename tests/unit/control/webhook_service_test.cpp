// WebhookService's rules that need no store: what an endpoint URL, its event
// types and description may be, the secret's and event id's form, the test
// event's exact bytes, and when a rotation's overlap is over.
#include "control/webhook_service.hpp"

#include <gtest/gtest.h>

#include <array>
#include <boost/json/parse.hpp>
#include <cctype>
#include <string>
#include <vector>

namespace ls::control {
namespace {

// Bytes 0, 1, 2, ... so the secret is known.
class CountingRandom final : public Random {
 public:
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = next_++;
  }

 private:
  std::uint8_t next_ = 0;
};

TEST(WebhookUrl, AcceptsAbsoluteHttpAndHttpsUrls) {
  for (const char* url : {"https://example.com/hooks", "http://127.0.0.1:8080/x?y=1", "HTTPS://Example.com",
                          "https://[::1]:9000/path", "http://host", "https://a.example:443/p#frag"}) {
    EXPECT_TRUE(validateWebhookUrl(url).isOk()) << url;
  }
}

TEST(WebhookUrl, RefusesWhatIsNotAnAbsoluteHttpUrl) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"", "url should not be empty"},
      {"example.com/hooks", "url must be an absolute http or https URL"},
      {"ftp://example.com", "url must be an absolute http or https URL"},
      {"javascript:alert(1)", "url must be an absolute http or https URL"},
      {"/relative", "url must be an absolute http or https URL"},
      {"https://user:pass@example.com/", "url must not contain a user name or password"},
      {"https://token@example.com/", "url must not contain a user name or password"},
      {"https:///path", "url must name a host"},
      {"https://", "url must name a host"},
      {"https://example.com:/x", "url has an invalid port"},
      {"https://example.com:0/x", "url has an invalid port"},
      {"https://example.com:65536/x", "url has an invalid port"},
      {"https://example.com:80a/x", "url has an invalid port"},
      {"https://[::1/x", "url has an invalid host"},
      {"https://exa mple.com/", "url must not contain spaces or control characters"},
      {"https://example.com/\n", "url must not contain spaces or control characters"},
  };
  for (const auto& [url, message] : cases) {
    const Status s = validateWebhookUrl(url);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << url;
    EXPECT_EQ(s.message(), message) << url;
  }
}

TEST(WebhookUrl, AtMost2048Characters) {
  const std::string base = "https://example.com/";
  EXPECT_TRUE(validateWebhookUrl(base + std::string(2048 - base.size(), 'a')).isOk());
  EXPECT_EQ(validateWebhookUrl(base + std::string(2049 - base.size(), 'a')).message(),
            "url must be at most 2048 characters");
}

TEST(WebhookUrl, HostIsLowercaseWithoutBracketsOrPort) {
  EXPECT_EQ(webhookUrlHost("https://Hooks.Example.com:8443/x?y#z"), "hooks.example.com");
  EXPECT_EQ(webhookUrlHost("http://[FE80::1]:80/"), "fe80::1");
  EXPECT_EQ(webhookUrlHost("http://10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(webhookUrlHost("not a url"), "");
}

TEST(WebhookUrl, WarnsOfLoopbackPrivateAndLinkLocalHostsWhileTheyAreRefused) {
  for (const char* url : {"http://localhost:3000/hook", "http://LOCALHOST./x", "http://api.localhost/x",
                          "http://127.0.0.1/x", "https://10.1.2.3/x", "https://172.16.0.9/x", "http://192.168.1.1/x",
                          "http://169.254.169.254/latest", "http://[::1]:8080/x", "http://[fe80::1]/x",
                          "http://[fd00::5]/x", "http://[::ffff:10.0.0.1]/x", "http://0.0.0.0/x"}) {
    const std::vector<std::string> w = webhookUrlWarnings(url, false);
    ASSERT_EQ(w.size(), 1u) << url;
    EXPECT_NE(w.front().find("webhooks.allow_private_targets"), std::string::npos) << w.front();
    EXPECT_TRUE(webhookUrlWarnings(url, true).empty()) << url;
  }
  EXPECT_EQ(webhookUrlWarnings("http://10.0.0.1:8080/x", false).front(),
            "url's host 10.0.0.1 is not a public address (loopback, private, link-local or reserved): deliveries to "
            "it are refused while webhooks.allow_private_targets is off");
  EXPECT_EQ(webhookUrlWarnings("http://localhost/x", false).front(),
            "url's host localhost is loopback: deliveries to it are refused while webhooks.allow_private_targets is "
            "off");
  // Public addresses and names (a name is judged only when it resolves, at delivery).
  for (const char* url : {"https://hooks.example.com/x", "https://93.184.216.34/x", "http://[2606:4700::1111]/x",
                          "https://localhost.example.com/x", "https://internal/x"}) {
    EXPECT_TRUE(webhookUrlWarnings(url, false).empty()) << url;
  }
}

TEST(WebhookEvents, TheEightTypesEachOnce) {
  ASSERT_EQ(webhookEventTypes().size(), 8u);
  std::vector<std::string> all(webhookEventTypes().begin(), webhookEventTypes().end());
  EXPECT_TRUE(validateWebhookEvents(all).isOk());
  EXPECT_TRUE(validateWebhookEvents({}).isOk());  // every type
  for (std::string_view t : webhookEventTypes()) EXPECT_NE(t, webhook_event::kTest);
}

TEST(WebhookEvents, UnknownTypesTheTestTypeAndDuplicatesAreEachNamed) {
  const Status s = validateWebhookEvents({"livestream.started", "webhook.test", "livestream.started", "nope"});
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  ASSERT_EQ(s.details().size(), 3u);
  EXPECT_TRUE(s.details()[0].starts_with("events: unknown event type 'webhook.test' (one of livestream.created,"))
      << s.details()[0];
  EXPECT_EQ(s.details()[1], "events: 'livestream.started' is listed twice");
  EXPECT_TRUE(s.details()[2].starts_with("events: unknown event type 'nope'"));
}

TEST(WebhookDescription, AtMost500Bytes) {
  EXPECT_TRUE(validateWebhookDescription("").isOk());
  EXPECT_TRUE(validateWebhookDescription(std::string(500, 'd')).isOk());
  EXPECT_EQ(validateWebhookDescription(std::string(501, 'd')).message(), "description must be at most 500 characters");
}

TEST(WebhookSecret, IsWhsecAndPaddedStandardBase64Of24Bytes) {
  CountingRandom counting;
  // Bytes 0x00..0x17, standard alphabet.
  EXPECT_EQ(newWebhookSecret(counting), "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX");
  SecureRandom random;
  const std::string a = newWebhookSecret(random);
  const std::string b = newWebhookSecret(random);
  EXPECT_NE(a, b);
  ASSERT_EQ(a.size(), 6u + 32u);
  EXPECT_TRUE(a.starts_with("whsec_"));
  for (char c : a.substr(6)) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/') << a;
}

TEST(WebhookEventId, IsEvtAnd32Hex) {
  CountingRandom counting;
  EXPECT_EQ(newWebhookEventId(counting), "evt_000102030405060708090a0b0c0d0e0f");
}

TEST(WebhookTestBody, TheContractsBytesInOrder) {
  const std::string body = webhookTestBody("3f2c9a1e-8b7d-4c6e-9f10-2a3b4c5d6e7f", 1'796'605'323'456);
  EXPECT_EQ(body,
            R"({"type":"webhook.test","timestamp":"2026-12-07T01:02:03.456Z","sequence":0,)"
            R"("data":{"endpointId":"3f2c9a1e-8b7d-4c6e-9f10-2a3b4c5d6e7f","message":"Test event from LunarStream"}})");
  EXPECT_TRUE(boost::json::parse(body).is_object());
}

TEST(WebhookRotation, RotatingUntilTheOverlapEnds) {
  WebhookEndpoint e;
  EXPECT_EQ(secretRotatingUntil(e, 1000), std::nullopt);
  e.previousSecret = "whsec_old";
  e.previousSecretExpiresAt = 5000;
  EXPECT_EQ(secretRotatingUntil(e, 1000), 5000);
  EXPECT_EQ(secretRotatingUntil(e, 5000), std::nullopt);
  e.previousSecret.clear();
  EXPECT_EQ(secretRotatingUntil(e, 1000), std::nullopt);
}

}  // namespace
}  // namespace ls::control
