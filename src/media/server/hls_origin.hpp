// The HTTP origin for HLS (SPEC §5): master and media playlists and segments
// straight from the in-memory registry, without copying segment bytes.
//   /hls/<key>/master.m3u8, /hls/<key>/<rendition>/index.m3u8,
//   /hls/<key>/<rendition>/seg<N>.ts, and the pre-ABR alias
//   /live/<key>/hls.m3u8 (+ /live/<key>/seg<N>.ts) for the original rendition.
// Low-latency HLS (fMP4; ll_origin.hpp): /hls/<key>/ll.m3u8,
//   /hls/<key>/<rendition>/ll.m3u8 (blocking reload, delta updates),
//   /hls/<key>/<rendition>/init.mp4, seg<N>.m4s and parts seg<N>.<P>.m4s.
// Handlers run on the HTTP loops and only take snapshots from the registry.
//
// A playlist of a stream that is publishing but has nothing to show yet (its
// first segment is ~2 s away) is held, not answered 404: players asking as
// soon as the stream is live would otherwise back off for seconds. The request
// is parked (no thread waits), woken on the packager's thread when the stream
// changes, and answered 404 after `firstSegmentWait`. Unknown or ended
// streams get their 404 at once.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

#include "http/router.hpp"
#include "media/hls/segment_store.hpp"
#include "media/hls/steering.hpp"

namespace ls::media_server {

// Requests the origin answered, by what was asked and the status given.
// Thread-safe (relaxed atomics): HTTP loops and packager threads count,
// /metrics reads.
struct OriginCounters {
  enum Kind : std::size_t { kMaster, kPlaylist, kSegment, kLlMaster, kLlPlaylist, kLlInit, kLlSegment, kLlPart, kKinds };
  // 400: an LL request too far ahead or malformed; 503: a blocking request
  // not satisfied in time. Any other failure counts as 404.
  enum Outcome : std::size_t { kOk, kNotFound, kBadRequest, kUnavailable, kOutcomes };
  std::array<std::array<std::atomic<std::uint64_t>, kOutcomes>, kKinds> answered{};

  void count(Kind kind, int status) {
    const Outcome o = status == 200 ? kOk : status == 400 ? kBadRequest : status == 503 ? kUnavailable : kNotFound;
    answered[kind][o].fetch_add(1, std::memory_order_relaxed);
  }
};

struct HlsOriginOptions {
  // How long a playlist request waits for a publishing stream's first segment.
  std::chrono::milliseconds firstSegmentWait{4000};
  // How long an LL blocking request (playlist reload, preload-hint part) is
  // held before its 503: three target durations (RFC 8216bis §6.2.5.2).
  std::chrono::milliseconds llBlockingWait{6000};
  // Where answers are counted; null: not counted. Must outlive the router.
  OriginCounters* counters = nullptr;
  // Egress metering: the clock that dates what a stream's usage counter is
  // charged (StreamHls::usage()); null: not metered. Must outlive the router.
  const Clock* usageClock = nullptr;
  // Content steering (steering_routes.hpp): masters steered by the board's
  // current snapshot and /hls/<key>/steering.json served; null: neither.
  // Must outlive the router.
  const hls::SteeringBoard* steering = nullptr;
};

// `registry` must outlive the router.
void registerHlsRoutes(http::Router& router, hls::HlsRegistry& registry, HlsOriginOptions options = {});

}  // namespace ls::media_server
