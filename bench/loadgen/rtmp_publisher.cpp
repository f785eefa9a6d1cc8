#include "loadgen/rtmp_publisher.hpp"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <cstring>

#include "media/flv/flv_file.hpp"
#include "media/rtmp/amf0.hpp"
#include "media/rtmp/handshake.hpp"
#include "media/rtmp/messages.hpp"

namespace ls::loadgen {

namespace asio = boost::asio;
namespace amf0 = rtmp::amf0;

namespace {

// Chunk stream ids as FFmpeg's RTMP muxer uses them (libavformat/rtmppkt.h).
constexpr std::uint32_t kCsidControl = 2;
constexpr std::uint32_t kCsidCommand = 3;
constexpr std::uint32_t kCsidAudio = 4;
constexpr std::uint32_t kCsidData = 5;
constexpr std::uint32_t kCsidVideo = 6;
constexpr std::uint32_t kCsidPublish = 8;

constexpr double kTxConnect = 1;
constexpr double kTxCreateStream = 4;
constexpr double kTxPublish = 5;
constexpr std::size_t kHandshakeReply = 1 + 2 * rtmp::kHandshakeBlockSize;  // S0 + S1 + S2
constexpr std::size_t kMaxKeyframeLog = 100'000;

std::int64_t msBetween(TimePoint a, TimePoint b) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
}

}  // namespace

const char* toString(PublisherState state) {
  switch (state) {
    case PublisherState::kIdle: return "idle";
    case PublisherState::kConnecting: return "connecting";
    case PublisherState::kHandshake: return "handshake";
    case PublisherState::kCommands: return "commands";
    case PublisherState::kPublishing: return "publishing";
    case PublisherState::kRefused: return "refused";
    case PublisherState::kFailed: return "failed";
    case PublisherState::kStopped: return "stopped";
  }
  return "unknown";
}

RtmpPublisher::RtmpPublisher(asio::io_context& io, const FlvMedia& media, PublisherOptions options)
    : media_(media), options_(std::move(options)), socket_(io) {}

std::int64_t RtmpPublisher::publishedMs(TimePoint now) const {
  if (stats_.publishStartAt == TimePoint{}) return 0;
  const TimePoint end = stats_.endedAt == TimePoint{} ? now : stats_.endedAt;
  return msBetween(stats_.publishStartAt, end);
}

void RtmpPublisher::start(TimePoint now) {
  stats_.state = PublisherState::kConnecting;
  stats_.connectAt = now;
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options_.url.host == "localhost" ? "127.0.0.1" : options_.url.host, ec);
  if (ec) {
    fail("bad address " + options_.url.host, false);
    return;
  }
  socket_.async_connect(asio::ip::tcp::endpoint(address, options_.url.port),
                        [self = shared_from_this()](const boost::system::error_code& error) {
                          if (self->stats_.state != PublisherState::kConnecting) return;
                          if (error) {
                            self->fail("connect: " + error.message(), false);
                            return;
                          }
                          boost::system::error_code ignored;
                          self->socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
                          self->stats_.state = PublisherState::kHandshake;
                          // C0 (version 3) + C1: time, four zero bytes (plain handshake), filler.
                          self->out_.assign(1 + rtmp::kHandshakeBlockSize, 0);
                          self->out_[0] = rtmp::kRtmpVersion;
                          for (std::size_t i = 9; i < self->out_.size(); ++i) {
                            self->out_[i] = static_cast<std::uint8_t>((i * 2654435761u) >> 13);
                          }
                          self->flush();
                          self->readMore();
                        });
}

void RtmpPublisher::readMore() {
  socket_.async_read_some(
      asio::buffer(readBuffer_), [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
        const PublisherState s = self->stats_.state;
        if (s == PublisherState::kStopped || s == PublisherState::kFailed || s == PublisherState::kRefused) {
          return;
        }
        if (ec) {
          self->fail(ec == asio::error::eof ? "server closed the connection" : "read: " + ec.message(),
                     s == PublisherState::kPublishing);
          return;
        }
        self->onRead(n);
      });
}

void RtmpPublisher::onRead(std::size_t n) {
  const std::span<const std::uint8_t> in(readBuffer_.data(), n);
  if (stats_.state == PublisherState::kHandshake) {
    onHandshakeBytes(in);
  } else {
    onChunkBytes(in);
  }
  const PublisherState s = stats_.state;
  if (s != PublisherState::kFailed && s != PublisherState::kRefused && s != PublisherState::kStopped) readMore();
}

void RtmpPublisher::onHandshakeBytes(std::span<const std::uint8_t> in) {
  const std::size_t take = std::min(in.size(), kHandshakeReply - handshake_.size());
  handshake_.insert(handshake_.end(), in.begin(), in.begin() + static_cast<std::ptrdiff_t>(take));
  if (handshake_.size() < kHandshakeReply) return;
  if (handshake_[0] != rtmp::kRtmpVersion) {
    fail("handshake: server version " + std::to_string(handshake_[0]), false);
    return;
  }
  // C2 echoes S1 (spec 5.2.4); S2 is not checked, as most clients do not.
  out_.insert(out_.end(), handshake_.begin() + 1, handshake_.begin() + 1 + rtmp::kHandshakeBlockSize);
  stats_.state = PublisherState::kCommands;

  scratch_.clear();
  rtmp::buildSetChunkSize(scratch_, options_.chunkSize);
  encoder_.write({kCsidControl, rtmp::message_type::kSetChunkSize, 0, 0}, scratch_, out_);
  encoder_.setChunkSize(options_.chunkSize);

  std::vector<std::uint8_t> connect;
  amf0::writeString(connect, "connect");
  amf0::writeNumber(connect, kTxConnect);
  amf0::writeObjectStart(connect);
  amf0::writeKey(connect, "app");
  amf0::writeString(connect, options_.url.app);
  amf0::writeKey(connect, "type");
  amf0::writeString(connect, "nonprivate");
  amf0::writeKey(connect, "flashVer");
  amf0::writeString(connect, "FMLE/3.0 (compatible; lunarstream-loadgen)");
  amf0::writeKey(connect, "tcUrl");
  amf0::writeString(connect, options_.url.tcUrl);
  amf0::writeObjectEnd(connect);
  sendCommand(kCsidCommand, 0, connect);
  onChunkBytes(in.subspan(take));
}

void RtmpPublisher::onChunkBytes(std::span<const std::uint8_t> in) {
  while (!in.empty()) {
    auto step = decoder_.decode(in);
    if (!step.ok()) {
      fail("chunk stream from server: " + step.status().message(), publishing());
      return;
    }
    in = in.subspan(step->consumed);
    if (step->message) onMessage(*step->message);
    if (stats_.state == PublisherState::kFailed || stats_.state == PublisherState::kRefused) return;
  }
}

void RtmpPublisher::onMessage(const rtmp::ChunkMessage& message) {
  switch (message.typeId) {
    case rtmp::message_type::kCommandAmf0: onCommand(message.payload, false); break;
    case rtmp::message_type::kCommandAmf3: onCommand(message.payload, true); break;
    case rtmp::message_type::kUserControl: {
      // nginx-rtmp pings idle-looking peers and drops those that do not answer.
      auto uc = rtmp::parseUserControl(message.payload);
      if (uc.ok() && uc->event == rtmp::UserControlEvent::kPingRequest) {
        scratch_.clear();
        rtmp::buildUserControl(scratch_, rtmp::UserControlEvent::kPingResponse, uc->value);
        encoder_.write({kCsidControl, rtmp::message_type::kUserControl, 0, 0}, scratch_, out_);
        flush();
      }
      break;
    }
    default: break;  // Window Ack Size, Set Peer Bandwidth, Set Chunk Size (applied by the decoder)
  }
}

void RtmpPublisher::onCommand(std::span<const std::uint8_t> payload, bool amf3) {
  auto command = rtmp::parseCommand(payload, amf3);
  if (!command.ok()) {
    fail("bad command from server: " + command.status().message(), publishing());
    return;
  }
  const std::string& name = command->name;
  const amf0::Value* info = command->arguments.empty() ? nullptr : &command->arguments[0];
  if (name == "_result" && command->transactionId == kTxConnect) {
    // FFmpeg's order after connect succeeds.
    for (const auto& [verb, tx] : {std::pair{"releaseStream", 2.0}, std::pair{"FCPublish", 3.0}}) {
      std::vector<std::uint8_t> p;
      amf0::writeString(p, verb);
      amf0::writeNumber(p, tx);
      amf0::writeNull(p);
      amf0::writeString(p, options_.url.streamName);
      sendCommand(kCsidCommand, 0, p);
    }
    std::vector<std::uint8_t> p;
    amf0::writeString(p, "createStream");
    amf0::writeNumber(p, kTxCreateStream);
    amf0::writeNull(p);
    sendCommand(kCsidCommand, 0, p);
  } else if (name == "_result" && command->transactionId == kTxCreateStream) {
    streamId_ = info != nullptr && info->isNumber() ? static_cast<std::uint32_t>(info->asNumber()) : 1;
    std::vector<std::uint8_t> p;
    amf0::writeString(p, "publish");
    amf0::writeNumber(p, kTxPublish);
    amf0::writeNull(p);
    amf0::writeString(p, options_.url.streamName);
    amf0::writeString(p, "live");
    sendCommand(kCsidPublish, streamId_, p);
    stats_.publishSentAt = SteadyClock::now();
  } else if (name == "onStatus" && info != nullptr) {
    const std::string code(info->findString("code").value_or(""));
    const std::string level(info->findString("level").value_or(""));
    if (code == rtmp::status_code::kPublishStart && stats_.state == PublisherState::kCommands) {
      startMedia();
    } else if (level == "error") {
      stats_.state = PublisherState::kRefused;
      stats_.error = code + ": " + std::string(info->findString("description").value_or(""));
      stats_.endedAt = SteadyClock::now();
      boost::system::error_code ignored;
      socket_.close(ignored);
    }
  } else if (name == "_error") {
    stats_.state = PublisherState::kRefused;
    stats_.error = "_error: " + std::string(info != nullptr ? info->findString("description").value_or("") : "");
    stats_.endedAt = SteadyClock::now();
    boost::system::error_code ignored;
    socket_.close(ignored);
  }
}

void RtmpPublisher::sendCommand(std::uint32_t csid, std::uint32_t streamId, const std::vector<std::uint8_t>& payload) {
  encoder_.write({csid, rtmp::message_type::kCommandAmf0, 0, streamId}, payload, out_);
  flush();
}

void RtmpPublisher::startMedia() {
  stats_.state = PublisherState::kPublishing;
  stats_.publishStartAt = SteadyClock::now();
  const auto meta = media_.metadata();
  if (!meta.empty()) {
    // "@setDataFrame" + the file's onMetaData, as FFmpeg's FLV-over-RTMP writer sends it.
    scratch_.clear();
    amf0::writeString(scratch_, "@setDataFrame");
    scratch_.insert(scratch_.end(), meta.begin(), meta.end());
    encoder_.write({kCsidData, rtmp::message_type::kDataAmf0, 0, streamId_}, scratch_, out_);
  }
  for (const MediaTag& h : media_.sequenceHeaders()) appendTag(h.type, 0, media_.body(h));
  appendDueTags(0);
  flush();
}

void RtmpPublisher::appendTag(std::uint8_t type, std::uint32_t timestamp, std::span<const std::uint8_t> body) {
  const bool video = type == flv::kTagTypeVideo;
  encoder_.write({video ? kCsidVideo : kCsidAudio, video ? rtmp::message_type::kVideo : rtmp::message_type::kAudio,
                  timestamp, streamId_},
                 body, out_);
}

void RtmpPublisher::appendDueTags(std::int64_t elapsedMs) {
  const auto& tags = media_.tags();
  while (out_.size() < options_.maxBacklogBytes) {
    const MediaTag& tag = tags[cursor_];
    const std::int64_t at = tag.timeMs + loopOffsetMs_;
    if (at > elapsedMs) break;
    appendTag(tag.type, static_cast<std::uint32_t>(at), media_.body(tag));
    if (outFirstMs_ < 0) outFirstMs_ = at;
    outLastMs_ = at;
    ++outTags_;
    if (tag.keyframe && options_.logKeyframes) outKeyframes_.push_back(at);
    if (++cursor_ == tags.size()) {
      cursor_ = 0;
      loopOffsetMs_ += media_.loopDurationMs();
    }
  }
}

void RtmpPublisher::onTick(TimePoint now) {
  if (stats_.state != PublisherState::kPublishing) return;
  const std::int64_t elapsedMs = msBetween(stats_.publishStartAt, now);
  appendDueTags(elapsedMs);
  flush();
  // The oldest tag that is due but not yet in the kernel says how far behind we are.
  std::int64_t oldest = inflightFirstMs_ >= 0 ? inflightFirstMs_ : outFirstMs_;
  if (oldest < 0) {
    const MediaTag& next = media_.tags()[cursor_];
    if (next.timeMs + loopOffsetMs_ <= elapsedMs) oldest = next.timeMs + loopOffsetMs_;
  }
  if (oldest >= 0) stats_.maxLagMs = std::max(stats_.maxLagMs, elapsedMs - oldest);
}

void RtmpPublisher::flush() {
  if (writing_ || out_.empty() || !socket_.is_open()) return;
  std::swap(out_, inflight_);
  out_.clear();
  std::swap(outKeyframes_, inflightKeyframes_);
  outKeyframes_.clear();
  inflightFirstMs_ = outFirstMs_;
  inflightLastMs_ = outLastMs_;
  inflightTags_ = outTags_;
  outFirstMs_ = outLastMs_ = -1;
  outTags_ = 0;
  writing_ = true;
  asio::async_write(
      socket_, asio::buffer(inflight_),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
        self->writing_ = false;
        const PublisherState s = self->stats_.state;
        if (s == PublisherState::kStopped || s == PublisherState::kFailed || s == PublisherState::kRefused) {
          return;
        }
        if (ec) {
          self->fail("write: " + ec.message(), s == PublisherState::kPublishing);
          return;
        }
        PublisherStats& st = self->stats_;
        st.bytesWritten += n;
        st.tagsWritten += self->inflightTags_;
        if (self->inflightLastMs_ >= 0) st.mediaMsWritten = self->inflightLastMs_;
        const TimePoint now = SteadyClock::now();
        for (std::int64_t ms : self->inflightKeyframes_) {
          if (st.keyframes.size() < kMaxKeyframeLog) st.keyframes.push_back({ms, now});
        }
        if (!self->inflightKeyframes_.empty() && self->keyframeListener_) self->keyframeListener_();
        self->inflightFirstMs_ = self->inflightLastMs_ = -1;
        self->flush();
      });
}

void RtmpPublisher::fail(std::string reason, bool disconnected) {
  stats_.state = PublisherState::kFailed;
  stats_.error = std::move(reason);
  stats_.disconnected = disconnected;
  stats_.endedAt = SteadyClock::now();
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void RtmpPublisher::stop(TimePoint now) {
  const PublisherState s = stats_.state;
  if (s == PublisherState::kFailed || s == PublisherState::kRefused || s == PublisherState::kStopped) return;
  stats_.state = PublisherState::kStopped;
  stats_.endedAt = now;
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace ls::loadgen
