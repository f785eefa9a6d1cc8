#include "media/rtmp/server_connection.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

#include "media/rtmp/byte_io.hpp"
#include "media/rtmp/status_map.hpp"

namespace ls::rtmp {
namespace {

// Chunk streams of the server's messages, as FMS-compatible servers use them.
constexpr std::uint32_t kControlChunkStream = 2;  // protocol control (spec 5.4: csid 2, stream 0)
constexpr std::uint32_t kCommandChunkStream = 3;  // NetConnection commands
constexpr std::uint32_t kStatusChunkStream = 5;   // NetStream onStatus
constexpr std::uint8_t kPeerBandwidthDynamic = 2;

// Splits "name?query" at the first '?'.
std::pair<std::string, std::string> splitQuery(std::string_view text) {
  const std::size_t q = text.find('?');
  if (q == std::string_view::npos) return {std::string(text), std::string()};
  return {std::string(text.substr(0, q)), std::string(text.substr(q + 1))};
}

}  // namespace

ServerConnection::ServerConnection(ServerConnectionObserver& observer, Random& random, ServerConnectionConfig config)
    : observer_(observer), config_(config), handshake_(random), decoder_(config.chunkLimits) {
  decoder_.setMaxMessageSize(std::min(config_.maxMessageSizeBeforePublish, config_.chunkLimits.maxMessageSize));
}

Status ServerConnection::fail(Status status) {
  state_ = State::kFailed;
  failure_ = status;
  observer_.onError(failure_);
  return status;
}

std::span<const std::uint8_t> ServerConnection::pendingOutput() const noexcept {
  return std::span<const std::uint8_t>(output_).subspan(outputStart_);
}

void ServerConnection::consumeOutput(std::size_t n) noexcept {
  outputStart_ += std::min(n, output_.size() - outputStart_);
  if (outputStart_ == output_.size()) {
    output_.clear();  // keeps the capacity
    outputStart_ = 0;
  }
}

void ServerConnection::send(std::uint32_t chunkStreamId, std::uint8_t typeId, std::uint32_t messageStreamId) {
  if (outputStart_ > 0 && outputStart_ >= output_.size() / 2) {
    output_.erase(output_.begin(), output_.begin() + static_cast<std::ptrdiff_t>(outputStart_));
    outputStart_ = 0;
  }
  encoder_.write(OutboundHeader{chunkStreamId, typeId, 0, messageStreamId}, scratch_, output_);
  scratch_.clear();
}

Status ServerConnection::feed(std::span<const std::uint8_t> bytes) {
  if (state_ == State::kFailed) return failure_;
  while (!bytes.empty() && state_ != State::kClosing && state_ != State::kFailed) {
    if (state_ == State::kHandshake) {
      Result<std::size_t> used = handshake_.feed(bytes, output_);
      if (!used.ok()) return fail(used.status());
      bytes = bytes.subspan(*used);
      bytesReceived_ += *used;
      if (handshake_.done()) state_ = State::kAwaitConnect;
      continue;
    }
    Result<ChunkDecodeStep> step = decoder_.decode(bytes);
    if (!step.ok()) return fail(step.status());
    bytes = bytes.subspan(step->consumed);
    bytesReceived_ += step->consumed;
    maybeAcknowledge();
    if (step->message) {
      if (Status st = handleMessage(*step->message); !st.isOk()) return fail(std::move(st));
    }
  }
  return state_ == State::kFailed ? failure_ : Status::ok();
}

void ServerConnection::maybeAcknowledge() {
  // Spec 5.4.3: acknowledge after receiving a window's worth of bytes.
  if (peerWindow_ == 0 || bytesReceived_ - lastAckAt_ < peerWindow_) return;
  lastAckAt_ = bytesReceived_;
  buildAcknowledgement(scratch_, static_cast<std::uint32_t>(bytesReceived_));
  send(kControlChunkStream, message_type::kAcknowledgement, 0);
}

std::int64_t ServerConnection::unwrapTimestamp(std::uint32_t timestamp) {
  // One timeline for audio and video, so both stay comparable across the
  // 32-bit wrap (every 49.7 days); each step is taken as the shortest signed
  // distance from the previous timestamp.
  if (!haveTimestamp_) {
    haveTimestamp_ = true;
    lastTimestamp_ = timestamp;
  } else {
    lastTimestamp_ += static_cast<std::int32_t>(timestamp - static_cast<std::uint32_t>(lastTimestamp_));
  }
  return lastTimestamp_;
}

Status ServerConnection::handleMessage(const ChunkMessage& message) {
  switch (message.typeId) {
    case message_type::kWindowAckSize:
      if (Result<std::uint32_t> size = parseUint32Payload(message.payload); size.ok()) peerWindow_ = *size;
      return Status::ok();
    case message_type::kUserControl:
      if (Result<UserControl> uc = parseUserControl(message.payload);
          uc.ok() && uc->event == UserControlEvent::kPingRequest) {
        buildUserControl(scratch_, UserControlEvent::kPingResponse, uc->value);
        send(kControlChunkStream, message_type::kUserControl, 0);
      }
      return Status::ok();
    case message_type::kAudio:
    case message_type::kVideo: handleMedia(message.typeId, message.timestamp, message.payload); return Status::ok();
    case message_type::kDataAmf0:
    case message_type::kDataAmf3:
      handleData(message.payload, message.typeId == message_type::kDataAmf3);
      return Status::ok();
    case message_type::kAggregate: handleAggregate(message); return Status::ok();
    case message_type::kCommandAmf0:
    case message_type::kCommandAmf3: {
      Result<Command> command =
          parseCommand(message.payload, message.typeId == message_type::kCommandAmf3, config_.amfLimits);
      if (!command.ok()) return command.status();
      return handleCommand(*command, message);
    }
    default:
      // Set Chunk Size and Abort were applied by the decoder; Acknowledgement,
      // Set Peer Bandwidth and anything unknown need nothing from a server.
      return Status::ok();
  }
}

void ServerConnection::handleMedia(std::uint8_t typeId, std::uint32_t timestamp,
                                   std::span<const std::uint8_t> payload) {
  if (state_ != State::kPublishing) return;
  const std::int64_t ts = unwrapTimestamp(timestamp);
  if (typeId == message_type::kVideo) {
    observer_.onVideo(ts, payload);
  } else {
    observer_.onAudio(ts, payload);
  }
}

void ServerConnection::handleData(std::span<const std::uint8_t> payload, bool amf3Envelope) {
  if (state_ != State::kPublishing) return;
  // Malformed or unrelated data messages are ignored: metadata is advisory,
  // and a live stream should not die of a bad onMetaData.
  Result<std::optional<StreamMetadata>> metadata = parseDataMessage(payload, amf3Envelope, config_.amfLimits);
  if (metadata.ok() && metadata->has_value()) observer_.onMetadata(**metadata);
}

void ServerConnection::handleAggregate(const ChunkMessage& message) {
  if (state_ != State::kPublishing) return;
  // Spec 7.1.6: FLV-tag-shaped sub-messages (11-byte header, body, 4-byte
  // back pointer) whose timestamps are offset so that the first one equals
  // the aggregate's own timestamp.
  std::span<const std::uint8_t> rest = message.payload;
  bool first = true;
  std::uint32_t base = 0;
  while (rest.size() >= 11) {
    const std::uint8_t type = rest[0];
    const std::uint32_t size = readBe24(rest.data() + 1);
    const std::uint32_t ts = readBe24(rest.data() + 4) | (static_cast<std::uint32_t>(rest[7]) << 24);
    if (rest.size() - 11 < size) return;  // truncated: drop the rest
    if (first) {
      base = ts;
      first = false;
    }
    const std::span<const std::uint8_t> body = rest.subspan(11, size);
    const std::uint32_t timestamp = message.timestamp + (ts - base);
    if (type == message_type::kAudio || type == message_type::kVideo) {
      handleMedia(type, timestamp, body);
    } else if (type == message_type::kDataAmf0) {
      handleData(body, false);
    }
    if (state_ != State::kPublishing) return;  // the observer may have ended it
    rest = rest.subspan(std::min<std::size_t>(rest.size(), std::size_t{11} + size + 4));
  }
}

Status ServerConnection::handleCommand(const Command& command, const ChunkMessage& message) {
  const std::string& name = command.name;
  if (state_ == State::kAwaitConnect) {
    if (name != "connect") return Status(Code::kInvalidArgument, "rtmp: '" + name + "' before connect");
    onConnect(command);
    return Status::ok();
  }
  if (name == "connect") return Status(Code::kInvalidArgument, "rtmp: connect received twice");

  if (name == "releaseStream" || name == "FCPublish") {
    // Adobe-era calls that FFmpeg, OBS and GStreamer send before
    // createStream. A transaction id of 0 asks for no answer.
    if (command.transactionId != 0) {
      buildEmptyResult(scratch_, command.transactionId);
      send(kCommandChunkStream, message_type::kCommandAmf0, 0);
    }
    if (name == "FCPublish") {
      const std::string streamName =
          !command.arguments.empty() && command.arguments[0].isString() ? command.arguments[0].asString() : "";
      buildOnFcPublish(scratch_, splitQuery(streamName).first);
      send(kCommandChunkStream, message_type::kCommandAmf0, 0);
    }
  } else if (name == "createStream") {
    buildCreateStreamResult(scratch_, command.transactionId, nextStreamId_++);
    send(kCommandChunkStream, message_type::kCommandAmf0, 0);
  } else if (name == "publish") {
    onPublish(command, message.messageStreamId);
  } else if (name == "FCUnpublish" || name == "deleteStream" || name == "closeStream") {
    // FFmpeg sends FCUnpublish then deleteStream, OBS (librtmp) the same,
    // some mobile SDKs only closeStream or deleteStream: the first one ends
    // the publish, on whichever stream id it names.
    endPublish();
    if (name == "FCUnpublish" && command.transactionId != 0) {
      buildEmptyResult(scratch_, command.transactionId);
      send(kCommandChunkStream, message_type::kCommandAmf0, 0);
    }
  } else if (name == "_checkbw" || name == "getStreamLength") {
    // Tolerated without an answer: FFmpeg sends _checkbw in reply to
    // onBWDone and does not wait for a result.
  } else if (command.transactionId != 0 && !name.starts_with("_") && !name.starts_with("on")) {
    // A call this server does not serve (play, for instance). Answers and
    // notifications ("_result", "onStatus", ...) get no reply.
    buildError(scratch_, command.transactionId, status_code::kCallFailed, "Method not supported: " + name);
    send(kCommandChunkStream, message_type::kCommandAmf0, 0);
  }
  return Status::ok();
}

void ServerConnection::onConnect(const Command& command) {
  connect_ = parseConnect(command);
  state_ = State::kConnected;

  buildWindowAckSize(scratch_, config_.windowAckSize);
  send(kControlChunkStream, message_type::kWindowAckSize, 0);
  buildSetPeerBandwidth(scratch_, config_.peerBandwidth, kPeerBandwidthDynamic);
  send(kControlChunkStream, message_type::kSetPeerBandwidth, 0);
  // Larger chunks before any reply of size: fewer headers for everything after.
  buildSetChunkSize(scratch_, config_.outChunkSize);
  send(kControlChunkStream, message_type::kSetChunkSize, 0);
  encoder_.setChunkSize(config_.outChunkSize);

  buildConnectResult(scratch_, command.transactionId, connect_.objectEncoding);
  send(kCommandChunkStream, message_type::kCommandAmf0, 0);
  buildOnBwDone(scratch_);
  send(kCommandChunkStream, message_type::kCommandAmf0, 0);
}

void ServerConnection::onPublish(const Command& command, std::uint32_t messageStreamId) {
  if (state_ != State::kConnected) {
    buildOnStatus(scratch_, "error", status_code::kPublishBadName, "A publish is already in progress.");
    send(kStatusChunkStream, message_type::kCommandAmf0, messageStreamId);
    return;
  }
  PublishRequest request;
  Result<PublishArgs> args = parsePublish(command);
  if (args.ok()) {
    std::tie(request.streamName, request.streamQuery) = splitQuery(args->name);
    request.publishType = args->type;
  }
  std::tie(request.app, request.appQuery) = splitQuery(connect_.app);
  request.tcUrl = connect_.tcUrl;
  request.tcUrlQuery = splitQuery(connect_.tcUrl).second;
  request.flashVer = connect_.flashVer;
  // Replies go to the stream id the publish came on, whether or not it is
  // the one createStream returned (some mobile SDKs hard-code 1 or use 0).
  request.messageStreamId = messageStreamId;
  publish_ = std::move(request);
  state_ = State::kPublishPending;
  observer_.onPublishRequest(publish_);
}

bool ServerConnection::acceptPublish() {
  if (state_ != State::kPublishPending) return false;
  state_ = State::kPublishing;
  decoder_.setMaxMessageSize(config_.chunkLimits.maxMessageSize);
  haveTimestamp_ = false;
  buildUserControl(scratch_, UserControlEvent::kStreamBegin, publish_.messageStreamId);
  send(kControlChunkStream, message_type::kUserControl, 0);
  buildOnStatus(scratch_, "status", status_code::kPublishStart, publish_.streamName + " is now published.");
  send(kStatusChunkStream, message_type::kCommandAmf0, publish_.messageStreamId);
  return true;
}

bool ServerConnection::rejectPublish(Code code, std::string_view reason) {
  if (state_ != State::kPublishPending) return false;
  state_ = State::kClosing;
  buildOnStatus(scratch_, "error", publishRejectionCode(code), reason);
  send(kStatusChunkStream, message_type::kCommandAmf0, publish_.messageStreamId);
  return true;
}

void ServerConnection::endPublish() {
  if (state_ == State::kPublishPending) {
    state_ = State::kConnected;  // withdrawn before the owner decided
    return;
  }
  if (state_ != State::kPublishing) return;
  state_ = State::kConnected;
  buildOnStatus(scratch_, "status", status_code::kUnpublishSuccess, publish_.streamName + " is now unpublished.");
  send(kStatusChunkStream, message_type::kCommandAmf0, publish_.messageStreamId);
  observer_.onUnpublish();
}

}  // namespace ls::rtmp
