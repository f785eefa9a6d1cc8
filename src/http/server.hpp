// The HTTP/1.1 server: N event loops (one io_context and one thread each), a
// connection living on one loop for its whole life, handlers run inline on
// that loop. See README.md for who owns what.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.hpp"
#include "http/router.hpp"

namespace ls::http {

struct ServerOptions {
  std::size_t threads = 2;                 // one io_context (event loop) per thread; a connection lives on one loop
  std::size_t maxHeaderBytes = 16 * 1024;  // over -> 431
  std::size_t maxBodyBytes = 64 * 1024;    // over -> 413 (from Content-Length before reading, and while reading chunks)
  // From a request's first byte until its header is complete (slowloris), and
  // the longest silence allowed while a body is arriving.
  std::chrono::milliseconds headerTimeout{10000};
  // Keep-alive connection waiting for its next request; also bounds writing one response.
  std::chrono::milliseconds idleTimeout{60000};
  std::size_t maxConnections = 10000;  // accepted beyond this: closed at once
  // How long stop() lets in-flight responses finish before closing them.
  std::chrono::milliseconds stopGrace{2000};
  // Threads for the routes declared Runs::kOnWorkers, started only when the
  // router has such a route; 0 runs them inline on the loop instead.
  std::size_t blockingThreads = 4;
};

struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
};

class Server {
 public:
  // `router` must outlive the server and not change once start() ran.
  Server(ServerOptions options, const Router& router);
  ~Server();  // stop()s
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens (may be called for several addresses); port 0 picks a
  // free port. Returns the bound endpoint. Call before start().
  Result<Endpoint> listen(std::string_view host, std::uint16_t port);
  // Spawns the loop threads and starts accepting. Once only.
  void start();
  // Closes listeners and idle connections, lets in-flight responses finish for
  // up to stopGrace, then closes the rest and joins the threads. Idempotent;
  // must not be called from a handler (it joins the loop threads).
  void stop();

  // Connections open right now (all loops).
  [[nodiscard]] std::size_t connectionCount() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ls::http
