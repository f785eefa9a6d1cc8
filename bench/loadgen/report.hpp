// Turns the state of a finished run into per-stream health and a summary, and
// writes both as JSON (the bench scripts read it with jq).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "loadgen/hls_viewer.hpp"
#include "loadgen/options.hpp"
#include "loadgen/rtmp_publisher.hpp"

namespace ls::loadgen {

struct Distribution {
  std::size_t count = 0;
  double min = 0, p50 = 0, p90 = 0, p99 = 0, max = 0, mean = 0;
};
// Nearest-rank percentiles of `values` (sorted in place).
Distribution distributionOf(std::vector<double>& values);

struct ViewerEntry {
  std::size_t stream = 0;
  bool probe = false;
  std::shared_ptr<HlsViewer> viewer;
};

struct RunRecord {
  Options options;
  std::vector<std::string> keys;
  std::vector<std::shared_ptr<RtmpPublisher>> publishers;
  std::vector<ViewerEntry> viewers;
  TimePoint endedAt{};
  double wallSeconds = 0;
  double cpuSeconds = 0;           // the load generator's own user+system time
  std::vector<double> tickLateMs;  // how late each pacing tick fired
  std::string stoppedEarly;        // why the run ended before --duration, if it did
};

struct Verdict {
  bool passed = true;
  std::vector<std::string> reasons;  // failed criteria
};
// The pass criteria: every stream publishing to the end, nothing refused or
// disconnected, lag within --max-lag-ms, probes within --max-segment-lag-ms,
// no viewer errors.
Verdict judge(const RunRecord& run);

std::string renderJson(const RunRecord& run, const Verdict& verdict);
// One line for humans.
std::string renderSummaryLine(const RunRecord& run, const Verdict& verdict);

}  // namespace ls::loadgen
