#include "webhooks/duration.hpp"

#include <gtest/gtest.h>

namespace ls::webhooks {
namespace {

TEST(WebhookDuration, ParsesEveryUnit) {
  EXPECT_EQ(*parseDurationMs("250ms"), 250);
  EXPECT_EQ(*parseDurationMs("0s"), 0);
  EXPECT_EQ(*parseDurationMs("5s"), 5000);
  EXPECT_EQ(*parseDurationMs(" 5m "), 300'000);
  EXPECT_EQ(*parseDurationMs("2h"), 7'200'000);
  EXPECT_EQ(*parseDurationMs("5d"), 432'000'000);
  EXPECT_EQ(*parseDurationMs("366d"), kMaxDurationMs);
}

TEST(WebhookDuration, RefusalsAreClear) {
  const auto message = [](std::string_view s) {
    auto r = parseDurationMs(s);
    EXPECT_FALSE(r.ok()) << s;
    return r.ok() ? std::string() : r.status().message();
  };
  EXPECT_EQ(message("5"), "duration '5' has no unit (ms, s, m, h or d)");
  EXPECT_EQ(message("5w"), "duration '5w' has an unknown unit (ms, s, m, h or d)");
  EXPECT_EQ(message("5 s"), "duration '5 s' has an unknown unit (ms, s, m, h or d)");
  EXPECT_EQ(message("5S"), "duration '5S' has an unknown unit (ms, s, m, h or d)");
  EXPECT_EQ(message("-5s"), "duration '-5s' must be a whole number with a unit (ms, s, m, h, d), e.g. 5m");
  EXPECT_EQ(message("1.5s"), "duration '1.5s' has an unknown unit (ms, s, m, h or d)");
  EXPECT_EQ(message(""), "duration '' must be a whole number with a unit (ms, s, m, h, d), e.g. 5m");
  EXPECT_EQ(message("367d"), "duration '367d' is longer than 366 days");
  EXPECT_EQ(message("99999999999999999999999ms"), "duration '99999999999999999999999ms' is longer than 366 days");
  EXPECT_EQ(message(std::string(60, '9')), "duration '" + std::string(40, '9') + "...' has no unit (ms, s, m, h or d)");
  EXPECT_EQ(message(std::string("5\ns")), "duration '5?s' has an unknown unit (ms, s, m, h or d)");
}

TEST(WebhookDuration, RetryScheduleIsACommaList) {
  auto s = parseRetrySchedule("0s, 5s, 5m, 30m, 2h, 5h, 10h, 10h");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(*s, defaultRetrySchedule());
  EXPECT_EQ(s->size(), 8u);
  EXPECT_EQ(*parseRetrySchedule("0s,100ms,100ms"), (std::vector<std::int64_t>{0, 100, 100}));
  EXPECT_EQ(*parseRetrySchedule("0s"), std::vector<std::int64_t>{0});
}

TEST(WebhookDuration, RetryScheduleRefusalsNameTheEntry) {
  EXPECT_EQ(parseRetrySchedule(" ").status().message(),
            "retry schedule is empty: give at least one duration, e.g. 0s, 5s, 5m");
  EXPECT_EQ(parseRetrySchedule("0s, 5x").status().message(),
            "retry schedule entry 2: duration ' 5x' has an unknown unit (ms, s, m, h or d)");
  EXPECT_EQ(parseRetrySchedule("0s,,5s").status().message(),
            "retry schedule entry 2: duration '' must be a whole number with a unit (ms, s, m, h, d), e.g. 5m");
  EXPECT_EQ(parseRetrySchedule("0s,").status().code(), Code::kInvalidArgument);
  std::string many = "0s";
  for (int i = 0; i < 50; ++i) many += ",1s";
  EXPECT_EQ(parseRetrySchedule(many).status().message(), "retry schedule has more than 50 entries");
}

TEST(WebhookDuration, FormatReadsBack) {
  for (std::int64_t ms : std::vector<std::int64_t>{0, 1, 999, 1000, 1500, 60'000, 90'000, 3'600'000, 86'400'000,
                                                   5LL * 86'400'000, kMaxDurationMs}) {
    auto back = parseDurationMs(formatDuration(ms));
    ASSERT_TRUE(back.ok()) << formatDuration(ms);
    EXPECT_EQ(*back, ms);
  }
  EXPECT_EQ(formatDuration(300'000), "5m");
  EXPECT_EQ(formatDuration(1500), "1500ms");
  EXPECT_EQ(formatDuration(5LL * 86'400'000), "5d");
}

}  // namespace
}  // namespace ls::webhooks
