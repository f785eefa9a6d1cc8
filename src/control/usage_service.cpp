#include "control/usage_service.hpp"

#include <algorithm>

namespace ls::control {

namespace {

constexpr std::int64_t kDayMs = 24 * usage::kHourMs;
constexpr std::int64_t kBatchIdRetentionMs = kDayMs;

std::int64_t bucketMs(UsageGranularity g) {
  return g == UsageGranularity::kHour ? usage::kHourMs : kDayMs;
}

UnixMillis floorTo(UnixMillis t, std::int64_t step) {
  const UnixMillis r = t % step;
  return r < 0 ? t - r - step : t - r;
}

}  // namespace

std::string_view toString(UsageGranularity g) {
  return g == UsageGranularity::kHour ? "hour" : "day";
}

bool parseUsageGranularity(std::string_view text, UsageGranularity& out) {
  if (text == "hour") {
    out = UsageGranularity::kHour;
  } else if (text == "day") {
    out = UsageGranularity::kDay;
  } else {
    return false;
  }
  return true;
}

std::string formatSeconds(std::int64_t ms) {
  std::string out = std::to_string(ms / 1000);
  std::int64_t frac = ms % 1000;
  if (frac == 0) return out;
  std::string digits = std::to_string(1000 + frac).substr(1);  // three digits
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return out + "." + digits;
}

UsageReport buildUsageReport(std::string projectId, UnixMillis from, UnixMillis to, UsageGranularity granularity,
                             const std::vector<usage::UsageRow>& rows) {
  UsageReport report;
  report.projectId = std::move(projectId);
  report.from = from;
  report.to = to;
  report.granularity = granularity;
  const std::int64_t step = bucketMs(granularity);
  for (UnixMillis start = from; start < to; start += step) {
    UsageBucket bucket;
    bucket.start = start;
    bucket.end = start + step;
    report.buckets.push_back(std::move(bucket));
  }
  std::vector<std::map<std::string, std::int64_t>> streams(report.buckets.size());
  for (const usage::UsageRow& row : rows) {
    if (row.bucketStart < from || row.bucketStart >= to) continue;
    const auto i = static_cast<std::size_t>((row.bucketStart - from) / step);
    UsageBucket& b = report.buckets[i];
    usage::Metric metric{};
    if (!usage::parseMetric(row.metric, metric)) continue;
    switch (metric) {
      case usage::Metric::kIngestMs:
        b.ingestMs += row.value;
        if (!row.livestreamId.empty()) streams[i][row.livestreamId] += row.value;
        break;
      case usage::Metric::kTranscodeMs:
        b.transcodeMs += row.value;
        b.transcodeByHeight[row.dimension] += row.value;
        break;
      case usage::Metric::kEgressBytes: b.egressBytes += row.value; break;
      case usage::Metric::kEgressRequests: b.egressRequests += row.value; break;
    }
  }
  for (std::size_t i = 0; i < streams.size(); ++i) {
    report.buckets[i].streams.assign(streams[i].begin(), streams[i].end());
  }
  return report;
}

std::string renderUsageCsv(const UsageReport& report) {
  std::string out = "start,end,ingest_seconds,transcode_seconds,egress_bytes,egress_requests\n";
  for (const UsageBucket& b : report.buckets) {
    out += formatIso8601(b.start) + "," + formatIso8601(b.end) + "," + formatSeconds(b.ingestMs) + "," +
           formatSeconds(b.transcodeMs) + "," + std::to_string(b.egressBytes) + "," + std::to_string(b.egressRequests) +
           "\n";
  }
  return out;
}

Result<UsageReport> UsageService::query(std::string_view projectId, UnixMillis from, UnixMillis to,
                                        UsageGranularity granularity) {
  if (projectId.empty()) return invalidArgument("project id must not be empty");
  if (to <= from) return invalidArgument("to must be after from");
  const std::int64_t step = bucketMs(granularity);
  const UnixMillis start = floorTo(from, step);
  const UnixMillis end = floorTo(to - 1, step) + step;
  const std::int64_t maxBuckets = granularity == UsageGranularity::kHour ? kMaxHourBuckets : kMaxDayBuckets;
  if ((end - start) / step > maxBuckets) {
    return invalidArgument("range too long: at most " + std::to_string(maxBuckets) + " " +
                           std::string(toString(granularity)) + " buckets per request");
  }
  Result<std::vector<usage::UsageRow>> rows = store_.listUsage(projectId, start, end);
  if (!rows.ok()) return std::move(rows).takeStatus();
  if (rows->empty()) {
    // Usage outlives its project; a project that has neither is a typo.
    Result<std::optional<Project>> project = store_.findProject(projectId);
    if (!project.ok()) return std::move(project).takeStatus();
    if (!project->has_value()) return notFound("Project not found");
  }
  return buildUsageReport(std::string(projectId), start, end, granularity, *rows);
}

Status StoreUsageReporter::report(const usage::UsageBatch& batch) {
  const UnixMillis now = clock_.now();
  Result<bool> applied = store_.applyUsageBatch(batch, now);
  if (!applied.ok()) return applied.status();
  bool purge = false;
  {
    std::lock_guard lock(mu_);
    if (now - lastPurge_ >= usage::kHourMs) {
      lastPurge_ = now;
      purge = true;
    }
  }
  // A failed purge is tried again next hour; the batch is stored either way.
  if (purge) (void)store_.purgeUsageBatches(now - kBatchIdRetentionMs);
  return Status::ok();
}

}  // namespace ls::control
