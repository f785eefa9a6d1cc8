// What the MPEG-TS and the LL-HLS origin routes answer alike (hls_origin.cpp,
// ll_origin.cpp): the 404, egress metering, shared-body responses.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "core/time.hpp"
#include "http/response.hpp"
#include "media/hls/segment_store.hpp"

namespace ls::media_server {

inline constexpr const char* kPlaylistType = "application/vnd.apple.mpegurl";
// Live playlists change every segment (LL: every part). An ended stream's
// playlist no longer changes unless the publisher comes back, and it is freed
// after the linger time, so "long" here means minutes, not days.
inline constexpr const char* kLiveCache = "public, max-age=1";
inline constexpr const char* kEndedCache = "public, max-age=300";
// Segments, parts and init segments never change under their URI.
inline constexpr const char* kImmutableCache = "public, max-age=31536000, immutable";

inline http::Response originError(int status, std::string_view message) {
  http::Response r = http::errorResponse(status, message);
  r.header("Access-Control-Allow-Origin", "*");
  r.header("Cache-Control", "no-cache");
  return r;
}

inline http::Response originNotFound() { return originError(404, "Stream not found"); }

// A 200 whose body is `bytes`, kept alive by `owner` until it is sent.
inline http::Response sharedAnswer(const char* contentType, std::shared_ptr<const void> owner,
                                   std::span<const std::uint8_t> bytes, const char* cacheControl) {
  http::Response r = http::Response::shared(200, contentType, std::move(owner), bytes);
  r.header("Cache-Control", cacheControl);
  r.header("Access-Control-Allow-Origin", "*");
  return r;
}

inline std::span<const std::uint8_t> textBytes(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Egress metering: every 200 the origin sends for a stream (playlists,
// segments, parts, every path) counts its body bytes and one request against
// the stream's current usage counter. clock null: not metered (HEAD).
inline void meterEgress(const hls::StreamHls* stream, const http::Response& response, const Clock* clock) {
  if (stream == nullptr || clock == nullptr || response.status != 200) return;
  if (auto usage = stream->usage()) usage->addEgress(clock->now(), static_cast<std::int64_t>(response.bodySize()));
}

}  // namespace ls::media_server
