#include "media/server/hls_origin.hpp"

namespace ls::media_server {

namespace {

constexpr const char* kPlaylistType = "application/vnd.apple.mpegurl";
constexpr const char* kSegmentType = "video/mp2t";
// Live playlists change every segment. An ended stream's playlist no longer
// changes unless the publisher comes back, and it is freed after the linger
// time, so "long" here means minutes, not days.
constexpr const char* kLiveCache = "public, max-age=1";
constexpr const char* kEndedCache = "public, max-age=300";
constexpr const char* kSegmentCache = "public, max-age=31536000, immutable";

http::Response notFound() {
  http::Response r = http::errorResponse(404, "Stream not found");
  r.header("Access-Control-Allow-Origin", "*");
  r.header("Cache-Control", "no-cache");
  return r;
}

http::Response playlist(const std::shared_ptr<const std::string>& text, bool ended) {
  if (!text || text->empty()) return notFound();
  http::Response r = http::Response::shared(
      200, kPlaylistType, text,
      std::span(reinterpret_cast<const std::uint8_t*>(text->data()), text->size()));
  r.header("Cache-Control", ended ? kEndedCache : kLiveCache);
  r.header("Access-Control-Allow-Origin", "*");
  return r;
}

http::Response segment(const std::shared_ptr<hls::Rendition>& rendition, std::string_view uri) {
  if (!rendition) return notFound();
  std::shared_ptr<const hls::Segment> seg = rendition->segment(uri);
  if (!seg) return notFound();
  const std::span<const std::uint8_t> bytes(seg->bytes.data(), seg->bytes.size());
  http::Response r = http::Response::shared(200, kSegmentType, std::move(seg), bytes);
  r.header("Cache-Control", kSegmentCache);
  r.header("Access-Control-Allow-Origin", "*");
  return r;
}

std::shared_ptr<hls::Rendition> findRendition(hls::HlsRegistry& registry, std::string_view key,
                                              std::string_view name) {
  auto stream = registry.find(key);
  return stream ? stream->rendition(name) : nullptr;
}

http::Response renditionPlaylist(hls::HlsRegistry& registry, std::string_view key, std::string_view name) {
  auto rendition = findRendition(registry, key, name);
  if (!rendition) return notFound();
  return playlist(rendition->playlist(), rendition->ended());
}

}  // namespace

void registerHlsRoutes(http::Router& router, hls::HlsRegistry& registry) {
  using M = http::Method;
  // Every route reads memory snapshots and never waits: the loops.
  constexpr auto kLoop = http::Runs::kOnLoop;
  router.add(
      M::kGet, "/hls/:key/master.m3u8",
      [&registry](const http::Request& r) {
        auto stream = registry.find(r.param("key"));
        if (!stream) return notFound();
        return playlist(stream->master(), stream->endedAt().has_value());
      },
      kLoop);
  router.add(
      M::kGet, "/hls/:key/:rendition/index.m3u8",
      [&registry](const http::Request& r) { return renditionPlaylist(registry, r.param("key"), r.param("rendition")); },
      kLoop);
  router.add(
      M::kGet, "/hls/:key/:rendition/:segment",
      [&registry](const http::Request& r) {
        return segment(findRendition(registry, r.param("key"), r.param("rendition")), r.param("segment"));
      },
      kLoop);
  router.add(
      M::kGet, "/live/:key/hls.m3u8",
      [&registry](const http::Request& r) { return renditionPlaylist(registry, r.param("key"), "original"); }, kLoop);
  router.add(
      M::kGet, "/live/:key/:segment",
      [&registry](const http::Request& r) {
        return segment(findRendition(registry, r.param("key"), "original"), r.param("segment"));
      },
      kLoop);
}

}  // namespace ls::media_server
