#include "media/hls/publish_latency.hpp"

#include <algorithm>

namespace ls::hls {

void PublishLatency::record(std::int64_t ms) {
  ms = std::max<std::int64_t>(0, ms);
  std::size_t i = 0;
  while (i < kBoundsMs.size() && ms > kBoundsMs[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sumMs_.fetch_add(ms, std::memory_order_relaxed);
}

PublishLatency::Snapshot PublishLatency::snapshot() const {
  Snapshot s;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative[i] = running;
  }
  s.count = running;
  s.sumMs = sumMs_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace ls::hls
