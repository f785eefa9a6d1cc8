#include "media/server/rtmp_session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "media/hls/packager.hpp"

namespace ls::media_server {

namespace asio = boost::asio;
using Steady = std::chrono::steady_clock;

namespace {
constexpr std::size_t kMaxPendingWrite = 1 << 20;  // a peer that never reads its replies is dropped
constexpr auto kTick = std::chrono::seconds(1);
}  // namespace

RtmpSession::RtmpSession(asio::ip::tcp::socket socket, SessionContext& context)
    : ctx_(context),
      socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      connection_(*this, context.random) {
  boost::system::error_code ec;
  const auto remote = socket_.remote_endpoint(ec);
  peer_ = ec ? "unknown" : remote.address().to_string() + ":" + std::to_string(remote.port());
  acceptedAt_ = lastMediaAt_ = Steady::now();
}

RtmpSession::~RtmpSession() = default;

void RtmpSession::start() {
  socket_.set_option(asio::ip::tcp::no_delay(true));
  ctx_.publishers.track(shared_from_this());
  armTimer();
  readMore();
}

void RtmpSession::kick(std::string reason) {
  asio::post(socket_.get_executor(), [self = shared_from_this(), reason = std::move(reason)] { self->close(reason); });
}

void RtmpSession::readMore() {
  if (closed_) return;
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
  const Status fed = connection_.feed(std::span<const std::uint8_t>(readBuffer_.data(), n));
  flush();
  if (!fed.isOk()) {
    // onError already asked for the close; the reason is logged there.
    return;
  }
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
  if (pending.size() > kMaxPendingWrite) {
    close("peer does not read its replies");
    return;
  }
  // Copy out: the connection's buffer may grow while the write is in flight.
  writeBuffer_.assign(pending.begin(), pending.end());
  connection_.consumeOutput(pending.size());
  writing_ = true;
  asio::async_write(socket_, asio::buffer(writeBuffer_),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      self->writing_ = false;
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
    if (!self->connection_.publishing() && !self->grant_ &&
        ms(now - self->acceptedAt_) > self->ctx_.options.handshakeTimeoutMs) {
      self->close("no publish within " + std::to_string(self->ctx_.options.handshakeTimeoutMs / 1000) + " s");
      return;
    }
    if (self->connection_.publishing() && ms(now - self->lastMediaAt_) > self->ctx_.options.idleTimeoutMs) {
      self->close("no media for " + std::to_string(self->ctx_.options.idleTimeoutMs / 1000) + " s");
      return;
    }
    self->armTimer();
  });
}

void RtmpSession::close(const std::string& reason) {
  if (closed_) return;
  closed_ = true;
  if (grant_) {
    spdlog::info("rtmp {} stream {} closed: {}", peer_, grant_->streamKey, reason);
  } else {
    spdlog::debug("rtmp {} closed: {}", peer_, reason);
  }
  endPublish();
  boost::system::error_code ignored;
  timer_.cancel();
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  ctx_.publishers.untrack(this);
}

void RtmpSession::onPublishRequest(const rtmp::PublishRequest& request) {
  ingest::PublishRequest req;
  req.mediaServerId = ctx_.options.mediaServerId;
  req.app = request.app;
  req.streamKey = request.streamName;
  req.pushToken = ingest::extractPushToken(request.streamQuery, request.tcUrlQuery);
  req.remoteAddress = peer_;
  // The decision reads the database: it runs on the control thread, and its
  // answer comes back to this session's loop.
  asio::post(ctx_.control, [self = shared_from_this(), req = std::move(req)] {
    auto decision = self->ctx_.ingest.authorizePublish(req);
    asio::post(self->socket_.get_executor(),
               [self, decision = std::move(decision)]() mutable { self->onDecision(std::move(decision)); });
  });
}

void RtmpSession::onDecision(Result<ingest::PublishGrant> decision) {
  if (closed_) {
    // The publisher left while the decision was being made.
    if (decision.ok()) {
      asio::post(ctx_.control, [&ingest = ctx_.ingest, id = decision->livestreamId] { (void)ingest.onPublishEnded(id); });
    }
    return;
  }
  if (!decision.ok()) {
    spdlog::info("rtmp {} publish refused: {}", peer_, decision.status().message());
    connection_.rejectPublish(decision.status().code(), decision.status().message());
    flush();
    return;
  }
  if (!ctx_.publishers.claim(decision->streamKey, shared_from_this())) {
    // Only reachable if the store lost track of a live publisher.
    asio::post(ctx_.control, [&ingest = ctx_.ingest, id = decision->livestreamId] { (void)ingest.onPublishEnded(id); });
    connection_.rejectPublish(Code::kConflict, "stream is already being published");
    flush();
    return;
  }
  grant_ = std::move(*decision);
  lastMediaAt_ = Steady::now();
  startPipeline(*grant_);
  connection_.acceptPublish();
  flush();
  spdlog::info("rtmp {} publishing stream {}", peer_, grant_->streamKey);
}

void RtmpSession::startPipeline(const ingest::PublishGrant& grant) {
  source_ = std::make_unique<LiveSource>([this, grant](LiveSource& source, bool hasVideo, bool hasAudio) {
    auto stream = ctx_.hls.open(grant.streamKey);
    // Ladder renditions number their segments like the original (SPEC §5),
    // so they share this first media sequence number.
    const auto firstSequence = static_cast<std::uint64_t>(std::max<UnixMillis>(0, ctx_.clock.now()) / 1000);
    hls::PackagerOptions options;
    options.rendition = "original";
    options.hasVideo = hasVideo;
    options.hasAudio = hasAudio;
    options.segmenter.targetMs = ctx_.options.segmentTargetMs;
    options.firstMediaSequence = firstSequence;
    source.addSink(std::make_unique<hls::HlsPackager>(stream, ctx_.clock, options));

    // The ABR ladder: off per project (the grant) or per server (no hub),
    // and only for video above the smallest rung.
    const media::VideoConfig* video = hasVideo && source.videoConfig() ? &*source.videoConfig() : nullptr;
    if (!grant.abrEnabled || ctx_.abr == nullptr || !ctx_.abr->wants(video)) return;
    abr::TranscoderSetup setup;
    setup.streamKey = grant.streamKey;
    setup.livestreamId = grant.livestreamId;
    setup.stream = std::move(stream);
    setup.hasAudio = hasAudio;
    setup.segmentTargetMs = ctx_.options.segmentTargetMs;
    setup.firstMediaSequence = firstSequence;
    if (auto sink = ctx_.abr->start(std::move(setup))) source.addSink(std::move(sink));
  });
}

void RtmpSession::endPublish() {
  if (!grant_ || ended_) return;
  ended_ = true;
  if (source_) source_->end();
  ctx_.publishers.release(grant_->streamKey, this);
  asio::post(ctx_.control, [&ingest = ctx_.ingest, id = grant_->livestreamId] {
    if (Status s = ingest.onPublishEnded(id); !s.isOk()) spdlog::warn("could not record stream end: {}", s.message());
  });
}

void RtmpSession::onMetadata(const rtmp::StreamMetadata&) {}

void RtmpSession::onVideo(std::int64_t timestampMs, std::span<const std::uint8_t> payload) {
  if (!source_ || ended_) return;
  lastMediaAt_ = Steady::now();
  if (Status s = source_->pushVideoTag(timestampMs, payload); !s.isOk() && rejectedTagsLogged_++ < 5) {
    spdlog::warn("rtmp {} video tag dropped: {}", peer_, s.message());
  }
}

void RtmpSession::onAudio(std::int64_t timestampMs, std::span<const std::uint8_t> payload) {
  if (!source_ || ended_) return;
  lastMediaAt_ = Steady::now();
  if (Status s = source_->pushAudioTag(timestampMs, payload); !s.isOk() && rejectedTagsLogged_++ < 5) {
    spdlog::warn("rtmp {} audio tag dropped: {}", peer_, s.message());
  }
}

void RtmpSession::onUnpublish() { endPublish(); }

void RtmpSession::onError(const Status& status) {
  spdlog::info("rtmp {} protocol error: {}", peer_, status.message());
  // Flush what is queued (e.g. an onStatus), then close.
  asio::post(socket_.get_executor(), [self = shared_from_this(), message = status.message()] { self->close(message); });
}

}  // namespace ls::media_server
