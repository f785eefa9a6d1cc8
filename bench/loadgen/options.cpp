#include "loadgen/options.hpp"

#include <charconv>
#include <fstream>

namespace ls::loadgen {

namespace {

template <typename Int>
Status parseInt(const std::string& flag, const std::string& text, Int min, Int max, Int& out) {
  Int v{};
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v < min || v > max) {
    return invalidArgument(flag + " wants a whole number in " + std::to_string(min) + ".." + std::to_string(max) +
                           ", got '" + text + "'");
  }
  out = v;
  return Status::ok();
}

}  // namespace

const char* usage() {
  return R"(loadgen: RTMP publishers and HLS viewers against a server on loopback.

  --flv PATH                 FLV file replayed in real time, in a loop (required)
  --rtmp-url TEMPLATE        e.g. rtmp://127.0.0.1:1935/live/{key} (required)
  --keys FILE                one stream key per line, "key?query" allowed (default: stream0, stream1, ...)
  --key-offset N             first line of the keys file to use (default 0)
  --streams N                publishers (default 1, at most 5000)
  --playlist-url TEMPLATE    e.g. http://127.0.0.1:8080/live/{name}/hls.m3u8 ({key}, {name}, {index})
  --viewers M                HLS viewers, spread over the streams (default 0, at most 20000)
  --probe-streams K          the first K streams get a fast-polling probe (default 0)
  --probe-interval-ms MS     probe poll interval (default 50)
  --duration S               seconds of publishing after the ramp starts (default 30, at most 3600)
  --ramp-ms MS               publishers start evenly over this time (default 1000)
  --tick-ms MS               pacing tick (default 10)
  --chunk-size BYTES         outbound RTMP chunk size (default 4096)
  --max-lag-ms MS            pass if no due tag waited longer (default 1000)
  --max-segment-lag-ms MS    pass if no probed segment was listed later than this after its keyframe (default 2000)
  --fail-fast                stop as soon as a pass criterion fails
  --report PATH              JSON report ("-" for stdout, the default)
  --quiet                    no progress lines on stderr
)";
}

Result<Options> parseOptions(const std::vector<std::string>& args) {
  Options o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--fail-fast") {
      o.failFast = true;
      continue;
    }
    if (flag == "--quiet") {
      o.quiet = true;
      continue;
    }
    if (i + 1 >= args.size()) return invalidArgument(flag + " needs a value (see --help)");
    const std::string& v = args[++i];
    Status s = Status::ok();
    if (flag == "--flv")
      o.flvPath = v;
    else if (flag == "--rtmp-url")
      o.rtmpUrlTemplate = v;
    else if (flag == "--keys")
      o.keysPath = v;
    else if (flag == "--key-offset")
      s = parseInt<std::size_t>(flag, v, 0, 1'000'000, o.keyOffset);
    else if (flag == "--playlist-url")
      o.playlistUrlTemplate = v;
    else if (flag == "--streams")
      s = parseInt<std::size_t>(flag, v, 1, kMaxStreams, o.streams);
    else if (flag == "--viewers")
      s = parseInt<std::size_t>(flag, v, 0, kMaxViewers, o.viewers);
    else if (flag == "--probe-streams")
      s = parseInt<std::size_t>(flag, v, 0, kMaxStreams, o.probeStreams);
    else if (flag == "--probe-interval-ms")
      s = parseInt<std::int64_t>(flag, v, 10, 10'000, o.probeIntervalMs);
    else if (flag == "--duration")
      s = parseInt<std::int64_t>(flag, v, 1, kMaxDurationS, o.durationS);
    else if (flag == "--ramp-ms")
      s = parseInt<std::int64_t>(flag, v, 0, 600'000, o.rampMs);
    else if (flag == "--tick-ms")
      s = parseInt<std::int64_t>(flag, v, 1, 100, o.tickMs);
    else if (flag == "--chunk-size")
      s = parseInt<std::uint32_t>(flag, v, 128, 1 << 24, o.chunkSize);
    else if (flag == "--max-lag-ms")
      s = parseInt<std::int64_t>(flag, v, 1, 600'000, o.maxLagMs);
    else if (flag == "--max-segment-lag-ms")
      s = parseInt<std::int64_t>(flag, v, 1, 600'000, o.maxSegmentLagMs);
    else if (flag == "--report")
      o.reportPath = v;
    else
      return invalidArgument("unknown option " + flag + " (see --help)");
    if (!s.isOk()) return s;
  }
  if (o.flvPath.empty()) return invalidArgument("--flv is required");
  if (o.rtmpUrlTemplate.empty()) return invalidArgument("--rtmp-url is required");
  if ((o.viewers > 0 || o.probeStreams > 0) && o.playlistUrlTemplate.empty()) {
    return invalidArgument("--viewers and --probe-streams need --playlist-url");
  }
  if (o.probeStreams > o.streams) o.probeStreams = o.streams;
  return o;
}

Result<std::vector<std::string>> loadKeys(const Options& options) {
  std::vector<std::string> keys;
  if (options.keysPath.empty()) {
    for (std::size_t i = 0; i < options.streams; ++i) keys.push_back("stream" + std::to_string(options.keyOffset + i));
    return keys;
  }
  std::ifstream in(options.keysPath);
  if (!in) return invalidArgument("cannot read keys file " + options.keysPath);
  std::string line;
  std::size_t lineNo = 0;
  while (keys.size() < options.streams && std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (lineNo++ < options.keyOffset) continue;
    keys.push_back(line);
  }
  if (keys.size() < options.streams) {
    return invalidArgument("keys file " + options.keysPath + " has " + std::to_string(keys.size()) +
                           " keys after offset " + std::to_string(options.keyOffset) + ", " +
                           std::to_string(options.streams) + " needed");
  }
  return keys;
}

}  // namespace ls::loadgen
