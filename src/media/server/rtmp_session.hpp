// One RTMP connection: owns the socket, drives the sans-IO
// rtmp::ServerConnection, asks the ingest service for the publish decision
// (on the control thread), and feeds accepted media into a LiveSource.
// Lives on exactly one media loop; every member runs there. kick() is the
// only entry point from other threads.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "core/time.hpp"
#include "ingest/ingest_service.hpp"
#include "media/abr/transcoder_hub.hpp"
#include "media/hls/segment_store.hpp"
#include "media/rtmp/server_connection.hpp"
#include "media/server/live_source.hpp"
#include "media/server/media_server.hpp"
#include "media/server/publisher_table.hpp"

namespace ls::media_server {

// What every session shares; owned by MediaServer::Impl.
struct SessionContext {
  const MediaServerOptions& options;
  ingest::IngestService& ingest;
  boost::asio::io_context& control;
  const Clock& clock;
  Random& random;
  hls::HlsRegistry& hls;
  PublisherTable& publishers;
  abr::TranscoderHub* abr;  // nullptr: ABR is off on this server
};

class RtmpSession final : public std::enable_shared_from_this<RtmpSession>,
                          private rtmp::ServerConnectionObserver {
 public:
  RtmpSession(boost::asio::ip::tcp::socket socket, SessionContext& context);
  ~RtmpSession() override;

  void start();
  // The loop this session lives on.
  boost::asio::any_io_executor executorHint() { return socket_.get_executor(); }
  // Thread-safe: closes the connection on its loop, ending any publish.
  void kick(std::string reason);

 private:
  void readMore();
  void onRead(const boost::system::error_code& ec, std::size_t n);
  void flush();
  void close(const std::string& reason);
  void armTimer();
  void onDecision(Result<ingest::PublishGrant> decision);
  void startPipeline(const ingest::PublishGrant& grant);
  void endPublish();

  // rtmp::ServerConnectionObserver
  void onPublishRequest(const rtmp::PublishRequest& request) override;
  void onMetadata(const rtmp::StreamMetadata& metadata) override;
  void onVideo(std::int64_t timestampMs, std::span<const std::uint8_t> payload) override;
  void onAudio(std::int64_t timestampMs, std::span<const std::uint8_t> payload) override;
  void onUnpublish() override;
  void onError(const Status& status) override;

  SessionContext& ctx_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  rtmp::ServerConnection connection_;
  std::string peer_;
  std::array<std::uint8_t, 64 * 1024> readBuffer_{};
  std::vector<std::uint8_t> writeBuffer_;
  bool writing_ = false;
  bool closed_ = false;
  bool ended_ = false;
  std::chrono::steady_clock::time_point acceptedAt_;
  std::chrono::steady_clock::time_point lastMediaAt_;
  std::optional<ingest::PublishGrant> grant_;
  std::unique_ptr<LiveSource> source_;
  std::uint64_t rejectedTagsLogged_ = 0;
};

}  // namespace ls::media_server
