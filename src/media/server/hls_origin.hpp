// The HTTP origin for HLS (SPEC §5): master and media playlists and segments
// straight from the in-memory registry, without copying segment bytes.
//   /hls/<key>/master.m3u8, /hls/<key>/<rendition>/index.m3u8,
//   /hls/<key>/<rendition>/seg<N>.ts, and the pre-ABR alias
//   /live/<key>/hls.m3u8 (+ /live/<key>/seg<N>.ts) for the original rendition.
// Handlers run on the HTTP loops and only take snapshots from the registry.
//
// A playlist of a stream that is publishing but has nothing to show yet (its
// first segment is ~2 s away) is held, not answered 404: players asking as
// soon as the stream is live would otherwise back off for seconds. The request
// is parked (no thread waits), woken on the packager's thread when the stream
// changes, and answered 404 after `firstSegmentWait`. Unknown or ended
// streams get their 404 at once.
#pragma once

#include <chrono>

#include "http/router.hpp"
#include "media/hls/segment_store.hpp"

namespace ls::media_server {

struct HlsOriginOptions {
  // How long a playlist request waits for a publishing stream's first segment.
  std::chrono::milliseconds firstSegmentWait{4000};
};

// `registry` must outlive the router.
void registerHlsRoutes(http::Router& router, hls::HlsRegistry& registry, HlsOriginOptions options = {});

}  // namespace ls::media_server
