// How long after the frame that closes a segment arrived at the media server
// the segment was published: ~0 for the original rendition (it is cut on
// that frame), the decode + scale + encode delay for a transcoded one. A
// Prometheus-style histogram in fixed buckets. Thread-safe: packagers on
// media loops and transcoder threads record, /metrics reads.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace ls::hls {

class PublishLatency {
 public:
  // Upper bounds of the buckets, in milliseconds (the last bucket is +Inf).
  static constexpr std::array<std::int64_t, 10> kBoundsMs = {1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500};

  struct Snapshot {
    std::array<std::uint64_t, kBoundsMs.size() + 1> cumulative{};  // per bound, then +Inf
    std::uint64_t count = 0;
    std::int64_t sumMs = 0;
  };

  void record(std::int64_t ms);
  [[nodiscard]] Snapshot snapshot() const;

 private:
  std::array<std::atomic<std::uint64_t>, kBoundsMs.size() + 1> buckets_{};
  std::atomic<std::int64_t> sumMs_{0};
};

}  // namespace ls::hls
