// The low-latency HLS routes of the origin (registered by registerHlsRoutes):
//   GET/HEAD /hls/<key>/ll.m3u8                      LL master
//   GET/HEAD /hls/<key>/<rendition>/ll.m3u8          LL media playlist; _HLS_msn/_HLS_part
//            hold the request until that part (or segment) is listed (blocking
//            reload), _HLS_skip=YES|v2 answers a delta update
//   GET/HEAD /hls/<key>/<rendition>/init.mp4, seg<N>.m4s, seg<N>.<P>.m4s
//            the part the playlist's EXT-X-PRELOAD-HINT names is held until
//            it is published; a part further ahead is 404.
// Waiting holds no thread: the request is parked on the stream's
// ChangeWaiters (every part publish wakes it to look again) and on the
// HTTP connection's timer (HlsOriginOptions::llBlockingWait), which answers 503.
// 400: a malformed blocking request or one too far ahead of the live edge.
#pragma once

#include <string>
#include <string_view>

#include "http/request.hpp"
#include "http/responder.hpp"
#include "http/response.hpp"
#include "media/hls/ll_request.hpp"
#include "media/hls/segment_store.hpp"
#include "media/hls/steering.hpp"
#include "media/server/hls_origin.hpp"

namespace ls::media_server {

// Answers (now or once it can) an LL playlist request: the LL master when
// `rendition` is empty. clock: egress metering (null: not metered).
// `blocking`: the request's _HLS_ parameters (parseBlockingRequest).
// `steering`: the LL master is steered by it like the MPEG-TS one
// (steering_routes.hpp); null: not steered.
void answerLlPlaylist(const std::shared_ptr<hls::StreamHls>& stream, const std::string& rendition,
                      const hls::BlockingRequest& blocking, const http::Responder& respond, OriginCounters* counters,
                      const Clock* clock, const hls::SteeringBoard* steering = nullptr);
// Answers an init segment, segment or part request (a preload-hint part once it exists).
void answerLlMedia(const std::shared_ptr<hls::StreamHls>& stream, const std::string& rendition,
                   const std::string& uri, const http::Responder& respond, OriginCounters* counters,
                   const Clock* clock);
// What a held LL request gets when its wait is over.
http::Response llTimeoutAnswer(const http::Request& request, OriginCounters* counters);
// True for the URIs answerLlMedia serves ("*.m4s", "init*.mp4").
bool isLlMediaUri(std::string_view uri);

}  // namespace ls::media_server
