#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <utility>

#include "http/accept_backoff.hpp"
#include "http/connection.hpp"  // Asio, with its g++ false positive silenced
#include "http/response_head.hpp"

namespace ls::http {

namespace detail {

Loop::Loop(const ServerConfig& cfg) : config(cfg) {
  gate->ioc = &ioc;
  refreshDate();
}

Loop::~Loop() {
  closeGate();
}

void Loop::closeGate() {
  std::lock_guard lock(gate->mu);
  gate->ioc = nullptr;
}

void Loop::refreshDate() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const long long second = std::chrono::duration_cast<std::chrono::seconds>(now).count();
  if (second == httpDateSecond) return;
  httpDateSecond = second;
  httpDate = formatHttpDate(second);
}

void Loop::start(SteadyClock::duration interval) {
  sweepInterval = interval;
  work.emplace(ioc.get_executor());
  armSweep();
}

// One timer per loop instead of one per connection: a connection's timeout is
// a deadline field that costs nothing to move, and the sweep closes the late ones.
void Loop::armSweep() {
  sweepTimer.expires_after(sweepInterval);
  sweepTimer.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping) return;
    refreshDate();
    const SteadyClock::time_point now = SteadyClock::now();
    for (Connection* c = connections; c != nullptr; c = c->next) c->checkDeadline(now);
    armSweep();
  });
}

void Loop::beginShutdown() {
  stopping = true;
  sweepTimer.cancel();
  for (Connection* c = connections; c != nullptr; c = c->next) c->onShutdown();
  work.reset();  // run() returns once the last connection is gone
}

void Loop::closeAll() {
  for (Connection* c = connections; c != nullptr; c = c->next) c->close();
}

}  // namespace detail

namespace asio = boost::asio;
using detail::Connection;
using detail::Loop;

struct Server::State {
  struct Listener {
    explicit Listener(asio::io_context& ioc) : acceptor(ioc), retryTimer(ioc) {}
    asio::ip::tcp::acceptor acceptor;
    asio::steady_timer retryTimer;  // waits out a failed accept (EMFILE and friends) instead of spinning
    AcceptBackoff backoff;
  };

  ServerOptions options;
  detail::ServerConfig config;
  std::atomic<std::size_t> connectionCount{0};
  std::vector<std::unique_ptr<Loop>> loops;
  std::unique_ptr<asio::thread_pool> workers;  // blocking handlers; joined after the loops
  std::vector<std::unique_ptr<Listener>> listeners;  // all on loops[0]
  std::size_t nextLoop = 0;                          // round-robin; touched on loops[0] only
  bool started = false;
  bool stopped = false;
  std::mutex finishedMutex;
  std::condition_variable finishedCv;

  void accept(Listener& listener);
  void onAccepted(Listener& listener, Loop& target, const boost::system::error_code& ec, asio::ip::tcp::socket socket);
  bool waitForLoops(std::chrono::milliseconds timeout);
};

void Server::State::accept(Listener& listener) {
  Loop& target = *loops[nextLoop];
  nextLoop = (nextLoop + 1) % loops.size();
  // The socket is created on the target loop's io_context, so the connection never migrates.
  listener.acceptor.async_accept(
      target.ioc, [this, &listener, &target](const boost::system::error_code& ec, asio::ip::tcp::socket socket) {
        onAccepted(listener, target, ec, std::move(socket));
      });
}

void Server::State::onAccepted(Listener& listener, Loop& target, const boost::system::error_code& ec,
                               asio::ip::tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !listener.acceptor.is_open()) return;
  if (ec) {
    // Out of descriptors (EMFILE, ENFILE) the pending connection stays queued,
    // so accepting again at once fails again at once: pause, growing the
    // pause while it lasts, and say so at most once a second.
    const AcceptBackoff::Decision decision = listener.backoff.onFailure(AcceptBackoff::Clock::now());
    if (decision.log) {
      spdlog::warn("http: accept failed: {} ({} more since the last report); next try in {} ms", ec.message(),
                   decision.suppressed, decision.wait.count());
    }
    listener.retryTimer.expires_after(decision.wait);
    listener.retryTimer.async_wait([this, &listener](const boost::system::error_code& timerEc) {
      if (!timerEc) accept(listener);
    });
    return;
  }
  listener.backoff.onSuccess();
  if (connectionCount.load(std::memory_order_relaxed) >= options.maxConnections) {
    spdlog::warn("http: connection limit {} reached; refusing a connection", options.maxConnections);
    boost::system::error_code ignored;
    socket.close(ignored);
  } else {
    auto connection = std::make_shared<Connection>(target, std::move(socket));
    asio::post(target.ioc, [connection = std::move(connection)] { connection->start(); });
  }
  accept(listener);
}

bool Server::State::waitForLoops(std::chrono::milliseconds timeout) {
  std::unique_lock lock(finishedMutex);
  return finishedCv.wait_for(lock, timeout, [this] {
    return std::all_of(loops.begin(), loops.end(), [](const auto& loop) { return loop->finished.load(); });
  });
}

Server::Server(ServerOptions options, const Router& router) : state_(std::make_unique<State>()) {
  State& s = *state_;
  options.threads = std::max<std::size_t>(options.threads, 1);
  s.options = options;
  s.config.router = &router;
  s.config.limits = ParserLimits{options.maxHeaderBytes, options.maxBodyBytes};
  s.config.headerTimeout = options.headerTimeout;
  s.config.idleTimeout = options.idleTimeout;
  s.config.lingerTimeout = std::min(options.headerTimeout, std::chrono::milliseconds(2000));
  s.config.maxConnections = options.maxConnections;
  s.config.connectionCount = &s.connectionCount;
  if (router.hasWorkerRoutes() && options.blockingThreads > 0) {
    s.workers = std::make_unique<asio::thread_pool>(options.blockingThreads);
    s.config.workers = s.workers.get();
  }
  for (std::size_t i = 0; i < options.threads; ++i) s.loops.push_back(std::make_unique<Loop>(s.config));
}

Server::~Server() {
  stop();
}

Result<Endpoint> Server::listen(std::string_view host, std::uint16_t port) {
  State& s = *state_;
  if (s.started || s.stopped) return Status(Code::kInternal, "http: listen() must come before start()");
  boost::system::error_code ec;
  asio::ip::tcp::endpoint endpoint;
  const asio::ip::address address = asio::ip::make_address(host, ec);
  if (!ec) {
    endpoint = asio::ip::tcp::endpoint(address, port);
  } else {
    asio::ip::tcp::resolver resolver(s.loops[0]->ioc);
    const auto results = resolver.resolve(host, std::to_string(port), ec);
    if (ec || results.empty()) {
      return Status(Code::kInvalidArgument, "http: cannot resolve listen host '" + std::string(host) + "'");
    }
    endpoint = results.begin()->endpoint();
  }
  auto listener = std::make_unique<State::Listener>(s.loops[0]->ioc);
  asio::ip::tcp::acceptor& acceptor = listener->acceptor;
  const auto failed = [&](std::string_view what) {
    return Status(Code::kUnavailable, "http: cannot " + std::string(what) + " " + std::string(host) + ":" +
                                          std::to_string(port) + ": " + ec.message());
  };
  acceptor.open(endpoint.protocol(), ec);
  if (ec) return failed("open a socket for");
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return failed("set SO_REUSEADDR on");
  acceptor.bind(endpoint, ec);
  if (ec) return failed("bind");
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return failed("listen on");
  const asio::ip::tcp::endpoint bound = acceptor.local_endpoint(ec);
  if (ec) return failed("read the address of");
  s.listeners.push_back(std::move(listener));
  spdlog::info("http: listening on {}:{}", bound.address().to_string(), bound.port());
  return Endpoint{bound.address().to_string(), bound.port()};
}

void Server::start() {
  State& s = *state_;
  if (s.started || s.stopped) return;
  s.started = true;
  const auto shortest = std::min(s.options.headerTimeout, s.options.idleTimeout);
  const auto sweep = std::clamp<std::chrono::milliseconds>(shortest / 4, std::chrono::milliseconds(10),
                                                           std::chrono::milliseconds(1000));
  for (auto& loop : s.loops) loop->start(sweep);
  for (auto& listener : s.listeners) s.accept(*listener);
  for (auto& loopPtr : s.loops) {
    Loop* loop = loopPtr.get();
    loop->thread = std::thread([&s, loop] {
      for (;;) {
        try {
          loop->ioc.run();
          break;
        } catch (const std::exception& e) {
          // Nothing on the loop throws by design; keep serving if something does.
          spdlog::error("http: event loop caught an exception: {}", e.what());
        }
      }
      {
        std::lock_guard lock(s.finishedMutex);
        loop->finished = true;
      }
      s.finishedCv.notify_all();
    });
  }
}

void Server::stop() {
  State& s = *state_;
  if (s.stopped) return;
  s.stopped = true;
  if (s.started) {
    asio::post(s.loops[0]->ioc, [&s] {
      for (auto& listener : s.listeners) {
        boost::system::error_code ignored;
        listener->acceptor.close(ignored);
        listener->retryTimer.cancel();
      }
    });
    for (auto& loop : s.loops) asio::post(loop->ioc, [l = loop.get()] { l->beginShutdown(); });
    if (!s.waitForLoops(s.options.stopGrace)) {
      for (auto& loop : s.loops) asio::post(loop->ioc, [l = loop.get()] { l->closeAll(); });
      if (!s.waitForLoops(std::chrono::milliseconds(500))) {
        for (auto& loop : s.loops) loop->ioc.stop();
      }
    }
    for (auto& loop : s.loops) {
      if (loop->thread.joinable()) loop->thread.join();
    }
  }
  // From now on an answer to a parked request has no loop to go to.
  for (auto& loop : s.loops) loop->closeGate();
  // Handlers still running finish before the loops they answer to go away.
  if (s.workers) s.workers->join();
  // Destroying the io_contexts releases whatever handlers were left, and with them their connections.
  s.listeners.clear();
  s.loops.clear();
  spdlog::debug("http: server stopped");
}

std::size_t Server::connectionCount() const noexcept {
  return state_->connectionCount.load(std::memory_order_relaxed);
}

}  // namespace ls::http
