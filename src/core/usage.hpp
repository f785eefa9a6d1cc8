// Usage metering (docs/platform.md "Usage metering"): what a bill is built
// on, per project, livestream and hour. Media code counts into a
// StreamUsage (a cheap add under a lock no other media thread takes); a
// control-plane thread drains the UsageMeter every flush interval into one
// UsageBatch with a fresh id, which the store applies at most once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/time.hpp"

namespace ls::usage {

inline constexpr std::int64_t kHourMs = 3'600'000;

// What is counted. Stored by name (usage.metric), so the names never change.
enum class Metric { kIngestMs, kTranscodeMs, kEgressBytes, kEgressRequests };
std::string_view metricName(Metric metric);
// Unknown names give false.
bool parseMetric(std::string_view name, Metric& out);

// One counted figure of one hour bucket. dimension is "" or, for
// transcoding, the rendition's height ("720").
struct UsageRow {
  std::string projectId;
  std::string livestreamId;    // "" when not one stream's
  UnixMillis bucketStart = 0;  // a multiple of kHourMs
  std::string metric;          // metricName()
  std::string dimension;
  std::int64_t value = 0;  // milliseconds, bytes or requests

  bool operator==(const UsageRow&) const = default;
};

// Rows applied together, at most once (Store::applyUsageBatch).
struct UsageBatch {
  std::string id;  // UUID v4; a resent batch keeps its id
  std::vector<UsageRow> rows;
};

inline UnixMillis hourStart(UnixMillis t) {
  const UnixMillis r = t % kHourMs;
  return r < 0 ? t - r - kHourMs : t - r;
}

// The span [end - ms, end) cut at hour boundaries: (bucket start, ms) pairs,
// oldest first. Nothing for ms <= 0.
std::vector<std::pair<UnixMillis, std::int64_t>> splitByHour(UnixMillis end, std::int64_t ms);

// One publish's counts. Thread-safe: the media loop, the transcoder thread
// and the HTTP loops add, the flusher drains.
class StreamUsage {
 public:
  StreamUsage(std::string projectId, std::string livestreamId)
      : projectId_(std::move(projectId)), livestreamId_(std::move(livestreamId)) {}

  [[nodiscard]] const std::string& projectId() const { return projectId_; }
  [[nodiscard]] const std::string& livestreamId() const { return livestreamId_; }

  // Media time (ms) that ended at wall time `end`, split at hour boundaries.
  void addDuration(Metric metric, std::string_view dimension, UnixMillis end, std::int64_t ms);
  // A count (bytes, requests) at wall time `at`.
  void addCount(Metric metric, UnixMillis at, std::int64_t value);
  // Egress of one response: its body bytes and one request.
  void addEgress(UnixMillis at, std::int64_t bytes);

  // Moves what was counted since the last drain into `out`.
  void drainInto(std::vector<UsageRow>& out);
  [[nodiscard]] bool empty() const;

 private:
  using Key = std::tuple<UnixMillis, Metric, std::string>;
  void addLocked(const Key& key, std::int64_t value);

  const std::string projectId_;
  const std::string livestreamId_;
  mutable std::mutex mu_;
  std::map<Key, std::int64_t> counts_;
};

// Counts media time from a track's timestamps: each advance of the
// timestamp is media received. A jump back restarts from the new time; a
// jump forward of more than kMaxStepMs (a publisher's clock reset) counts
// nothing. Not thread-safe: one per track, on its thread.
class MediaTimeCounter {
 public:
  static constexpr std::int64_t kMaxStepMs = 10'000;
  // The advance to count for a frame at `ts` (ms), 0 for the first.
  std::int64_t step(std::int64_t ts);
  // What the last frame lasted, as the step before it (its successor's
  // timestamp never comes): counted once the track ends.
  [[nodiscard]] std::int64_t lastStep() const { return lastStep_; }

 private:
  bool started_ = false;
  std::int64_t last_ = 0;
  std::int64_t lastStep_ = 0;
};

// Every publish's StreamUsage on this process, drained by one flusher.
class UsageMeter {
 public:
  // A new counter for one publish (kept until drained after it is released).
  std::shared_ptr<StreamUsage> open(std::string projectId, std::string livestreamId);
  // Everything counted since the last drain, merged by (project, stream, bucket, metric, dimension).
  std::vector<UsageRow> drain();

 private:
  std::mutex mu_;
  std::vector<std::shared_ptr<StreamUsage>> streams_;
};

// Adds rows with the same (project, livestream, bucket, metric, dimension).
std::vector<UsageRow> mergeRows(std::vector<UsageRow> rows);

}  // namespace ls::usage
