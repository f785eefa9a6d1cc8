// Usage read back for bills (buckets, bounds, CSV) and the flush path from a
// meter to the Store: batches apply once, a batch whose acknowledgement was
// lost is resent with its id and counts once. Real SQLite.
#include "control/usage_service.hpp"

#include <gtest/gtest.h>

#include "ingest/usage_flusher.hpp"
#include "support/control_fixture.hpp"

namespace ls::testing {
namespace {

using control::UsageGranularity;
using usage::kHourMs;
constexpr UnixMillis kDec1 = 1'796'083'200'000;  // 2026-12-01T00:00:00Z

class UsageServiceTest : public ControlFixture {
 protected:
  void apply(const std::string& id, std::vector<usage::UsageRow> rows) {
    Result<bool> r = store_->applyUsageBatch({id, std::move(rows)}, clock_.now());
    ASSERT_TRUE(r.ok()) << r.status().message();
  }
};

TEST(UsageFormatTest, SecondsKeepMillisecondsWithoutTrailingZeros) {
  EXPECT_EQ(control::formatSeconds(0), "0");
  EXPECT_EQ(control::formatSeconds(4000), "4");
  EXPECT_EQ(control::formatSeconds(3967), "3.967");
  EXPECT_EQ(control::formatSeconds(3500), "3.5");
  EXPECT_EQ(control::formatSeconds(7050), "7.05");
  EXPECT_EQ(control::formatSeconds(12), "0.012");
}

TEST_F(UsageServiceTest, EveryBucketOfTheRangeIsThereZeroWhenUnused) {
  ASSERT_EQ(formatIso8601(kDec1), "2026-12-01T00:00:00.000Z");
  apply("b1", {{project_.id, "ls-1", kDec1 + kHourMs, "ingest_ms", "", 4000},
               {project_.id, "ls-2", kDec1 + kHourMs, "ingest_ms", "", 7000},
               {project_.id, "ls-2", kDec1 + kHourMs, "transcode_ms", "360", 7000},
               {project_.id, "ls-2", kDec1 + kHourMs, "transcode_ms", "720", 6900},
               {project_.id, "ls-1", kDec1 + 2 * kHourMs, "egress_bytes", "", 1234},
               {project_.id, "ls-1", kDec1 + 2 * kHourMs, "egress_requests", "", 3},
               {otherProject_.id, "x", kDec1, "ingest_ms", "", 99}});
  control::UsageService service(*store_);
  // Widened to whole hours: 00:30 .. 02:10 is 00:00 .. 03:00.
  auto report = service.query(project_.id, kDec1 + kHourMs / 2, kDec1 + 2 * kHourMs + 600'000, UsageGranularity::kHour);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->from, kDec1);
  EXPECT_EQ(report->to, kDec1 + 3 * kHourMs);
  ASSERT_EQ(report->buckets.size(), 3u);
  EXPECT_EQ(report->buckets[0].ingestMs, 0);
  EXPECT_TRUE(report->buckets[0].streams.empty());
  const control::UsageBucket& b = report->buckets[1];
  EXPECT_EQ(b.start, kDec1 + kHourMs);
  EXPECT_EQ(b.end, kDec1 + 2 * kHourMs);
  EXPECT_EQ(b.ingestMs, 11000);
  EXPECT_EQ(b.transcodeMs, 13900);
  EXPECT_EQ(b.streams, (std::vector<std::pair<std::string, std::int64_t>>{{"ls-1", 4000}, {"ls-2", 7000}}));
  EXPECT_EQ(b.transcodeByHeight.at("720"), 6900);
  EXPECT_EQ(report->buckets[2].egressBytes, 1234);
  EXPECT_EQ(report->buckets[2].egressRequests, 3);

  EXPECT_EQ(control::renderUsageCsv(*report),
            "start,end,ingest_seconds,transcode_seconds,egress_bytes,egress_requests\n"
            "2026-12-01T00:00:00.000Z,2026-12-01T01:00:00.000Z,0,0,0,0\n"
            "2026-12-01T01:00:00.000Z,2026-12-01T02:00:00.000Z,11,13.9,0,0\n"
            "2026-12-01T02:00:00.000Z,2026-12-01T03:00:00.000Z,0,0,1234,3\n");

  auto days = service.query(project_.id, kDec1, kDec1 + 2 * 24 * kHourMs, UsageGranularity::kDay);
  ASSERT_TRUE(days.ok());
  ASSERT_EQ(days->buckets.size(), 2u);
  EXPECT_EQ(days->buckets[0].ingestMs, 11000);
  EXPECT_EQ(days->buckets[0].egressBytes, 1234);
  EXPECT_EQ(days->buckets[1].ingestMs, 0);
}

TEST_F(UsageServiceTest, BoundsAreCheckedWithClearErrors) {
  control::UsageService service(*store_);
  EXPECT_EQ(service.query(project_.id, kDec1, kDec1, UsageGranularity::kHour).status().code(), Code::kInvalidArgument);
  // 92 days of hours is the most; one more hour is refused.
  const UnixMillis max = 24 * 92 * kHourMs;
  EXPECT_TRUE(service.query(project_.id, kDec1, kDec1 + max, UsageGranularity::kHour).ok());
  auto tooLong = service.query(project_.id, kDec1, kDec1 + max + kHourMs, UsageGranularity::kHour);
  EXPECT_EQ(tooLong.status().code(), Code::kInvalidArgument);
  EXPECT_NE(tooLong.status().message().find("at most 2208 hour buckets"), std::string::npos);
  EXPECT_EQ(service.query(project_.id, kDec1, kDec1 + 367 * 24 * kHourMs, UsageGranularity::kDay).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(service.query("no-such-project", kDec1, kDec1 + kHourMs, UsageGranularity::kHour).status().code(),
            Code::kNotFound);
}

TEST_F(UsageServiceTest, UsageOfADeletedLivestreamIsStillBilled) {
  auto stream = createStream();
  apply("b1", {{project_.id, stream.livestream.id, kDec1, "ingest_ms", "", 5000}});
  ASSERT_TRUE(livestreams_->remove(project_, stream.livestream.id).ok());
  control::UsageService service(*store_);
  auto report = service.query(project_.id, kDec1, kDec1 + kHourMs, UsageGranularity::kHour);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->buckets[0].ingestMs, 5000);
}

// Stores like StoreUsageReporter, then loses the answer: the flusher must
// resend the same batch, which must count once.
class LostAckReporter final : public ingest::UsageReporter {
 public:
  explicit LostAckReporter(ingest::UsageReporter& inner) : inner_(inner) {}
  Status report(const usage::UsageBatch& batch) override {
    ids.push_back(batch.id);
    const Status s = inner_.report(batch);
    if (loseNext) {
      loseNext = false;
      return unavailable("connection lost after commit");
    }
    return s;
  }
  bool loseNext = false;
  std::vector<std::string> ids;

 private:
  ingest::UsageReporter& inner_;
};

TEST_F(UsageServiceTest, AFlushWhoseAnswerWasLostIsResentAndCountsOnce) {
  control::StoreUsageReporter storeReporter(*store_, clock_);
  LostAckReporter reporter(storeReporter);
  usage::UsageMeter meter;
  ingest::UsageFlusher flusher(meter, reporter, random_, std::chrono::hours(1));
  auto counter = meter.open(project_.id, "ls-1");
  counter->addDuration(usage::Metric::kIngestMs, "", kDec1 + 10'000, 4000);
  reporter.loseNext = true;
  EXPECT_FALSE(flusher.flushOnce().isOk());
  // Counted meanwhile: waits for the next batch, after the resend.
  counter->addDuration(usage::Metric::kIngestMs, "", kDec1 + 20'000, 1000);
  EXPECT_TRUE(flusher.flushOnce().isOk());
  ASSERT_EQ(reporter.ids.size(), 3u);
  EXPECT_EQ(reporter.ids[0], reporter.ids[1]);
  EXPECT_NE(reporter.ids[1], reporter.ids[2]);
  EXPECT_EQ(flusher.counters().batches.load(), 2u);
  EXPECT_EQ(flusher.counters().failures.load(), 1u);
  // Nothing left: no empty batch.
  EXPECT_TRUE(flusher.flushOnce().isOk());
  EXPECT_EQ(reporter.ids.size(), 3u);
  control::UsageService service(*store_);
  auto report = service.query(project_.id, kDec1, kDec1 + kHourMs, UsageGranularity::kHour);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->buckets[0].ingestMs, 5000);
}

TEST_F(UsageServiceTest, StopFlushesWhatIsLeft) {
  control::StoreUsageReporter reporter(*store_, clock_);
  usage::UsageMeter meter;
  {
    ingest::UsageFlusher flusher(meter, reporter, random_, std::chrono::hours(1));
    flusher.start();
    meter.open(project_.id, "ls-1")->addCount(usage::Metric::kEgressBytes, kDec1, 42);
    flusher.stop();
  }
  auto rows = store_->listUsage(project_.id, kDec1, kDec1 + kHourMs);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].value, 42);
}

}  // namespace
}  // namespace ls::testing
