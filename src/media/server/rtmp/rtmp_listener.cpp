#include "media/server/rtmp/rtmp_listener.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

namespace ls::media_server {

namespace asio = boost::asio;

RtmpListener::RtmpListener(std::vector<asio::io_context*> loops, RtmpSessionContext context)
    : loops_(std::move(loops)), context_(std::move(context)) {}

Result<std::uint16_t> RtmpListener::listen(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) return invalidArgument("rtmp listen address '" + host + "' is not an IP address");
  asio::ip::tcp::endpoint endpoint(address, port);
  auto& acceptor = acceptor_.emplace(*loops_.front());
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor_.reset();
    return unavailable("cannot listen for RTMP on " + host + ":" + std::to_string(port) + ": " + ec.message());
  }
  return acceptor.local_endpoint().port();
}

void RtmpListener::start() {
  if (!acceptor_) return;
  retryTimer_.emplace(*loops_.front());
  accept();
}

void RtmpListener::close() {
  boost::system::error_code ignored;
  if (acceptor_) acceptor_->close(ignored);
  if (retryTimer_) retryTimer_->cancel();
}

void RtmpListener::accept() {
  acceptor_->async_accept(*loops_[nextLoop_++ % loops_.size()],
                          [this](const boost::system::error_code& ec, asio::ip::tcp::socket socket) {
                            if (ec == asio::error::operation_aborted || !acceptor_->is_open()) return;
                            if (ec) {
                              // Out of descriptors the pending connection stays queued and
                              // accepting again fails at once: pause (growing while it
                              // lasts) instead of spinning, and log at most once a second.
                              const auto decision = backoff_.onFailure(http::AcceptBackoff::Clock::now());
                              if (decision.log) {
                                spdlog::warn("rtmp: accept failed: {} ({} more since the last report); next try in {} ms",
                                             ec.message(), decision.suppressed, decision.wait.count());
                              }
                              retryTimer_->expires_after(decision.wait);
                              retryTimer_->async_wait([this](const boost::system::error_code& timerEc) {
                                if (!timerEc && acceptor_->is_open()) accept();
                              });
                              return;
                            }
                            backoff_.onSuccess();
                            auto session = std::make_shared<RtmpSession>(std::move(socket), context_);
                            asio::post(session->executor(), [session] { session->start(); });
                            accept();
                          });
}

}  // namespace ls::media_server
