// Usage for bills: what the meters stored (core/usage.hpp) read back per
// project and range, in hour or day buckets, every bucket of the range
// present (zero when nothing was used). And the store side of metering:
// StoreUsageReporter applies a media plane's batches. Thread-safe; blocking.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.hpp"
#include "core/time.hpp"
#include "core/usage.hpp"
#include "ingest/usage_flusher.hpp"
#include "store/store.hpp"

namespace ls::control {

enum class UsageGranularity { kHour, kDay };
std::string_view toString(UsageGranularity g);
// "hour" or "day"; anything else gives false.
bool parseUsageGranularity(std::string_view text, UsageGranularity& out);

// At most this many buckets per query (92 days of hours; a leap year of days).
inline constexpr std::int64_t kMaxHourBuckets = 24 * 92;
inline constexpr std::int64_t kMaxDayBuckets = 366;

struct UsageBucket {
  UnixMillis start = 0;
  UnixMillis end = 0;
  std::int64_t ingestMs = 0;
  std::int64_t transcodeMs = 0;
  std::int64_t egressBytes = 0;
  std::int64_t egressRequests = 0;
  std::vector<std::pair<std::string, std::int64_t>> streams;  // livestream id -> ingest ms, by id
  std::map<std::string, std::int64_t> transcodeByHeight;      // "720" -> ms
};

struct UsageReport {
  std::string projectId;
  UnixMillis from = 0;  // the first bucket's start
  UnixMillis to = 0;    // the last bucket's end
  UsageGranularity granularity = UsageGranularity::kHour;
  std::vector<UsageBucket> buckets;
};

// Milliseconds as seconds with three decimals: 4000 -> "4", 3967 -> "3.967".
std::string formatSeconds(std::int64_t ms);
// header start,end,ingest_seconds,transcode_seconds,egress_bytes,egress_requests; one line per bucket, CRLF-free.
std::string renderUsageCsv(const UsageReport& report);
// Buckets of [from, to) from stored rows (pure; UsageService::query uses it). from and to are bucket-aligned.
UsageReport buildUsageReport(std::string projectId, UnixMillis from, UnixMillis to, UsageGranularity granularity,
                             const std::vector<usage::UsageRow>& rows);

class UsageService {
 public:
  explicit UsageService(Store& store) : store_(store) {}
  // [from, to) widened to whole buckets (from down, to up, in UTC).
  // kInvalidArgument when to is not after from or the range has too many
  // buckets; kNotFound for a project that neither exists nor has usage.
  Result<UsageReport> query(std::string_view projectId, UnixMillis from, UnixMillis to, UsageGranularity granularity);

 private:
  Store& store_;
};

// Applies batches to the Store (every process that has one; the internal
// node API applies remote nodes' batches through it too). A batch id seen
// before answers OK without adding. Batch ids older than a day are purged,
// at most once an hour.
class StoreUsageReporter final : public ingest::UsageReporter {
 public:
  StoreUsageReporter(Store& store, const Clock& clock) : store_(store), clock_(clock) {}
  Status report(const usage::UsageBatch& batch) override;

 private:
  Store& store_;
  const Clock& clock_;
  std::mutex mu_;
  UnixMillis lastPurge_ = 0;
};

}  // namespace ls::control
