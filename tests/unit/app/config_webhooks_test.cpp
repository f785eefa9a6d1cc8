// webhooks.* settings: defaults, durations with units, the retry schedule
// (also from LUNARSTREAM_WEBHOOKS_RETRY_SCHEDULE), and clear refusals.
#include <gtest/gtest.h>

#include "app/config.hpp"
#include "webhooks/duration.hpp"

namespace ls::app {
namespace {

TEST(ConfigWebhooks, DefaultsAreTheContractsOnes) {
  Config cfg;
  EXPECT_TRUE(cfg.webhooksEnabled);
  EXPECT_EQ(cfg.webhooksRetryScheduleMs, webhooks::defaultRetrySchedule());
  EXPECT_EQ(cfg.webhooksTimeoutMs, 10'000);
  EXPECT_FALSE(cfg.webhooksAllowPrivateTargets);
  EXPECT_EQ(cfg.webhooksDisableAfterMs, 5LL * 86'400'000);
  EXPECT_EQ(cfg.webhooksMaxInFlight, 256);
  EXPECT_EQ(cfg.webhooksPerEndpointConcurrency, 4);
  EXPECT_EQ(cfg.webhooksRetentionDays, 30);
  EXPECT_EQ(cfg.webhooksSecretOverlapMs, 24LL * 3'600'000);
}

TEST(ConfigWebhooks, ValuesApply) {
  Config cfg;
  ASSERT_TRUE(applyConfigValue(cfg, "webhooks.retry_schedule", "0s, 100ms, 1s").isOk());
  EXPECT_EQ(cfg.webhooksRetryScheduleMs, (std::vector<std::int64_t>{0, 100, 1000}));
  ASSERT_TRUE(applyConfigValue(cfg, "webhooks.disable_after", "2s").isOk());
  EXPECT_EQ(cfg.webhooksDisableAfterMs, 2000);
  ASSERT_TRUE(applyConfigValue(cfg, "webhooks.secret_overlap", "0s").isOk());
  EXPECT_EQ(cfg.webhooksSecretOverlapMs, 0);
  ASSERT_TRUE(applyConfigValue(cfg, "webhooks.allow_private_targets", "true").isOk());
  EXPECT_TRUE(cfg.webhooksAllowPrivateTargets);
  ASSERT_TRUE(applyConfigValue(cfg, "webhooks.enabled", "false").isOk());
  EXPECT_FALSE(cfg.webhooksEnabled);
  ASSERT_TRUE(applyConfigValue(cfg, "webhooks.timeout_ms", "250").isOk());
  EXPECT_EQ(cfg.webhooksTimeoutMs, 250);
}

TEST(ConfigWebhooks, TheRetryScheduleComesFromTheEnvironment) {
  std::string e = "LUNARSTREAM_WEBHOOKS_RETRY_SCHEDULE=0s, 200ms, 200ms";
  char* env[] = {e.data(), nullptr};
  ConfigValues values = configFromEnvironment(env);
  ASSERT_EQ(values.count("webhooks.retry_schedule"), 1u);
  Config cfg;
  ASSERT_TRUE(applyConfigValue(cfg, "webhooks.retry_schedule", values["webhooks.retry_schedule"]).isOk());
  EXPECT_EQ(cfg.webhooksRetryScheduleMs, (std::vector<std::int64_t>{0, 200, 200}));
}

TEST(ConfigWebhooks, BadValuesAreRefusedClearly) {
  Config cfg;
  const auto message = [&cfg](std::string_view key, std::string_view value) {
    const Status s = applyConfigValue(cfg, key, value);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << key << "=" << value;
    return s.message();
  };
  EXPECT_EQ(message("webhooks.retry_schedule", "5s, 5m"),
            "config webhooks.retry_schedule: must start with 0s: the first attempt is made as the event happens");
  EXPECT_EQ(message("webhooks.retry_schedule", "0s, 5 minutes"),
            "config webhooks.retry_schedule: retry schedule entry 2: duration ' 5 minutes' has an unknown unit "
            "(ms, s, m, h or d)");
  EXPECT_EQ(message("webhooks.disable_after", "5"),
            "config webhooks.disable_after: duration '5' has no unit (ms, s, m, h or d)");
  EXPECT_EQ(message("webhooks.disable_after", "10ms"), "config webhooks.disable_after: must be 1s to 366d");
  EXPECT_EQ(message("webhooks.allow_private_targets", "yes"),
            "config webhooks.allow_private_targets: must be true or false");
  EXPECT_NE(message("webhooks.timeout_ms", "0").find("out of range 100..600000"), std::string::npos);
  EXPECT_NE(message("webhooks.max_in_flight", "0").find("out of range"), std::string::npos);
  EXPECT_EQ(cfg.webhooksRetryScheduleMs, webhooks::defaultRetrySchedule()) << "a bad value leaves the previous one";
}

}  // namespace
}  // namespace ls::app
