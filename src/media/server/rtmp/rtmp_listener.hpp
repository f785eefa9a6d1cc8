// The RTMP listener: accepts connections on one loop and spreads their
// sessions over the media loops, round robin. Adding another ingest protocol
// is another folder like this one, with its own listener and session, both
// feeding the same PublishManager.
// Threads: listen() before the loops run; accepting happens on loops[0];
// close() must run on loops[0].
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "http/accept_backoff.hpp"
#include "media/server/rtmp/rtmp_session.hpp"

namespace ls::media_server {

class RtmpListener {
 public:
  RtmpListener(std::vector<boost::asio::io_context*> loops, RtmpSessionContext context);

  // Binds; port 0 picks a free port. Returns the bound port.
  Result<std::uint16_t> listen(const std::string& host, std::uint16_t port);
  void start();
  void close();

 private:
  void accept();

  std::vector<boost::asio::io_context*> loops_;
  RtmpSessionContext context_;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor_;
  std::optional<boost::asio::steady_timer> retryTimer_;
  http::AcceptBackoff backoff_;
  std::size_t nextLoop_ = 0;
};

}  // namespace ls::media_server
