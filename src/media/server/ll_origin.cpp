#include "media/server/ll_origin.hpp"

#include <memory>
#include <string>
#include <utility>

#include "media/hls/ll_store.hpp"
#include "media/server/origin_responses.hpp"
#include "media/server/steering_routes.hpp"

namespace ls::media_server {

namespace {

// Parts, segments and init segments alike: hls.js and Safari take video/mp4
// for all of them, and so does every proxy's MIME map.
constexpr const char* kMp4Type = "video/mp4";

OriginCounters::Kind kindOf(const hls::LlUri& uri) {
  switch (uri.kind) {
    case hls::LlUri::Kind::kInit: return OriginCounters::kLlInit;
    case hls::LlUri::Kind::kSegment: return OriginCounters::kLlSegment;
    case hls::LlUri::Kind::kPart: return OriginCounters::kLlPart;
  }
  return OriginCounters::kLlPart;
}

// The playlist text the request asked for (delta update or whole).
const std::shared_ptr<const std::string>& textFor(const hls::LlView& view, hls::SkipRequest skip) {
  switch (skip) {
    case hls::SkipRequest::kYes: return view.skip;
    case hls::SkipRequest::kV2: return view.skipV2;
    case hls::SkipRequest::kNone: break;
  }
  return view.full;
}

http::Response llPlaylist(const hls::LlView& view, const hls::BlockingRequest& blocking) {
  const std::shared_ptr<const std::string>& text = textFor(view, blocking.skip);
  if (!text || text->empty()) return originNotFound();
  // A blocking request's URL names the msn/part it waited for: its answer
  // never changes, so a CDN may keep it a few target durations (enough for
  // every viewer behind it asking the same URL). The bare playlist changes
  // with every part.
  std::string cache;
  if (view.ended) {
    cache = kEndedCache;
  } else if (blocking.msn) {
    cache = "public, max-age=" + std::to_string(3 * view.targetDurationSec);
  } else {
    cache = kLiveCache;
  }
  return sharedAnswer(kPlaylistType, text, textBytes(*text), cache.c_str());
}

// The part the playlist announces next (EXT-X-PRELOAD-HINT), or the first
// part of the segment after the open one (the open segment may be cut before
// its next part): the only parts worth waiting for.
bool worthWaitingFor(const hls::LlUri& uri, const hls::LivePosition& p) {
  if (uri.kind != hls::LlUri::Kind::kPart || p.ended) return false;
  if (uri.msn == p.lastMsn + 1 && uri.part == 0) return true;
  if (p.lastMsnComplete || uri.msn != p.lastMsn) return false;
  return uri.part == (p.lastPart ? *p.lastPart + 1 : 0);
}

}  // namespace

bool isLlMediaUri(std::string_view uri) {
  return hls::parseLlUri(uri).has_value();
}

void answerLlPlaylist(const std::shared_ptr<hls::StreamHls>& stream, const std::string& rendition,
                      const hls::BlockingRequest& blocking, const http::Responder& respond, OriginCounters* counters,
                      const Clock* clock, const hls::SteeringBoard* steering) {
  const auto kind = rendition.empty() ? OriginCounters::kLlMaster : OriginCounters::kLlPlaylist;
  const auto send = [&](http::Response response) {
    if (counters != nullptr) counters->count(kind, response.status);
    meterEgress(stream.get(), response, clock);
    respond.send(std::move(response));
  };
  if (!stream || stream->removed()) {
    send(originNotFound());
    return;
  }
  const std::uint64_t seen = stream->changeVersion();  // before looking: a change meanwhile wakes at once
  if (rendition.empty()) {
    if (auto text = steeredMaster(stream->ll().master(), stream->key(), steering); text && !text->empty()) {
      const bool ended = stream->endedAt().has_value();
      send(sharedAnswer(kPlaylistType, text, textBytes(*text), ended ? kEndedCache : kLiveCache));
      return;
    }
  } else if (auto r = stream->ll().rendition(rendition)) {
    if (auto view = r->view()) {
      switch (hls::judgeBlockingRequest(blocking, view->position)) {
        case hls::BlockingVerdict::kReady: send(llPlaylist(*view, blocking)); return;
        case hls::BlockingVerdict::kTooFarAhead:
          send(originError(400, "_HLS_msn/_HLS_part is too far ahead of the live edge"));
          return;
        case hls::BlockingVerdict::kWait: break;
      }
    }
  }
  // Nothing is coming for a stream whose publisher has left. An LL rendition
  // ends a moment after the stream's MPEG-TS side (its packager is the next
  // sink): its own end answers the request with the final playlist.
  const std::shared_ptr<hls::LlRendition> llRendition = rendition.empty() ? nullptr : stream->ll().rendition(rendition);
  if (stream->endedAt() && !(llRendition && !llRendition->ended())) {
    send(originNotFound());
    return;
  }
  if (!respond.pending()) return;  // timed out meanwhile
  // Weak: the wake is stored in the stream itself.
  stream->waitForChange(seen, {[weak = std::weak_ptr(stream), rendition, blocking, respond, counters, clock, steering] {
                                 answerLlPlaylist(weak.lock(), rendition, blocking, respond, counters, clock, steering);
                               },
                               [respond] { return !respond.pending(); }});
}

void answerLlMedia(const std::shared_ptr<hls::StreamHls>& stream, const std::string& rendition, const std::string& uri,
                   const http::Responder& respond, OriginCounters* counters, const Clock* clock) {
  const auto parsed = hls::parseLlUri(uri);
  const auto kind = parsed ? kindOf(*parsed) : OriginCounters::kLlPart;
  const auto send = [&](http::Response response) {
    if (counters != nullptr) counters->count(kind, response.status);
    meterEgress(stream.get(), response, clock);
    respond.send(std::move(response));
  };
  std::shared_ptr<hls::LlRendition> r = stream && !stream->removed() ? stream->ll().rendition(rendition) : nullptr;
  if (!parsed || !r) {
    send(originNotFound());
    return;
  }
  const std::uint64_t seen = stream->changeVersion();
  if (auto media = r->media(*parsed)) {
    const std::span<const std::uint8_t> bytes = media->bytes();
    send(sharedAnswer(kMp4Type, std::move(media), bytes, kImmutableCache));
    return;
  }
  // The rendition's own end, not the stream's: its last parts may still be
  // on their way when the MPEG-TS side has ended.
  if (!worthWaitingFor(*parsed, r->position()) || r->ended()) {
    send(originNotFound());
    return;
  }
  if (!respond.pending()) return;
  stream->waitForChange(seen, {[weak = std::weak_ptr(stream), rendition, uri, respond, counters, clock] {
                                 answerLlMedia(weak.lock(), rendition, uri, respond, counters, clock);
                               },
                               [respond] { return !respond.pending(); }});
}

http::Response llTimeoutAnswer(const http::Request& request, OriginCounters* counters) {
  const std::string_view last = request.path().substr(request.path().rfind('/') + 1);
  const bool playlist = last == "ll.m3u8";
  const bool master = playlist && request.param("rendition").empty();
  const auto parsed = playlist ? std::nullopt : hls::parseLlUri(last);
  // A bare playlist that never appeared: the stream has nothing (404). A
  // blocking reload or an announced part that did not come in time: 503.
  const bool blocking = !playlist || request.query("_HLS_msn").has_value();
  http::Response r = blocking ? originError(503, "Not available in time; retry") : originNotFound();
  if (counters != nullptr) {
    counters->count(master     ? OriginCounters::kLlMaster
                    : playlist ? OriginCounters::kLlPlaylist
                    : parsed   ? kindOf(*parsed)
                               : OriginCounters::kLlPart,
                    r.status);
  }
  return r;
}

}  // namespace ls::media_server
