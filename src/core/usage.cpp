#include "core/usage.hpp"

#include <algorithm>

namespace ls::usage {

std::string_view metricName(Metric metric) {
  switch (metric) {
    case Metric::kIngestMs: return "ingest_ms";
    case Metric::kTranscodeMs: return "transcode_ms";
    case Metric::kEgressBytes: return "egress_bytes";
    case Metric::kEgressRequests: return "egress_requests";
  }
  return "ingest_ms";
}

bool parseMetric(std::string_view name, Metric& out) {
  for (const Metric m : {Metric::kIngestMs, Metric::kTranscodeMs, Metric::kEgressBytes, Metric::kEgressRequests}) {
    if (metricName(m) == name) {
      out = m;
      return true;
    }
  }
  return false;
}

std::vector<std::pair<UnixMillis, std::int64_t>> splitByHour(UnixMillis end, std::int64_t ms) {
  std::vector<std::pair<UnixMillis, std::int64_t>> out;
  if (ms <= 0) return out;
  UnixMillis from = end - ms;
  while (from < end) {
    const UnixMillis bucket = hourStart(from);
    const UnixMillis until = std::min(end, bucket + kHourMs);
    out.emplace_back(bucket, until - from);
    from = until;
  }
  return out;
}

void StreamUsage::addLocked(const Key& key, std::int64_t value) {
  counts_[key] += value;
}

void StreamUsage::addDuration(Metric metric, std::string_view dimension, UnixMillis end, std::int64_t ms) {
  if (ms <= 0) return;
  const UnixMillis bucket = hourStart(end - 1);
  std::lock_guard lock(mu_);
  if (end - ms >= bucket) {  // the usual case: within one hour, no allocation but the key's
    addLocked(Key{bucket, metric, std::string(dimension)}, ms);
    return;
  }
  for (const auto& [start, part] : splitByHour(end, ms)) addLocked(Key{start, metric, std::string(dimension)}, part);
}

void StreamUsage::addCount(Metric metric, UnixMillis at, std::int64_t value) {
  if (value <= 0) return;
  std::lock_guard lock(mu_);
  addLocked(Key{hourStart(at), metric, std::string()}, value);
}

void StreamUsage::addEgress(UnixMillis at, std::int64_t bytes) {
  const UnixMillis bucket = hourStart(at);
  std::lock_guard lock(mu_);
  if (bytes > 0) addLocked(Key{bucket, Metric::kEgressBytes, std::string()}, bytes);
  addLocked(Key{bucket, Metric::kEgressRequests, std::string()}, 1);
}

void StreamUsage::drainInto(std::vector<UsageRow>& out) {
  std::map<Key, std::int64_t> taken;
  {
    std::lock_guard lock(mu_);
    taken.swap(counts_);
  }
  for (auto& [key, value] : taken) {
    UsageRow row;
    row.projectId = projectId_;
    row.livestreamId = livestreamId_;
    row.bucketStart = std::get<0>(key);
    row.metric = std::string(metricName(std::get<1>(key)));
    row.dimension = std::get<2>(key);
    row.value = value;
    out.push_back(std::move(row));
  }
}

bool StreamUsage::empty() const {
  std::lock_guard lock(mu_);
  return counts_.empty();
}

std::int64_t MediaTimeCounter::step(std::int64_t ts) {
  if (!started_ || ts < last_) {
    started_ = true;
    last_ = ts;
    return 0;
  }
  const std::int64_t d = ts - last_;
  last_ = ts;
  if (d > kMaxStepMs) return 0;
  if (d > 0) lastStep_ = d;
  return d;
}

std::shared_ptr<StreamUsage> UsageMeter::open(std::string projectId, std::string livestreamId) {
  auto stream = std::make_shared<StreamUsage>(std::move(projectId), std::move(livestreamId));
  std::lock_guard lock(mu_);
  streams_.push_back(stream);
  return stream;
}

std::vector<UsageRow> UsageMeter::drain() {
  std::vector<std::shared_ptr<StreamUsage>> streams;
  {
    std::lock_guard lock(mu_);
    // A counter nobody else holds any more gets its last drain now and goes.
    // (Here held by streams_ and by the copy: use_count 2.)
    streams = streams_;
    std::erase_if(streams_, [](const std::shared_ptr<StreamUsage>& s) { return s.use_count() == 2; });
  }
  std::vector<UsageRow> rows;
  for (const auto& s : streams) s->drainInto(rows);
  return mergeRows(std::move(rows));
}

std::vector<UsageRow> mergeRows(std::vector<UsageRow> rows) {
  const auto key = [](const UsageRow& r) {
    return std::tie(r.projectId, r.livestreamId, r.bucketStart, r.metric, r.dimension);
  };
  std::sort(rows.begin(), rows.end(), [&](const UsageRow& a, const UsageRow& b) { return key(a) < key(b); });
  std::vector<UsageRow> out;
  for (UsageRow& r : rows) {
    if (!out.empty() && key(out.back()) == key(r)) {
      out.back().value += r.value;
    } else {
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace ls::usage
