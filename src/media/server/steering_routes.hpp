// HLS Content Steering at the origin (docs/steering.md):
//   GET /hls/<key>/steering.json  the stream's steering manifest (RFC 8216bis
//   §7.1), fetched by players from the origin directly (SERVER-URI is the
//   origin's URL, so no CDN caches it). hls.js's _HLS_pathway and
//   _HLS_throughput query parameters are accepted and ignored: the order is
//   the one the control plane measured for every viewer.
// And steeredMaster(): what the master routes answer when the server has two
// pathways or more.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "http/router.hpp"
#include "media/hls/segment_store.hpp"
#include "media/hls/steering.hpp"

namespace ls::media_server {

// `registry` and `board` must outlive the router.
void registerSteeringRoutes(http::Router& router, hls::HlsRegistry& registry, const hls::SteeringBoard& board);

// The master text as served: `master` unchanged when `board` is null or its
// snapshot is inactive, else steered (hls::steerMaster with the stream's
// "hls/<key>/" directory). For any master under /hls/<key>/ (the MPEG-TS
// master, a low-latency master).
std::shared_ptr<const std::string> steeredMaster(const std::shared_ptr<const std::string>& master,
                                                 std::string_view streamKey, const hls::SteeringBoard* board);

}  // namespace ls::media_server
