// Usage metering's in-memory side: hour buckets, per-stream counters, the
// media-time counter and the meter's drain.
#include "core/usage.hpp"

#include <gtest/gtest.h>

namespace ls::usage {
namespace {

constexpr UnixMillis kH = kHourMs;

TEST(UsageTest, SplitsSpansAtHourBoundaries) {
  EXPECT_TRUE(splitByHour(5 * kH, 0).empty());
  EXPECT_EQ(splitByHour(5 * kH + 1000, 1000), (std::vector<std::pair<UnixMillis, std::int64_t>>{{5 * kH, 1000}}));
  // 1.5 s ending 0.5 s after the hour: 1 s in the hour before, 0.5 s in the next.
  EXPECT_EQ(splitByHour(5 * kH + 500, 1500),
            (std::vector<std::pair<UnixMillis, std::int64_t>>{{4 * kH, 1000}, {5 * kH, 500}}));
  // Ending exactly on the hour belongs to the hour before.
  EXPECT_EQ(splitByHour(5 * kH, 200), (std::vector<std::pair<UnixMillis, std::int64_t>>{{4 * kH, 200}}));
  // Longer than an hour: three buckets.
  EXPECT_EQ(splitByHour(3 * kH + 10, kH + 20),
            (std::vector<std::pair<UnixMillis, std::int64_t>>{{1 * kH, 10}, {2 * kH, kH}, {3 * kH, 10}}));
  EXPECT_EQ(hourStart(-1), -kH);
}

TEST(UsageTest, StreamUsageSplitsDurationsAndCountsEgressPerHour) {
  StreamUsage s("p", "ls");
  s.addDuration(Metric::kIngestMs, "", 2 * kH + 300, 1000);  // 700 ms before the hour, 300 after
  s.addDuration(Metric::kTranscodeMs, "720", 2 * kH + 300, 1000);
  s.addEgress(2 * kH - 1, 100);
  s.addEgress(2 * kH, 50);
  s.addEgress(2 * kH + 5, 0);  // an empty body is still a request
  std::vector<UsageRow> rows;
  s.drainInto(rows);
  rows = mergeRows(std::move(rows));
  const std::vector<UsageRow> expected = {
      {"p", "ls", kH, "egress_bytes", "", 100},    {"p", "ls", kH, "egress_requests", "", 1},
      {"p", "ls", kH, "ingest_ms", "", 700},       {"p", "ls", kH, "transcode_ms", "720", 700},
      {"p", "ls", 2 * kH, "egress_bytes", "", 50}, {"p", "ls", 2 * kH, "egress_requests", "", 2},
      {"p", "ls", 2 * kH, "ingest_ms", "", 300},   {"p", "ls", 2 * kH, "transcode_ms", "720", 300},
  };
  EXPECT_EQ(rows, expected);
  EXPECT_TRUE(s.empty());
}

TEST(UsageTest, MediaTimeCountsTimestampAdvancesOnly) {
  MediaTimeCounter c;
  EXPECT_EQ(c.step(1000), 0);  // the first frame is the baseline
  EXPECT_EQ(c.step(1033), 33);
  EXPECT_EQ(c.step(1033), 0);
  EXPECT_EQ(c.step(1066), 33);
  EXPECT_EQ(c.lastStep(), 33);
  EXPECT_EQ(c.step(500), 0);  // back: a new baseline, nothing counted
  EXPECT_EQ(c.step(540), 40);
  EXPECT_EQ(c.step(540 + MediaTimeCounter::kMaxStepMs + 1), 0);  // a clock reset forward counts nothing
  EXPECT_EQ(c.step(540 + MediaTimeCounter::kMaxStepMs + 34), 33);
}

TEST(UsageTest, MeterDrainsEveryStreamAndForgetsReleasedOnes) {
  UsageMeter meter;
  auto a = meter.open("p", "a");
  auto b = meter.open("p", "b");
  a->addCount(Metric::kEgressBytes, 10, 5);
  b->addCount(Metric::kEgressBytes, 10, 7);
  b.reset();  // released: its last counts still come out once
  std::vector<UsageRow> rows = meter.drain();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].livestreamId, "a");
  EXPECT_EQ(rows[1].livestreamId, "b");
  EXPECT_EQ(rows[1].value, 7);
  EXPECT_TRUE(meter.drain().empty());
  a->addCount(Metric::kEgressBytes, 10, 1);
  rows = meter.drain();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].value, 1);
}

TEST(UsageTest, MetricNamesRoundTrip) {
  for (const Metric m : {Metric::kIngestMs, Metric::kTranscodeMs, Metric::kEgressBytes, Metric::kEgressRequests}) {
    Metric parsed{};
    ASSERT_TRUE(parseMetric(metricName(m), parsed));
    EXPECT_EQ(parsed, m);
  }
  Metric unused{};
  EXPECT_FALSE(parseMetric("seconds", unused));
}

}  // namespace
}  // namespace ls::usage
