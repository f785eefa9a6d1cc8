#include "media/server/hls_origin.hpp"

#include "media/server/ll_origin.hpp"
#include "media/server/origin_responses.hpp"

#include <cstdint>
#include <memory>
#include <string>

#include "media/server/steering_routes.hpp"

namespace ls::media_server {

namespace {

constexpr const char* kSegmentType = "video/mp2t";

http::Response notFound() { return originNotFound(); }

http::Response playlist(const std::shared_ptr<const std::string>& text, bool ended) {
  if (!text || text->empty()) return notFound();
  return sharedAnswer(kPlaylistType, text, textBytes(*text), ended ? kEndedCache : kLiveCache);
}

http::Response segment(const std::shared_ptr<hls::Rendition>& rendition, std::string_view uri) {
  if (!rendition) return notFound();
  std::shared_ptr<const hls::Segment> seg = rendition->segment(uri);
  if (!seg) return notFound();
  const std::span<const std::uint8_t> bytes(seg->bytes.data(), seg->bytes.size());
  return sharedAnswer(kSegmentType, std::move(seg), bytes, kImmutableCache);
}

void meter(const hls::StreamHls* stream, const http::Response& response, const Clock* clock) {
  meterEgress(stream, response, clock);
}

// A playlist request: the master (empty rendition) or one rendition's playlist.
// Answers it from the stream's current snapshot, or, when the stream is live
// but has no such playlist yet, waits for the stream's next change and looks
// again. The wake runs on the writer's thread: it only copies snapshots and
// hands the answer to the responder, which posts it to the HTTP loop.
void answerPlaylist(const std::shared_ptr<hls::StreamHls>& stream, const std::string& rendition,
                    const http::Responder& respond, OriginCounters* counters, const Clock* clock,
                    const hls::SteeringBoard* steering = nullptr) {
  const auto kind = rendition.empty() ? OriginCounters::kMaster : OriginCounters::kPlaylist;
  const auto send = [&](http::Response response) {
    if (counters != nullptr) counters->count(kind, response.status);
    meter(stream.get(), response, clock);
    respond.send(std::move(response));
  };
  if (!stream || stream->removed()) {
    send(notFound());
    return;
  }
  const std::uint64_t seen = stream->changeVersion();  // before looking: a change meanwhile wakes at once
  std::shared_ptr<const std::string> text;
  bool ended = false;
  if (rendition.empty()) {
    text = steeredMaster(stream->master(), stream->key(), steering);
    ended = stream->endedAt().has_value();
  } else if (auto r = stream->rendition(rendition)) {
    text = r->playlist();
    ended = r->ended();
  }
  if (text && !text->empty()) {
    send(playlist(text, ended));
    return;
  }
  // Nothing is coming for a stream whose publisher has left.
  if (stream->endedAt()) {
    send(notFound());
    return;
  }
  if (!respond.pending()) return;  // timed out meanwhile
  // Weak: the wake is stored in the stream itself.
  stream->waitForChange(seen, {[weak = std::weak_ptr(stream), rendition, respond, counters, clock, steering] {
                                 answerPlaylist(weak.lock(), rendition, respond, counters, clock, steering);
                               },
                               [respond] { return !respond.pending(); }});
}

}  // namespace

void registerHlsRoutes(http::Router& router, hls::HlsRegistry& registry, HlsOriginOptions options) {
  using M = http::Method;
  OriginCounters* counters = options.counters;
  // HEAD sends no body: not egress (nullptr: not metered).
  const auto meterClock = [clock = options.usageClock](const http::Request& r) -> const Clock* {
    return r.method() == M::kHead ? nullptr : clock;
  };
  // A request held past the wait is a 404 of its kind.
  const auto hold = [&](OriginCounters::Kind kind) {
    return http::Deferral{options.firstSegmentWait, [counters, kind](const http::Request&) {
                            if (counters != nullptr) counters->count(kind, 404);
                            return notFound();
                          }};
  };
  const auto countedSegment = [&registry, counters](std::string_view key, std::string_view name, std::string_view uri,
                                                    const Clock* clock) {
    auto stream = registry.find(key);
    http::Response response = segment(stream ? stream->rendition(name) : nullptr, uri);
    if (counters != nullptr) counters->count(OriginCounters::kSegment, response.status);
    meter(stream.get(), response, clock);
    return response;
  };
  // Playlists may wait (deferred); segments never do. All on the loops.
  router.addDeferred(
      M::kGet, "/hls/:key/master.m3u8",
      [&registry, counters, meterClock, steering = options.steering](const http::Request& r, http::Responder respond) {
        answerPlaylist(registry.find(r.param("key")), {}, respond, counters, meterClock(r), steering);
      },
      hold(OriginCounters::kMaster));
  router.addDeferred(
      M::kGet, "/hls/:key/:rendition/index.m3u8",
      [&registry, counters, meterClock](const http::Request& r, http::Responder respond) {
        answerPlaylist(registry.find(r.param("key")), std::string(r.param("rendition")), respond, counters,
                       meterClock(r));
      },
      hold(OriginCounters::kPlaylist));
  router.addDeferred(
      M::kGet, "/live/:key/hls.m3u8",
      [&registry, counters, meterClock](const http::Request& r, http::Responder respond) {
        answerPlaylist(registry.find(r.param("key")), "original", respond, counters, meterClock(r));
      },
      hold(OriginCounters::kPlaylist));
  // Low-latency HLS: playlists may wait (blocking reload); so may the part
  // a preload hint names, which shares its path pattern with the TS
  // segments. TS segments never wait.
  const auto llHold = http::Deferral{
      options.llBlockingWait, [counters](const http::Request& r) { return llTimeoutAnswer(r, counters); }};
  const auto llPlaylistRoute = [&registry, counters, meterClock, steering = options.steering](
                                   const http::Request& r, http::Responder respond, std::string rendition) {
    const auto kind = rendition.empty() ? OriginCounters::kLlMaster : OriginCounters::kLlPlaylist;
    auto blocking = hls::parseBlockingRequest(r.rawQuery());
    if (!blocking.ok()) {
      if (counters != nullptr) counters->count(kind, 400);
      respond.send(originError(400, blocking.status().message()));
      return;
    }
    answerLlPlaylist(registry.find(r.param("key")), rendition, *blocking, respond, counters, meterClock(r), steering);
  };
  router.addDeferred(
      M::kGet, "/hls/:key/ll.m3u8",
      [llPlaylistRoute](const http::Request& r, http::Responder respond) { llPlaylistRoute(r, respond, {}); },
      llHold);
  router.addDeferred(
      M::kGet, "/hls/:key/:rendition/ll.m3u8",
      [llPlaylistRoute](const http::Request& r, http::Responder respond) {
        llPlaylistRoute(r, respond, std::string(r.param("rendition")));
      },
      llHold);
  router.addDeferred(
      M::kGet, "/hls/:key/:rendition/:segment",
      [&registry, countedSegment, counters, meterClock](const http::Request& r, http::Responder respond) {
        const std::string_view uri = r.param("segment");
        if (isLlMediaUri(uri)) {
          answerLlMedia(registry.find(r.param("key")), std::string(r.param("rendition")), std::string(uri), respond,
                        counters, meterClock(r));
          return;
        }
        respond.send(countedSegment(r.param("key"), r.param("rendition"), uri, meterClock(r)));
      },
      llHold);
  router.add(
      M::kGet, "/live/:key/:segment",
      [countedSegment, meterClock](const http::Request& r) {
        return countedSegment(r.param("key"), "original", r.param("segment"), meterClock(r));
      },
      http::Runs::kOnLoop);
  if (options.steering != nullptr) registerSteeringRoutes(router, registry, *options.steering);
}

}  // namespace ls::media_server
