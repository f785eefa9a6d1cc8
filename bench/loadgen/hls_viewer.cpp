#include "loadgen/hls_viewer.hpp"

#include <algorithm>
#include <boost/asio/write.hpp>
#include <cmath>

namespace ls::loadgen {

namespace asio = boost::asio;

namespace {

constexpr std::int64_t kKeyframeMatchMs = 250;
constexpr int kTsSyncByte = 0x47;
constexpr auto kFastPoll = std::chrono::milliseconds(2);
constexpr auto kFastPollWindow = std::chrono::milliseconds(500);

float msSince(TimePoint from, TimePoint to) {
  return std::chrono::duration<float, std::milli>(to - from).count();
}

}  // namespace

HlsViewer::HlsViewer(asio::io_context& io, ViewerOptions options)
    : options_(std::move(options)), socket_(io), timer_(io) {}

void HlsViewer::start() {
  pollAt_ = SteadyClock::now();
  poll();
}

void HlsViewer::stop() {
  stopped_ = true;
  timer_.cancel();
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void HlsViewer::onKeyframeWritten() {
  if (!options_.probe || stopped_) return;
  const TimePoint now = SteadyClock::now();
  fastUntil_ = now + kFastPollWindow;
  if (inFlight_) return;  // the response handler schedules the next (fast) poll
  timer_.cancel();
  pollAt_ = now;
  poll();
}

void HlsViewer::schedulePoll() {
  inFlight_ = false;
  if (stopped_) return;
  if (options_.probe && SteadyClock::now() < fastUntil_) {
    timer_.expires_after(kFastPoll);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec && !self->stopped_) {
        self->pollAt_ = SteadyClock::now();
        self->poll();
      }
    });
    return;
  }
  std::int64_t interval = options_.waitingPollMs;
  if (options_.probe) {
    interval = options_.probeIntervalMs;
  } else if (playable_ && playlist_.targetDurationS > 0) {
    interval = static_cast<std::int64_t>(std::lround(playlist_.targetDurationS * 500));
  }
  pollAt_ += std::chrono::milliseconds(interval);
  const TimePoint now = SteadyClock::now();
  if (pollAt_ < now) pollAt_ = now;  // a slow fetch does not cause a burst of catch-up polls
  timer_.expires_at(pollAt_);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec && !self->stopped_) self->poll();
  });
}

void HlsViewer::poll() {
  ++stats_.polls;
  send(options_.playlist.target, true);
}

void HlsViewer::send(std::string target, bool isPlaylist) {
  request_ = "GET " + target + " HTTP/1.1\r\nHost: " + options_.playlist.host + ":" +
             std::to_string(options_.playlist.port) + "\r\nUser-Agent: lunarstream-loadgen\r\nAccept: */*\r\n\r\n";
  requestIsPlaylist_ = isPlaylist;
  inFlight_ = true;
  reader_.reset(isPlaylist);
  requestAt_ = SteadyClock::now();
  if (socket_.is_open()) {
    writeRequest();
    return;
  }
  boost::system::error_code ec;
  const auto address =
      asio::ip::make_address(options_.playlist.host == "localhost" ? "127.0.0.1" : options_.playlist.host, ec);
  if (ec) {
    onError("bad address " + options_.playlist.host);
    return;
  }
  ++stats_.reconnects;
  socket_.async_connect(asio::ip::tcp::endpoint(address, options_.playlist.port),
                        [self = shared_from_this()](const boost::system::error_code& error) {
                          if (self->stopped_) return;
                          if (error) {
                            self->onError("connect: " + error.message());
                            return;
                          }
                          self->writeRequest();
                        });
}

void HlsViewer::writeRequest() {
  asio::async_write(socket_, asio::buffer(request_),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      if (self->stopped_) return;
                      if (ec) {
                        self->onError("write: " + ec.message());
                        return;
                      }
                      self->readMore();
                    });
}

void HlsViewer::readMore() {
  socket_.async_read_some(asio::buffer(readBuffer_),
                          [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                            if (self->stopped_) return;
                            if (ec == asio::error::eof) {
                              if (Status s = self->reader_.onEof(); !s.isOk()) {
                                self->onError(s.message());
                                return;
                              }
                            } else if (ec) {
                              self->onError("read: " + ec.message());
                              return;
                            } else {
                              auto used = self->reader_.feed(std::span<const char>(self->readBuffer_.data(), n));
                              if (!used.ok()) {
                                self->onError("bad response: " + used.status().message());
                                return;
                              }
                            }
                            if (self->reader_.done()) {
                              if (!self->reader_.keepAlive() || ec == asio::error::eof) {
                                boost::system::error_code ignored;
                                self->socket_.close(ignored);
                              }
                              self->onResponseDone();
                            } else {
                              self->readMore();
                            }
                          });
}

void HlsViewer::onResponseDone() {
  const TimePoint now = SteadyClock::now();
  if (requestIsPlaylist_) {
    onPlaylist(now);
    return;
  }
  const int first = reader_.firstBodyByte();
  if (reader_.status() != 200) {
    onError("segment answered " + std::to_string(reader_.status()));
    return;
  }
  if (first != kTsSyncByte || reader_.bodyBytes() % 188 != 0) {
    onError("segment is not MPEG-TS (" + std::to_string(reader_.bodyBytes()) + " bytes)");
    return;
  }
  ++stats_.segments;
  stats_.segmentBytes += reader_.bodyBytes();
  stats_.segmentLatencyMs.push_back(msSince(requestAt_, now));
  fetchNextOrWait();
}

void HlsViewer::onPlaylist(TimePoint now) {
  if (reader_.status() == 200) parseMediaPlaylist(reader_.body(), playlist_);
  bool listed = reader_.status() == 200 && playlist_.valid && !playlist_.segments.empty();
  // A probe times a fresh publish: a playlist left over from an earlier publish under the same name does not count.
  if (options_.probe && !playable_ && options_.publisher && options_.publisher->stats().publishStartAt == TimePoint{}) {
    listed = false;
  }
  if (!listed) {
    if (playable_) {
      onError("playlist answered " + std::to_string(reader_.status()) + (playlist_.valid ? "" : ", not an m3u8"));
    } else {
      ++stats_.notReady;
      schedulePoll();
    }
    return;
  }
  ++stats_.playlistsOk;
  if (!playable_) {
    playable_ = true;
    if (options_.probe && options_.publisher) {
      const PublisherStats& p = options_.publisher->stats();
      if (p.publishSentAt != TimePoint{}) {
        stats_.firstPlayableMs = static_cast<std::int64_t>(msSince(p.publishSentAt, now));
      }
      if (p.publishStartAt != TimePoint{}) {
        stats_.firstPlayableAfterStartMs = static_cast<std::int64_t>(msSince(p.publishStartAt, now));
      }
    }
  }
  if (options_.probe) {
    probeSegments(now);
    schedulePoll();
    return;
  }
  const auto& segs = playlist_.segments;
  if (lastSequence_ && *lastSequence_ > segs.back().sequence) lastSequence_.reset();  // the server restarted numbering
  for (const PlaylistSegment& s : segs) {
    if (lastSequence_ ? s.sequence > *lastSequence_ : &s == &segs.back()) {
      auto url = resolveUri(options_.playlist, s.uri);
      if (!url.ok() || url->host != options_.playlist.host || url->port != options_.playlist.port) {
        onError("segment URI " + s.uri + " is not on the playlist's server");
        return;
      }
      fetchQueue_.push_back(std::move(url->target));
      lastSequence_ = s.sequence;
    }
  }
  fetchNextOrWait();
}

void HlsViewer::probeSegments(TimePoint now) {
  const auto& segs = playlist_.segments;
  if (stats_.lostTrack || !options_.publisher) return;
  const auto& keyframes = options_.publisher->stats().keyframes;
  for (const PlaylistSegment& s : segs) {
    if (lastSequence_ && s.sequence <= *lastSequence_) continue;
    if (lastSequence_ && s.sequence != *lastSequence_ + 1) {
      stats_.lostTrack = true;
      return;
    }
    lastSequence_ = s.sequence;
    fastUntil_ = {};
    probeEndMs_ += std::llround(s.durationS * 1000);
    // The keyframe that closed this segment starts the next one: the sent keyframe nearest the segment's end.
    const auto it = std::lower_bound(keyframes.begin(), keyframes.end(), probeEndMs_,
                                     [](const KeyframeSent& k, std::int64_t ms) { return k.mediaMs < ms; });
    const KeyframeSent* best = nullptr;
    if (it != keyframes.end()) best = &*it;
    if (it != keyframes.begin() &&
        (best == nullptr || probeEndMs_ - std::prev(it)->mediaMs < best->mediaMs - probeEndMs_)) {
      best = &*std::prev(it);
    }
    if (best == nullptr || std::llabs(best->mediaMs - probeEndMs_) > kKeyframeMatchMs) {
      ++stats_.unmatchedSegments;
      continue;
    }
    stats_.availabilityLagMs.push_back(msSince(best->at, now));
  }
}

void HlsViewer::fetchNextOrWait() {
  if (stopped_) return;
  if (fetchQueue_.empty()) {
    schedulePoll();
    return;
  }
  std::string target = std::move(fetchQueue_.front());
  fetchQueue_.pop_front();
  send(std::move(target), false);
}

void HlsViewer::onError(std::string what) {
  ++stats_.errors;
  stats_.lastError = std::move(what);
  boost::system::error_code ignored;
  socket_.close(ignored);
  fetchQueue_.clear();
  schedulePoll();
}

}  // namespace ls::loadgen
