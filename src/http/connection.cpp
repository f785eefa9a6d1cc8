#include "http/connection.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "core/log_text.hpp"
#include "http/response_head.hpp"

namespace ls::http::detail {
namespace {

constexpr std::size_t kInitialInputBytes = 4096;
// Discarded after an error response before closing, so the client reads our
// answer instead of a reset (the nginx "lingering close").
constexpr std::size_t kMaxLingerBytes = 1024 * 1024;
constexpr std::string_view kContinueLine = "HTTP/1.1 100 Continue\r\n\r\n";

std::string peerAddress(const asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  const asio::ip::tcp::endpoint peer = socket.remote_endpoint(ec);
  if (ec) return {};
  asio::ip::address address = peer.address();
  // A dual-stack "::" listener sees IPv4 peers as ::ffff:a.b.c.d; rate limits and logs want a.b.c.d.
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  return address.to_string();
}

}  // namespace

Connection::Connection(Loop& loop, asio::ip::tcp::socket socket)
    : loop_(loop), socket_(std::move(socket)), parser_(loop.config.limits) {
  loop_.config.connectionCount->fetch_add(1, std::memory_order_relaxed);
}

Connection::~Connection() {
  if (parked_) parked_->cancel();  // destroyed with its loop while parked: tell the waiters
  unlink();
  loop_.config.connectionCount->fetch_sub(1, std::memory_order_relaxed);
}

void Connection::link() {
  next = loop_.connections;
  if (next != nullptr) next->prev = this;
  loop_.connections = this;
  linked_ = true;
}

void Connection::unlink() {
  if (!linked_) return;
  if (prev != nullptr) prev->next = next;
  if (next != nullptr) next->prev = prev;
  if (loop_.connections == this) loop_.connections = next;
  prev = next = nullptr;
  linked_ = false;
}

void Connection::start() {
  link();
  if (loop_.stopping) return close();
  boost::system::error_code ec;
  // Responses go out as one gather write; Nagle would only delay the tail of pipelined answers.
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  request_.setRemoteAddress(peerAddress(socket_));
  parser_.reset(request_);
  input_.resize(kInitialInputBytes);
  deadline_ = SteadyClock::now() + loop_.config.idleTimeout;
  readMore();
}

void Connection::close() {
  if (phase_ == Phase::kClosed) return;
  unpark();  // whoever holds the responder learns that nobody waits any more
  phase_ = Phase::kClosed;
  boost::system::error_code ec;
  socket_.close(ec);  // pending operations complete with operation_aborted and drop their reference
}

void Connection::onShutdown() {
  // Requests still arriving are dropped (their client retries elsewhere), and
  // so are parked ones (they may wait seconds more); a response being handled
  // or written is allowed to finish, then the connection closes.
  if (phase_ != Phase::kWriting && phase_ != Phase::kHandling) return close();
  keepAlive_ = false;
}

void Connection::checkDeadline(SteadyClock::time_point now) {
  if (phase_ != Phase::kClosed && now >= deadline_) {
    if (phase_ == Phase::kReading) spdlog::debug("http: {} timed out reading a request", request_.remoteAddress());
    close();
  }
}

void Connection::readMore() {
  if (begin_ > 0) {  // keep the unconsumed bytes at the front: Beast needs the header contiguous
    std::memmove(input_.data(), input_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == input_.size()) {
    // The parser already refuses a header over the limit; this bounds chunk lines and trailers.
    const std::size_t cap = loop_.config.limits.maxHeaderBytes + kInitialInputBytes;
    if (input_.size() >= cap) return fail(parser_.headerDone() ? 400 : 431, "request line or field too long");
    input_.resize(std::min(cap, input_.size() * 2));
  }
  auto self = shared_from_this();
  socket_.async_read_some(asio::buffer(input_.data() + end_, input_.size() - end_),
                          [self](const boost::system::error_code& ec, std::size_t bytes) { self->onRead(ec, bytes); });
}

void Connection::onRead(const boost::system::error_code& ec, std::size_t bytes) {
  if (phase_ == Phase::kClosed) return;
  if (ec) {
    // EOF between requests is the normal end of keep-alive; mid-request there is nobody to answer.
    if (ec != asio::error::eof && ec != asio::error::operation_aborted) {
      spdlog::debug("http: read from {} failed: {}", request_.remoteAddress(), ec.message());
    }
    return close();
  }
  end_ += bytes;
  if (parser_.headerDone()) deadline_ = SteadyClock::now() + loop_.config.headerTimeout;  // body: progress resets
  process();
}

void Connection::process() {
  if (phase_ == Phase::kIdle && end_ > begin_) {
    phase_ = Phase::kReading;
    deadline_ = SteadyClock::now() + loop_.config.headerTimeout;
  }
  const std::size_t consumed = parser_.feed(std::string_view(input_.data() + begin_, end_ - begin_));
  begin_ += consumed;
  if (begin_ == end_) begin_ = end_ = 0;
  switch (parser_.state()) {
    case RequestParser::State::kComplete: return respond();
    case RequestParser::State::kError: return fail(parser_.errorStatus(), parser_.errorReason());
    case RequestParser::State::kNeedMore:
      if (parser_.expectsContinue() && !continueSent_ && request_.version() >= 11) return sendContinue();
      return readMore();
  }
}

void Connection::sendContinue() {
  continueSent_ = true;
  auto self = shared_from_this();
  asio::async_write(socket_, asio::buffer(kContinueLine.data(), kContinueLine.size()),
                    [self](const boost::system::error_code& ec, std::size_t) {
                      if (self->phase_ == Phase::kClosed) return;
                      if (ec) return self->close();
                      self->readMore();
                    });
}

void Connection::respond() {
  keepAlive_ = keepAlive_ && parser_.keepAlive() && !loop_.stopping;
  const Router& router = *loop_.config.router;
  const Route* route = router.find(request_.method(), request_);
  if (route == nullptr) return respondWith(router.unrouted(request_));
  if (route->deferred) return park(*route);
  if (route->runs == Runs::kOnWorkers && loop_.config.workers != nullptr) return handOff(*route);
  respondWith(Router::invoke(route->handler, request_));
}

void Connection::handOff(const Route& route) {
  // The worker owns request_ until its answer is posted back; this loop reads
  // nothing more from the socket meanwhile, so nobody else touches it.
  phase_ = Phase::kHandling;
  deadline_ = SteadyClock::time_point::max();
  auto self = shared_from_this();
  asio::post(*loop_.config.workers, [self, &route] {
    Response response = Router::invoke(route.handler, self->request_);
    asio::post(self->socket_.get_executor(), [self, response = std::move(response)]() mutable {
      if (self->phase_ == Phase::kClosed) return;
      self->respondWith(std::move(response));
    });
  });
}

void Connection::park(const Route& route) {
  // Like kHandling, nothing more is read from the socket meanwhile, so
  // request_ stays as the handler saw it for the timeout answer.
  phase_ = Phase::kParked;
  deadline_ = SteadyClock::time_point::max();  // the park timer bounds the wait, not the sweep
  const std::uint64_t park = ++parkSeq_;
  parkedRoute_ = &route;
  // The answer may come from any thread. It carries only a weak pointer, so
  // no other thread ever owns (or destroys) the connection; the gate keeps
  // it from posting to a loop that is gone.
  parked_.emplace([gate = loop_.gate, weak = weak_from_this(), park](Response response) {
    std::lock_guard lock(gate->mu);
    if (gate->ioc == nullptr) return;
    asio::post(*gate->ioc, [weak, park, response = std::move(response)]() mutable {
      if (auto self = weak.lock()) self->onParkedAnswer(park, std::move(response));
    });
  });
  Router::invokeDeferred(route, request_, *parked_);
  if (parked_ && !parked_->pending()) return awaitAnswer();  // answered at once
  if (!parkTimer_) parkTimer_.emplace(socket_.get_executor());
  parkTimer_->expires_after(route.deferral.maxWait);
  // The timer's handler is what keeps the connection alive while it waits.
  parkTimer_->async_wait([self = shared_from_this(), park](const boost::system::error_code& ec) {
    if (!ec) self->onParkTimeout(park);
  });
}

void Connection::awaitAnswer() {
  // An answer claimed the request and is being posted here with a weak
  // pointer: hold the connection until it lands (onParkedAnswer) or closes.
  awaitingAnswer_ = shared_from_this();
}

void Connection::onParkedAnswer(std::uint64_t park, Response response) {
  if (phase_ != Phase::kParked || park != parkSeq_) return;
  awaitingAnswer_.reset();  // our caller holds a reference too
  unpark();
  respondWith(std::move(response));
}

void Connection::onParkTimeout(std::uint64_t park) {
  if (phase_ != Phase::kParked || park != parkSeq_ || !parked_) return;
  // Lost to an answer claimed just now: let that one through.
  if (!parked_->cancel()) return awaitAnswer();
  const Route* route = parkedRoute_;
  unpark();
  respondWith(Router::invoke(route->deferral.onTimeout, request_));
}

void Connection::unpark() {
  if (parked_) parked_->cancel();
  parked_.reset();
  parkedRoute_ = nullptr;
  if (parkTimer_) parkTimer_->cancel();
  // Closed while an answer was on its way. Released from a handler of its
  // own, since close() may be running inside a loop walking the connection list.
  if (awaitingAnswer_) asio::post(socket_.get_executor(), [hold = std::move(awaitingAnswer_)] {});
}

void Connection::respondWith(Response response) {
  if (spdlog::should_log(spdlog::level::debug)) {
    spdlog::debug("http: {} {} {} -> {} ({} bytes)", request_.remoteAddress(), logText(request_.methodName()),
                  logText(request_.target()),
                  response.status, response.bodySize());
  }
  write(std::move(response), request_.method() == Method::kHead, false);
}

void Connection::fail(int status, std::string_view reason) {
  // Hostile or broken clients can produce these at will: debug, not warn, so they cannot flood the log.
  spdlog::debug("http: {} sent a bad request: {} ({})", request_.remoteAddress(), logText(reason), status);
  keepAlive_ = false;
  std::string message(reason);
  if (!message.empty()) message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(message[0])));
  write(errorResponse(status, message), false, true);
}

void Connection::write(Response response, bool headRequest, bool lingerAfter) {
  response_ = std::move(response);
  lingerAfterWrite_ = lingerAfter;
  head_.clear();
  HeadContext context;
  context.keepAlive = keepAlive_;
  context.requestVersion = request_.version();
  context.headRequest = headRequest;
  context.httpDate = loop_.httpDate;
  const HeadResult head = appendResponseHead(response_, context, head_);
  if (head.droppedHeaders > 0) {
    spdlog::warn("http: dropped {} invalid or server-owned header(s) from the response to {} {}", head.droppedHeaders,
                 logText(request_.methodName()), logText(request_.path()));
  }
  const std::span<const std::uint8_t> body = response_.bodyBytes().first(head.bodyBytesToSend);
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(head_.data(), head_.size()),
                                                  asio::buffer(body.data(), body.size())};
  phase_ = Phase::kWriting;
  deadline_ = SteadyClock::now() + loop_.config.idleTimeout;
  auto self = shared_from_this();
  asio::async_write(socket_, buffers,
                    [self](const boost::system::error_code& ec, std::size_t) { self->onWritten(ec); });
}

void Connection::onWritten(const boost::system::error_code& ec) {
  if (phase_ == Phase::kClosed) return;
  // Release the body now: a shared HLS segment must not stay pinned by an idle connection.
  response_.sharedOwner.reset();
  response_.sharedBody = {};
  if (ec) return close();
  if (lingerAfterWrite_) return startLinger();
  if (!keepAlive_) {
    boost::system::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    return close();
  }
  phase_ = Phase::kIdle;
  continueSent_ = false;
  parser_.reset(request_);
  deadline_ = SteadyClock::now() + loop_.config.idleTimeout;
  if (end_ > begin_) return process();  // a pipelined request is already buffered
  readMore();
}

void Connection::startLinger() {
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  phase_ = Phase::kLingering;
  deadline_ = SteadyClock::now() + loop_.config.lingerTimeout;
  lingerBytes_ = 0;
  begin_ = end_ = 0;
  lingerRead();
}

void Connection::lingerRead() {
  auto self = shared_from_this();
  socket_.async_read_some(asio::buffer(input_.data(), input_.size()),
                          [self](const boost::system::error_code& ec, std::size_t bytes) {
                            if (self->phase_ == Phase::kClosed) return;
                            self->lingerBytes_ += bytes;
                            if (ec || self->lingerBytes_ > kMaxLingerBytes) return self->close();
                            self->lingerRead();
                          });
}

}  // namespace ls::http::detail
