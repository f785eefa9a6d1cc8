// One bounded run: publishers started evenly over the ramp, viewers and
// probes with their streams, one pacing ticker for everyone, and a stop after
// --duration (or at the first failed criterion with --fail-fast, or SIGINT /
// SIGTERM). Everything runs on one thread; Asio's epoll reactor is
// edge-triggered, so an idle socket costs nothing between ticks.
#pragma once

#include "loadgen/flv_media.hpp"
#include "loadgen/options.hpp"
#include "loadgen/report.hpp"

namespace ls::loadgen {

Result<RunRecord> runLoad(const Options& options, const FlvMedia& media, std::vector<std::string> keys);

}  // namespace ls::loadgen
