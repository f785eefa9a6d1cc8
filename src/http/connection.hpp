// Server internals: the per-thread event loop and the per-socket session.
// Not part of the http API; included by server.cpp and connection.cpp only.
//
// Ownership: a Loop owns its io_context and an intrusive list of the
// Connections living on it. A Connection is kept alive by the shared_ptr its
// pending asynchronous operation holds; every member is touched only on its
// loop's thread (it is created on the accepting loop, then handed over by
// post() before anything touches the list or the socket).
#pragma once

#include <atomic>
// g++ 12 reports -Wnull-dereference inside Asio's scheduler and executor code
// once it is inlined into ours (a false positive: those pointers are the
// running thread's context). The warning is judged at the header's lines, so
// it is silenced for Asio's headers only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/buffer.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#pragma GCC diagnostic pop
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http/request.hpp"
#include "http/request_parser.hpp"
#include "http/responder.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

namespace ls::http::detail {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

// Read-only after Server::start(); shared by every loop.
struct ServerConfig {
  const Router* router = nullptr;
  ParserLimits limits;
  std::chrono::milliseconds headerTimeout{10000};
  std::chrono::milliseconds idleTimeout{60000};
  std::chrono::milliseconds lingerTimeout{2000};
  std::size_t maxConnections = 10000;
  std::atomic<std::size_t>* connectionCount = nullptr;
  // Where Runs::kOnWorkers routes run; null (no such route, or no worker threads): inline.
  asio::thread_pool* workers = nullptr;
};

class Connection;

// Lets any thread post to a loop that may be gone: a Responder kept by some
// waiter can outlive the server. Server::stop() closes the gate (under the
// mutex) before the io_context is destroyed, after which posts are dropped.
struct PostGate {
  std::mutex mu;
  asio::io_context* ioc = nullptr;
};

struct Loop {
  explicit Loop(const ServerConfig& cfg);
  ~Loop();  // closes the gate before the io_context goes
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;
  void closeGate();
  void start(SteadyClock::duration sweepInterval);
  // On the loop thread: stop sweeping, close idle connections, let busy ones finish.
  void beginShutdown();
  // On the loop thread: close every connection now.
  void closeAll();

  const ServerConfig& config;
  // Declared before the io_context so it outlives it: connections destroyed
  // along with pending handlers unlink themselves from this list.
  Connection* connections = nullptr;
  bool stopping = false;
  std::string httpDate;  // IMF-fixdate, refreshed by the sweep; Date headers copy it
  long long httpDateSecond = -1;

  asio::io_context ioc{1};  // one thread runs it: Asio may skip its scheduler locking
  const std::shared_ptr<PostGate> gate = std::make_shared<PostGate>();
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  asio::steady_timer sweepTimer{ioc};
  SteadyClock::duration sweepInterval{std::chrono::seconds(1)};
  std::thread thread;
  std::atomic<bool> finished{false};

 private:
  void refreshDate();
  void armSweep();
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // Constructed on the accepting loop's thread; start() runs on `loop`'s thread.
  Connection(Loop& loop, asio::ip::tcp::socket socket);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start();
  void onShutdown();
  void checkDeadline(SteadyClock::time_point now);
  void close();

  Connection* prev = nullptr;  // Loop::connections list links
  Connection* next = nullptr;

 private:
  // kHandling: a worker thread runs the handler; the connection waits.
  // kParked: a deferred handler's Responder will answer (or the park timer).
  enum class Phase { kIdle, kReading, kHandling, kParked, kWriting, kLingering, kClosed };

  void readMore();
  void onRead(const boost::system::error_code& ec, std::size_t bytes);
  void process();
  void respond();
  void respondWith(Response response);
  void handOff(const Route& route);
  void park(const Route& route);
  void onParkedAnswer(std::uint64_t park, Response response);
  void onParkTimeout(std::uint64_t park);
  void awaitAnswer();
  void unpark();
  void fail(int status, std::string_view reason);
  void write(Response response, bool headRequest, bool lingerAfter);
  void onWritten(const boost::system::error_code& ec);
  void sendContinue();
  void startLinger();
  void lingerRead();
  void link();
  void unlink();

  Loop& loop_;
  asio::ip::tcp::socket socket_;
  Phase phase_ = Phase::kIdle;
  SteadyClock::time_point deadline_;
  bool linked_ = false;
  bool keepAlive_ = true;
  bool lingerAfterWrite_ = false;
  bool continueSent_ = false;
  std::size_t lingerBytes_ = 0;

  // Received bytes [begin_, end_) not yet consumed by the parser.
  std::vector<char> input_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;

  Request request_;
  RequestParser parser_;
  // The parked request, if any. parkSeq_ tells a stale timer or answer from
  // the current park (a keep-alive connection parks once per request).
  std::optional<Responder> parked_;
  const Route* parkedRoute_ = nullptr;
  std::uint64_t parkSeq_ = 0;
  std::optional<asio::steady_timer> parkTimer_;  // created at the first park that has to wait
  std::shared_ptr<Connection> awaitingAnswer_;     // self, while a claimed answer is being posted

  Response response_;  // kept until its bytes are written (shared bodies are written from it)
  std::string head_;   // serialized status line + headers of response_, capacity reused
};

}  // namespace ls::http::detail
