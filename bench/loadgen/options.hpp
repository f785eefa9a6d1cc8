// Command line of the load generator. Every run is bounded: stream, viewer
// and duration limits are checked here, and URLs must point at loopback.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.hpp"

namespace ls::loadgen {

struct Options {
  std::string flvPath;
  std::string rtmpUrlTemplate;      // rtmp://127.0.0.1:1935/live/{key}
  std::string keysPath;             // lines "streamKeyWithParams"; empty: keys are "stream{index}"
  std::size_t keyOffset = 0;        // first line of the keys file to use
  std::string playlistUrlTemplate;  // http://127.0.0.1:8080/live/{name}/hls.m3u8
  std::size_t streams = 1;
  std::size_t viewers = 0;
  std::size_t probeStreams = 0;
  std::int64_t probeIntervalMs = 50;
  std::int64_t durationS = 30;
  std::int64_t rampMs = 1000;
  std::int64_t tickMs = 10;
  std::uint32_t chunkSize = 4096;
  std::int64_t maxLagMs = 1000;         // pass criterion: worst wait of a due tag
  std::int64_t maxSegmentLagMs = 2000;  // pass criterion: worst availability lag of a probe
  bool failFast = false;                // stop at the first failed criterion
  std::string reportPath = "-";
  bool quiet = false;
};

inline constexpr std::size_t kMaxStreams = 5000;
inline constexpr std::size_t kMaxViewers = 20000;
inline constexpr std::int64_t kMaxDurationS = 3600;

Result<Options> parseOptions(const std::vector<std::string>& args);
const char* usage();

// Reads `count` keys from the keys file starting at options.keyOffset, or makes "stream<i>" keys.
Result<std::vector<std::string>> loadKeys(const Options& options);

}  // namespace ls::loadgen
