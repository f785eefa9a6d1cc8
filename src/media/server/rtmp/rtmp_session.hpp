// One RTMP connection: owns the socket, drives the sans-IO
// rtmp::ServerConnection, turns its publish request into a protocol-neutral
// PublishAttempt for the PublishManager, and translates the FLV tag bodies
// it receives into media frames for the Publication it is given. Nothing
// else about publishing is decided here.
// Lives on exactly one media loop; every member runs there. kick() is the
// only entry point from other threads.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "media/server/connection_budget.hpp"
#include "media/rtmp/server_connection.hpp"
#include "media/server/publish_manager.hpp"
#include "media/server/publisher.hpp"

namespace ls::media_server {

struct RtmpSessionOptions {
  std::int64_t idleTimeoutMs = 10'000;       // no media for this long ends a publish
  std::int64_t handshakeTimeoutMs = 10'000;  // from accept until publishing
  std::size_t maxPendingOutput = 1 << 20;    // a peer that does not read its replies is dropped
};

// What every RTMP session of a listener shares; owned by the listener.
struct RtmpSessionContext {
  RtmpSessionOptions options;
  PublishManager& manager;
  PublisherTable& sessions;
  ConnectionBudget& budget;
  Random& random;
};

class RtmpSession final : public Publisher,
                          public std::enable_shared_from_this<RtmpSession>,
                          private rtmp::ServerConnectionObserver {
 public:
  RtmpSession(boost::asio::ip::tcp::socket socket, RtmpSessionContext& context);
  ~RtmpSession() override;

  void start();
  // The loop this session lives on.
  boost::asio::any_io_executor executor() { return socket_.get_executor(); }

  // Publisher
  void kick(std::string reason) override;
  [[nodiscard]] const std::string& protocol() const override;
  [[nodiscard]] const std::string& peer() const override { return peer_; }
  [[nodiscard]] const PublisherCounters& counters() const override { return counters_; }

 private:
  void readMore();
  void onRead(const boost::system::error_code& ec, std::size_t n);
  void flush();
  void close(const std::string& reason);
  void armTimer();
  void onDecision(Result<std::unique_ptr<Publication>> decision);

  // rtmp::ServerConnectionObserver
  void onPublishRequest(const rtmp::PublishRequest& request) override;
  void onMetadata(const rtmp::StreamMetadata& metadata) override;
  void onVideo(std::int64_t timestampMs, std::span<const std::uint8_t> payload) override;
  void onAudio(std::int64_t timestampMs, std::span<const std::uint8_t> payload) override;
  void onUnpublish() override;
  void onError(const Status& status) override;
  void dropped(const char* kind, const Status& status);

  RtmpSessionContext& ctx_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  rtmp::ServerConnection connection_;
  std::string peer_;     // address:port, for logs
  std::string address_;  // address alone, for per-address budgets
  PublisherCounters counters_;
  // Small until the publish is granted: an idle or hostile connection costs
  // little; a publisher reads in large gulps.
  std::vector<std::uint8_t> readBuffer_;
  std::optional<ConnectionBudget::Ticket> ticket_;  // until authorized
  std::vector<std::uint8_t> writeBuffer_;
  bool writing_ = false;
  bool closed_ = false;
  bool decisionPending_ = false;
  std::chrono::steady_clock::time_point acceptedAt_;
  std::chrono::steady_clock::time_point lastMediaAt_;
  std::unique_ptr<Publication> publication_;
};

}  // namespace ls::media_server
