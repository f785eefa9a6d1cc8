// The transcoders' figures in the Prometheus text exposition format
// (version 0.0.4), for the media server's GET /metrics. Pure.
//
// Series are labelled with the livestream id, not the stream key: the key is
// what lets anyone watch a stream, and a metrics scrape should not list them.
#pragma once

#include <string>
#include <vector>

#include "media/abr/transcoder_stats.hpp"

namespace ls::abr {

// Appends the ABR families to `out`. `enabled`: abr.enabled of this server.
void appendAbrMetrics(std::string& out, bool enabled, const std::vector<TranscoderStats::Snapshot>& transcoders);

}  // namespace ls::abr
