#include "media/server/rtmp/rtmp_session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "core/log_text.hpp"
#include "media/flv/tag_demuxer.hpp"

namespace ls::media_server {

namespace asio = boost::asio;
using Steady = std::chrono::steady_clock;

namespace {
constexpr auto kTick = std::chrono::seconds(1);
constexpr std::size_t kReadBufferBeforePublish = 4 * 1024;
constexpr std::size_t kReadBufferPublishing = 64 * 1024;
const std::string kProtocol = "rtmp";

// The query that carries the push token: OBS puts it in the stream name
// ("key?pushToken=..."), some encoders only in the tcUrl.
std::string credentialQuery(const rtmp::PublishRequest& request) {
  if (!ingest::extractPushToken(request.streamQuery).empty() || request.tcUrlQuery.empty()) return request.streamQuery;
  return request.tcUrlQuery;
}
}  // namespace

RtmpSession::RtmpSession(asio::ip::tcp::socket socket, RtmpSessionContext& context)
    : ctx_(context), socket_(std::move(socket)), timer_(socket_.get_executor()), connection_(*this, context.random) {
  boost::system::error_code ec;
  const auto remote = socket_.remote_endpoint(ec);
  peer_ = ec ? "unknown" : remote.address().to_string() + ":" + std::to_string(remote.port());
  address_ = ec ? "unknown" : remote.address().to_string();
  acceptedAt_ = lastMediaAt_ = Steady::now();
}

RtmpSession::~RtmpSession() = default;

const std::string& RtmpSession::protocol() const { return kProtocol; }

void RtmpSession::start() {
  ticket_ = ctx_.budget.admit(address_);
  if (!ticket_) {
    // Over the budget of connections not yet publishing: closed before a
    // byte is read, so a flood costs a descriptor for an instant.
    closed_ = true;
    boost::system::error_code ignored;
    socket_.close(ignored);
    return;
  }
  readBuffer_.resize(kReadBufferBeforePublish);
  boost::system::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  ctx_.sessions.track(shared_from_this());
  armTimer();
  readMore();
}

void RtmpSession::kick(std::string reason) {
  asio::post(socket_.get_executor(), [self = shared_from_this(), reason = std::move(reason)] { self->close(reason); });
}

void RtmpSession::readMore() {
  if (closed_) return;
  // Only here, with no read in flight, may the buffer move.
  if (publication_ && readBuffer_.size() < kReadBufferPublishing) readBuffer_.resize(kReadBufferPublishing);
  socket_.async_read_some(asio::buffer(readBuffer_),
                          [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                            self->onRead(ec, n);
                          });
}

void RtmpSession::onRead(const boost::system::error_code& ec, std::size_t n) {
  if (closed_) return;
  if (ec) {
    close(ec == asio::error::eof ? "publisher closed the connection" : "read failed: " + ec.message());
    return;
  }
  counters_.bytesIn.fetch_add(n, std::memory_order_relaxed);
  const Status fed = connection_.feed(std::span<const std::uint8_t>(readBuffer_.data(), n));
  // A peer that keeps asking for replies (pings, acknowledgements) while it
  // reads none makes the output grow even while a write is in flight.
  if (connection_.pendingOutput().size() > ctx_.options.maxPendingOutput) {
    close("peer does not read its replies");
    return;
  }
  if (ticket_ && !ticket_->hold(connection_.pendingInputBytes())) {
    close("connections not yet publishing hold too many bytes in half-received messages");
    return;
  }
  flush();
  if (!fed.isOk()) return;  // onError already asked for the close; the reason is logged there
  if (connection_.shouldClose() && !writing_) {
    close("publish refused");
    return;
  }
  readMore();
}

void RtmpSession::flush() {
  if (closed_ || writing_) return;
  const auto pending = connection_.pendingOutput();
  if (pending.empty()) {
    if (connection_.shouldClose()) close("publish refused");
    return;
  }
  // Copy out: the connection's buffer may grow while the write is in flight.
  writeBuffer_.assign(pending.begin(), pending.end());
  connection_.consumeOutput(pending.size());
  writing_ = true;
  asio::async_write(socket_, asio::buffer(writeBuffer_),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                      self->writing_ = false;
                      self->counters_.bytesOut.fetch_add(n, std::memory_order_relaxed);
                      if (ec) {
                        self->close("write failed: " + ec.message());
                        return;
                      }
                      self->flush();
                    });
}

void RtmpSession::armTimer() {
  timer_.expires_after(kTick);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->closed_) return;
    const auto now = Steady::now();
    const auto ms = [](Steady::duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
    const auto& options = self->ctx_.options;
    if (!self->publication_ && !self->decisionPending_ && ms(now - self->acceptedAt_) > options.handshakeTimeoutMs) {
      self->close("no publish within " + std::to_string(options.handshakeTimeoutMs / 1000) + " s");
      return;
    }
    if (self->publication_ && ms(now - self->lastMediaAt_) > options.idleTimeoutMs) {
      self->close("no media for " + std::to_string(options.idleTimeoutMs / 1000) + " s");
      return;
    }
    self->armTimer();
  });
}

void RtmpSession::close(const std::string& reason) {
  if (closed_) return;
  closed_ = true;
  if (publication_) {
    spdlog::info("rtmp {} stream {} closed: {}", peer_, publication_->grant().streamKey, logText(reason));
    publication_->end();
  } else {
    spdlog::debug("rtmp {} closed: {}", peer_, logText(reason));
  }
  boost::system::error_code ignored;
  timer_.cancel();
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  ticket_.reset();
  ctx_.sessions.untrack(this);
}

void RtmpSession::onPublishRequest(const rtmp::PublishRequest& request) {
  PublishAttempt attempt{kProtocol, request.app, request.streamName, credentialQuery(request), peer_};
  decisionPending_ = true;
  ctx_.manager.requestPublish(shared_from_this(), std::move(attempt), socket_.get_executor(),
                              [self = shared_from_this()](Result<std::unique_ptr<Publication>> decision) {
                                self->onDecision(std::move(decision));
                              });
}

void RtmpSession::onDecision(Result<std::unique_ptr<Publication>> decision) {
  decisionPending_ = false;
  // The publisher left while the decision was made: dropping the
  // publication ends it (ENDED is recorded).
  if (closed_) return;
  if (!decision.ok()) {
    connection_.rejectPublish(decision.status().code(), decision.status().message());
    flush();
    return;
  }
  publication_ = std::move(*decision);
  ticket_.reset();
  lastMediaAt_ = Steady::now();
  connection_.acceptPublish();
  flush();
}

void RtmpSession::onMetadata(const rtmp::StreamMetadata& metadata) {
  if (!publication_) return;
  // "kbit/s": FFmpeg writes bit_rate / 1024, OBS its setting in units of
  // 1000; counting 1024 never understates either. Anything absurd counts as
  // undeclared.
  const auto bits = [](const std::optional<double>& kbps) -> std::uint64_t {
    if (!kbps || !(*kbps > 0) || *kbps > 1e6) return 0;
    return static_cast<std::uint64_t>(*kbps * 1024.0);
  };
  publication_->declareRates({bits(metadata.videoDataRate), bits(metadata.audioDataRate)});
}

void RtmpSession::dropped(const char* kind, const Status& status) {
  if (counters_.rejectedFrames.fetch_add(1, std::memory_order_relaxed) < 5) {
    spdlog::warn("rtmp {} {} tag dropped: {}", peer_, kind, logText(status.message()));
  }
}

void RtmpSession::onVideo(std::int64_t timestampMs, std::span<const std::uint8_t> payload) {
  if (!publication_ || closed_) return;
  lastMediaAt_ = Steady::now();
  if (Status s = flv::demuxVideoTag(timestampMs, payload, publication_->sink()); !s.isOk()) dropped("video", s);
}

void RtmpSession::onAudio(std::int64_t timestampMs, std::span<const std::uint8_t> payload) {
  if (!publication_ || closed_) return;
  lastMediaAt_ = Steady::now();
  if (Status s = flv::demuxAudioTag(timestampMs, payload, publication_->sink()); !s.isOk()) dropped("audio", s);
}

void RtmpSession::onUnpublish() {
  if (publication_) publication_->end();
}

void RtmpSession::onError(const Status& status) {
  spdlog::info("rtmp {} protocol error: {}", peer_, logText(status.message()));
  // Flush what is queued (e.g. an onStatus), then close.
  asio::post(socket_.get_executor(), [self = shared_from_this(), message = status.message()] { self->close(message); });
}

}  // namespace ls::media_server
