// The HTTP origin for HLS (SPEC §5): master and media playlists and segments
// straight from the in-memory registry, without copying segment bytes.
//   /hls/<key>/master.m3u8, /hls/<key>/<rendition>/index.m3u8,
//   /hls/<key>/<rendition>/seg<N>.ts, and the pre-ABR alias
//   /live/<key>/hls.m3u8 (+ /live/<key>/seg<N>.ts) for the original rendition.
// Handlers run on HTTP threads and only take snapshots from the registry.
#pragma once

#include "http/router.hpp"
#include "media/hls/segment_store.hpp"

namespace ls::media_server {

void registerHlsRoutes(http::Router& router, hls::HlsRegistry& registry);

}  // namespace ls::media_server
