#include "media/server/media_server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <future>
#include <thread>

#include "media/abr/transcoder_hub.hpp"
#include "media/server/publisher_table.hpp"
#include "media/server/rtmp_session.hpp"

namespace ls::media_server {

namespace asio = boost::asio;

struct MediaServer::Impl {
  using Guard = asio::executor_work_guard<asio::io_context::executor_type>;

  Impl(MediaServerOptions opts, ingest::IngestService& ingestService, const Clock& c, Random& r)
      : options(std::move(opts)),
        clock(c),
        hls(hls::RegistryOptions{{options.windowSegments, 3}, options.endedLingerMs}),
        abr(options.abr.enabled ? std::make_unique<abr::TranscoderHub>(options.abr, clock) : nullptr),
        context{options, ingestService, control, clock, r, hls, publishers, abr.get()} {
    for (std::size_t i = 0; i < std::max<std::size_t>(1, options.loops); ++i) {
      loops.push_back(std::make_unique<asio::io_context>(1));
    }
  }

  void accept() {
    acceptor->async_accept(*loops[nextLoop++ % loops.size()],
                           [this](const boost::system::error_code& ec, asio::ip::tcp::socket socket) {
                             if (ec) {
                               if (ec != asio::error::operation_aborted) {
                                 spdlog::warn("rtmp accept failed: {}", ec.message());
                                 accept();
                               }
                               return;
                             }
                             auto session = std::make_shared<RtmpSession>(std::move(socket), context);
                             asio::post(session->executorHint(), [session] { session->start(); });
                             accept();
                           });
  }

  void sweepLater() {
    sweepTimer->expires_after(std::chrono::seconds(1));
    sweepTimer->async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      hls.sweep(clock.now());
      if (abr) abr->reap();  // joins transcoder threads that have finished
      sweepLater();
    });
  }

  MediaServerOptions options;
  const Clock& clock;
  hls::HlsRegistry hls;
  PublisherTable publishers;
  std::unique_ptr<abr::TranscoderHub> abr;
  asio::io_context control{1};
  std::vector<std::unique_ptr<asio::io_context>> loops;
  SessionContext context;
  std::optional<asio::ip::tcp::acceptor> acceptor;
  std::optional<asio::steady_timer> sweepTimer;
  std::vector<Guard> guards;
  std::vector<std::thread> threads;
  std::size_t nextLoop = 0;
  bool started = false;
  bool stopped = false;
};

MediaServer::MediaServer(MediaServerOptions options, ingest::IngestService& ingest, const Clock& clock,
                         Random& random)
    : impl_(std::make_unique<Impl>(std::move(options), ingest, clock, random)) {}

MediaServer::~MediaServer() { stop(); }

Result<Endpoint> MediaServer::listen(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) return invalidArgument("rtmp listen address '" + host + "' is not an IP address");
  asio::ip::tcp::endpoint endpoint(address, port);
  auto& acceptor = impl_->acceptor.emplace(*impl_->loops[0]);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    impl_->acceptor.reset();
    return unavailable("cannot listen for RTMP on " + host + ":" + std::to_string(port) + ": " + ec.message());
  }
  return Endpoint{host, acceptor.local_endpoint().port()};
}

void MediaServer::setMediaServerId(std::string id) { impl_->options.mediaServerId = std::move(id); }

void MediaServer::start() {
  Impl& m = *impl_;
  if (m.started) return;
  m.started = true;
  m.sweepTimer.emplace(*m.loops[0]);
  m.sweepLater();
  if (m.acceptor) m.accept();
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
    boost::system::error_code ignored;
    if (m.acceptor) m.acceptor->close(ignored);
    if (m.sweepTimer) m.sweepTimer->cancel();
    acceptorClosed.set_value();
  });
  acceptorClosed.get_future().wait();
  for (auto& session : m.publishers.all()) session->kick("server shutting down");
  for (auto& loop : m.loops) {
    std::promise<void> drained;
    asio::post(*loop, [&drained] { drained.set_value(); });
    drained.get_future().wait();
  }
  // Every publish has ended by now; transcoders still flushing stop at once
  // and end their playlists.
  if (m.abr) m.abr->stopAll();
  for (auto& guard : m.guards) guard.reset();
  for (auto& loop : m.loops) loop->stop();
  for (auto& t : m.threads) t.join();
  m.threads.clear();
}

hls::HlsRegistry& MediaServer::hls() { return impl_->hls; }

const abr::TranscoderHub* MediaServer::transcoders() const { return impl_->abr.get(); }

void MediaServer::onLivestreamDeleted(const Livestream& livestream) {
  impl_->hls.remove(livestream.streamKey);
  if (auto session = impl_->publishers.find(livestream.streamKey)) session->kick("livestream deleted");
}

}  // namespace ls::media_server
