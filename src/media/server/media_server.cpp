#include "media/server/media_server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <future>
#include <malloc.h>
#include <thread>

#include "media/abr/transcoder_hub.hpp"
#include "media/server/publish_manager.hpp"
#include "media/server/connection_budget.hpp"
#include "media/server/publisher_table.hpp"
#include "media/server/rtmp/rtmp_listener.hpp"

namespace ls::media_server {

namespace asio = boost::asio;

namespace {
PublishManagerOptions managerOptions(const MediaServerOptions& o) {
  PublishManagerOptions m;
  m.mediaServerId = o.mediaServerId;
  m.segmentTargetMs = o.segmentTargetMs;
  m.ll = o.ll;
  m.usage = o.usage;
  return m;
}

RtmpSessionOptions rtmpOptions(const MediaServerOptions& o) {
  RtmpSessionOptions r;
  r.idleTimeoutMs = o.idleTimeoutMs;
  r.handshakeTimeoutMs = o.handshakeTimeoutMs;
  return r;
}

std::vector<asio::io_context*> loopPointers(const std::vector<std::unique_ptr<asio::io_context>>& loops) {
  std::vector<asio::io_context*> out;
  for (const auto& loop : loops) out.push_back(loop.get());
  return out;
}
}  // namespace

// Member order is destruction order in reverse: the loops (and any session
// their queues still hold) go before the manager and the control context
// that a session's last publication reports to.
struct MediaServer::Impl {
  using Guard = asio::executor_work_guard<asio::io_context::executor_type>;

  Impl(MediaServerOptions opts, ingest::IngestService& ingestService, const Clock& c, Random& r)
      : options(std::move(opts)),
        clock(c),
        hls(hls::RegistryOptions{{options.windowSegments, 3}, options.endedLingerMs, {}}),
        budget(options.unauthorized),
        abr(options.abr.enabled ? std::make_unique<abr::TranscoderHub>(options.abr, clock) : nullptr),
        manager(managerOptions(options), ingestService, control, clock, hls, abr.get(), sessions),
        random(r) {
    for (std::size_t i = 0; i < std::max<std::size_t>(1, options.loops); ++i) {
      loops.push_back(std::make_unique<asio::io_context>(1));
    }
    rtmp.emplace(loopPointers(loops), RtmpSessionContext{rtmpOptions(options), manager, sessions, budget, random});
  }

  void sweepLater() {
    sweepTimer->expires_after(std::chrono::seconds(1));
    sweepTimer->async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      std::size_t freed = hls.sweep(clock.now());
      if (abr) freed += abr->reap();  // joins transcoder threads that have finished
      // Freed segments and pools sit in malloc's per-thread arenas, which
      // glibc does not hand back by itself: without this, RSS after 1200
      // publish/unpublish cycles stayed 3x its start (bench/RESULTS.md).
      // Trimming walks every arena, so it runs on the control thread, not on
      // this loop, which carries media.
      if (freed > 0) asio::post(control, [] { malloc_trim(0); });
      sweepLater();
    });
  }

  MediaServerOptions options;
  const Clock& clock;
  hls::HlsRegistry hls;
  OriginCounters origin;
  PublisherTable sessions;
  ConnectionBudget budget;
  std::unique_ptr<abr::TranscoderHub> abr;
  asio::io_context control{1};
  PublishManager manager;
  Random& random;
  std::vector<std::unique_ptr<asio::io_context>> loops;
  std::optional<RtmpListener> rtmp;
  std::optional<asio::steady_timer> sweepTimer;
  std::vector<Guard> guards;
  std::vector<std::thread> threads;
  bool started = false;
  bool stopped = false;
};

MediaServer::MediaServer(MediaServerOptions options, ingest::IngestService& ingest, const Clock& clock,
                         Random& random)
    : impl_(std::make_unique<Impl>(std::move(options), ingest, clock, random)) {}

MediaServer::~MediaServer() { stop(); }

Result<Endpoint> MediaServer::listen(const std::string& host, std::uint16_t port) {
  auto bound = impl_->rtmp->listen(host, port);
  if (!bound.ok()) return std::move(bound).takeStatus();
  return Endpoint{host, *bound};
}

void MediaServer::setMediaServerId(std::string id) {
  impl_->options.mediaServerId = id;
  impl_->manager.setMediaServerId(std::move(id));
}

void MediaServer::start() {
  Impl& m = *impl_;
  if (m.started) return;
  m.started = true;
  m.sweepTimer.emplace(*m.loops[0]);
  m.sweepLater();
  m.rtmp->start();
  m.guards.emplace_back(m.control.get_executor());
  m.threads.emplace_back([&m] { m.control.run(); });
  for (auto& loop : m.loops) {
    m.guards.emplace_back(loop->get_executor());
    m.threads.emplace_back([&loop] { loop->run(); });
  }
}

void MediaServer::stop() {
  Impl& m = *impl_;
  if (m.stopped) return;
  m.stopped = true;
  if (!m.started) return;
  // 1. No new connections; 2. every session closes on its loop (recording
  // ENDED through the control thread); 3. the control thread drains; 4. loops stop.
  std::promise<void> acceptorClosed;
  asio::post(*m.loops[0], [&m, &acceptorClosed] {
    m.rtmp->close();
    if (m.sweepTimer) m.sweepTimer->cancel();
    acceptorClosed.set_value();
  });
  acceptorClosed.get_future().wait();
  for (auto& session : m.sessions.all()) session->kick("server shutting down");
  for (auto& loop : m.loops) {
    std::promise<void> drained;
    asio::post(*loop, [&drained] { drained.set_value(); });
    drained.get_future().wait();
  }
  std::promise<void> controlDrained;
  asio::post(m.control, [&controlDrained] { controlDrained.set_value(); });
  controlDrained.get_future().wait();
  // Every publish has ended by now; transcoders still flushing stop at once
  // and end their playlists.
  if (m.abr) m.abr->stopAll();
  for (auto& guard : m.guards) guard.reset();
  for (auto& loop : m.loops) loop->stop();
  m.control.stop();
  for (auto& t : m.threads) t.join();
  m.threads.clear();
}

hls::HlsRegistry& MediaServer::hls() { return impl_->hls; }
const hls::HlsRegistry& MediaServer::hls() const { return impl_->hls; }

const abr::TranscoderHub* MediaServer::transcoders() const { return impl_->abr.get(); }

const PublishCounters& MediaServer::publishCounters() const { return impl_->manager.counters(); }

OriginCounters& MediaServer::originCounters() { return impl_->origin; }
const OriginCounters& MediaServer::originCounters() const { return impl_->origin; }

const hls::PublishLatency& MediaServer::publishLatency() const { return impl_->manager.publishLatency(); }

MediaServerStats MediaServer::stats() const {
  MediaServerStats s;
  s.sessions = impl_->sessions.sessionCount();
  s.streams = impl_->sessions.publishingStreams();
  s.publishing = s.streams.size();
  s.unauthorized = impl_->budget.connections();
  s.unauthorizedHeldBytes = impl_->budget.heldBytes();
  s.unauthorizedRefused = impl_->budget.refused();
  return s;
}

std::vector<std::string> MediaServer::liveStreamKeys() const {
  std::vector<std::string> keys;
  for (const PublishingStream& stream : impl_->sessions.publishingStreams()) keys.push_back(stream.streamKey);
  return keys;
}

void MediaServer::cutStream(std::string_view streamKey, std::string_view reason) {
  impl_->hls.remove(streamKey);
  impl_->manager.cut(streamKey, std::string(reason));
}

}  // namespace ls::media_server
