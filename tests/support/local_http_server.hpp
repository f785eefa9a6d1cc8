// The project's own HTTP server on 127.0.0.1 and a free port, for tests of
// code that makes outgoing requests (http_client, the node adapters): build
// the Router, then start it; stopped and joined on destruction.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "http/router.hpp"
#include "http/server.hpp"

namespace ls::testing {

class LocalHttpServer {
 public:
  explicit LocalHttpServer(http::Router router) : router_(std::move(router)) {
    http::ServerOptions options;
    options.threads = 2;
    options.blockingThreads = 2;
    options.stopGrace = std::chrono::milliseconds(200);
    server_ = std::make_unique<http::Server>(options, router_);
    auto endpoint = server_->listen("127.0.0.1", 0);
    if (!endpoint.ok()) throw std::runtime_error("listen: " + endpoint.status().message());
    port_ = endpoint->port;
    server_->start();
  }
  ~LocalHttpServer() { server_->stop(); }
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>"
  [[nodiscard]] std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::uint16_t port_ = 0;
};

}  // namespace ls::testing
