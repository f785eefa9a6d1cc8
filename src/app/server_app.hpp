// The running server: owns every long-lived piece and wires them together.
// This is the only place that knows all modules (DESIGN "Only app/ knows
// every module"). Built on the main thread; stop() joins every thread.
#pragma once

#include <memory>
#include <vector>

#include "app/config.hpp"
#include "core/status.hpp"
#include "http/router.hpp"

namespace ls::app {

class ServerApp {
 public:
  // By config.role: all (everything), api (no media plane) or media (no
  // store: an API tier decides). Opens the data dir, binds the listeners, prepares the first-start data,
  // prints the ready line and starts serving.
  static Result<std::unique_ptr<ServerApp>> start(Config config);
  ~ServerApp();
  ServerApp(const ServerApp&) = delete;
  ServerApp& operator=(const ServerApp&) = delete;

  void stop();

  // Every route this server answers (method and pattern), for the test that
  // holds docs/openapi.json to the routing table. Not served over HTTP.
  [[nodiscard]] std::vector<http::RouteInfo> routes() const;

  // Everything the server owns, in construction order (defined in server_app.cpp).
  struct Parts;

 private:
  explicit ServerApp(std::unique_ptr<Parts> parts);
  // `--role media`: RTMP ingest and HLS origin for an API tier (server_app_media.cpp).
  static Result<std::unique_ptr<ServerApp>> startMediaNode(std::unique_ptr<Parts> p);
  std::unique_ptr<Parts> parts_;
};

}  // namespace ls::app
