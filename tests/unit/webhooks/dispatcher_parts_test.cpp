// The Dispatcher's pure parts: the outcome after a failure, the disable
// reason's wording, what a response prefix keeps, and the /metrics text.
#include <gtest/gtest.h>

#include "webhooks/dispatcher.hpp"

namespace ls::webhooks {
namespace {

TEST(WebhookDispatcherParts, ScheduleGivesEightAttemptsByDefault) {
  const auto& schedule = defaultRetrySchedule();
  for (std::int64_t attempts = 1; attempts <= 7; ++attempts) {
    EXPECT_EQ(outcomeAfterFailure(schedule, attempts), WebhookAttemptOutcome::kRetry) << attempts;
  }
  EXPECT_EQ(outcomeAfterFailure(schedule, 8), WebhookAttemptOutcome::kFailed);
  EXPECT_EQ(outcomeAfterFailure(schedule, 9), WebhookAttemptOutcome::kFailed);
  EXPECT_EQ(outcomeAfterFailure({0}, 1), WebhookAttemptOutcome::kFailed);
}

TEST(WebhookDispatcherParts, HumanDurations) {
  EXPECT_EQ(humanDuration(5LL * 86'400'000), "5 days");
  EXPECT_EQ(humanDuration(86'400'000), "1 day");
  EXPECT_EQ(humanDuration(3'600'000), "1 hour");
  EXPECT_EQ(humanDuration(90'000), "90 seconds");
  EXPECT_EQ(humanDuration(1500), "1500 milliseconds");
  EXPECT_EQ(humanDuration(0), "0 milliseconds");
}

TEST(WebhookDispatcherParts, PrintableUtf8KeepsTextAndReplacesTheRest) {
  EXPECT_EQ(printableUtf8("ok {\"a\":1}"), "ok {\"a\":1}");
  EXPECT_EQ(printableUtf8("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"), "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80");
  EXPECT_EQ(printableUtf8(std::string("a\0b", 3)), "a?b");
  EXPECT_EQ(printableUtf8("\xff\xfe"), "??");
  EXPECT_EQ(printableUtf8("cut \xe2\x82"), "cut ??");    // a character cut by the 1024-byte prefix
  EXPECT_EQ(printableUtf8("\xc0\xaf"), "??");            // overlong
  EXPECT_EQ(printableUtf8("\xed\xa0\x80"), "???");       // surrogate
  EXPECT_EQ(printableUtf8("\xf4\x90\x80\x80"), "????");  // past U+10FFFF
}

TEST(WebhookDispatcherParts, MetricsText) {
  DispatcherCounters c;
  c.succeeded = 7;
  c.retried = 3;
  c.refused = 1;
  c.failed = 2;
  c.backlog = 12;
  c.backlogAgeMs = 4250;
  std::string out;
  appendWebhookMetrics(out, c);
  EXPECT_NE(out.find("# TYPE lunarstream_webhook_deliveries_total counter\n"), std::string::npos) << out;
  EXPECT_NE(out.find("lunarstream_webhook_deliveries_total{outcome=\"succeeded\"} 7\n"), std::string::npos) << out;
  EXPECT_NE(out.find("lunarstream_webhook_deliveries_total{outcome=\"retry\"} 3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("lunarstream_webhook_deliveries_total{outcome=\"refused\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("lunarstream_webhook_deliveries_total{outcome=\"failed\"} 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("# TYPE lunarstream_webhook_backlog gauge\nlunarstream_webhook_backlog 12\n"), std::string::npos)
      << out;
  EXPECT_NE(out.find("lunarstream_webhook_backlog_age_seconds 4.250\n"), std::string::npos) << out;
}

}  // namespace
}  // namespace ls::webhooks
