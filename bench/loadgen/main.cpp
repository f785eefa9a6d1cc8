// loadgen: N RTMP publishers replaying an FLV file in real time and M HLS
// viewers, from one thread, against a server on loopback. See bench/README.md.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "loadgen/flv_media.hpp"
#include "loadgen/load_run.hpp"
#include "loadgen/options.hpp"
#include "loadgen/report.hpp"

int main(int argc, char** argv) {
  using namespace ls::loadgen;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const std::string& a : args) {
    if (a == "-h" || a == "--help") {
      std::fputs(usage(), stdout);
      return 0;
    }
  }
  auto options = parseOptions(args);
  if (!options.ok()) {
    std::fprintf(stderr, "loadgen: %s\n", options.status().message().c_str());
    return 2;
  }
  auto media = FlvMedia::load(options->flvPath);
  if (!media.ok()) {
    std::fprintf(stderr, "loadgen: %s\n", media.status().message().c_str());
    return 2;
  }
  if (!media->startsWithKeyframe()) {
    std::fprintf(stderr, "loadgen: warning: %s does not start with a keyframe\n", options->flvPath.c_str());
  }
  auto keys = loadKeys(*options);
  if (!keys.ok()) {
    std::fprintf(stderr, "loadgen: %s\n", keys.status().message().c_str());
    return 2;
  }
  auto run = runLoad(*options, *media, std::move(*keys));
  if (!run.ok()) {
    std::fprintf(stderr, "loadgen: %s\n", run.status().message().c_str());
    return 2;
  }
  const Verdict verdict = judge(*run);
  const std::string json = renderJson(*run, verdict);
  if (options->reportPath == "-") {
    std::fputs(json.c_str(), stdout);
  } else {
    std::ofstream out(options->reportPath, std::ios::trunc);
    out << json;
    if (!out) {
      std::fprintf(stderr, "loadgen: cannot write %s\n", options->reportPath.c_str());
      return 2;
    }
  }
  if (!options->quiet) std::fprintf(stderr, "%s\n", renderSummaryLine(*run, verdict).c_str());
  return 0;
}
