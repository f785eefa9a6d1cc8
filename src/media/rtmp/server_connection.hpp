// The server side of one RTMP publisher connection, sans-IO.
//
// The owner (a session that holds the TCP socket) pumps received bytes into
// feed(), writes pendingOutput() to the socket and calls consumeOutput() with
// what was written. The connection runs handshake -> chunk stream ->
// messages -> the command flow of a publisher, and tells the owner what
// happened through ServerConnectionObserver.
//
// The publish decision is the owner's and may take time (a database lookup
// on another thread): onPublishRequest() only asks; the owner later calls
// acceptPublish() or rejectPublish(). Audio, video and metadata that arrive
// before acceptance are dropped (FFmpeg, OBS and GStreamer wait for
// NetStream.Publish.Start before sending any).
//
// Threading: none inside. Every method, and every observer call, happens on
// the owner's thread; the observer may call acceptPublish()/rejectPublish()
// from inside its callbacks, but must not destroy the connection there.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/random.hpp"
#include "core/status.hpp"
#include "media/rtmp/amf0.hpp"
#include "media/rtmp/chunk_decoder.hpp"
#include "media/rtmp/chunk_encoder.hpp"
#include "media/rtmp/handshake.hpp"
#include "media/rtmp/messages.hpp"

namespace ls::rtmp {

struct PublishRequest {
  std::string app;          // connect's app, without any "?query"
  std::string appQuery;     // raw text after '?' in app ("" when none)
  std::string tcUrl;        // as the client sent it
  std::string tcUrlQuery;   // raw text after '?' in tcUrl ("" when none)
  std::string streamName;   // publish name without the query: the stream key
  std::string streamQuery;  // raw text after '?' in the publish name, e.g. "pushToken=..."
  std::string publishType;  // "live" (also "record"/"append"; treated alike)
  std::string flashVer;     // client identification, for logs
  std::uint32_t messageStreamId = 0;
};

class ServerConnectionObserver {
 public:
  virtual ~ServerConnectionObserver() = default;
  // Answer later with acceptPublish() or rejectPublish().
  virtual void onPublishRequest(const PublishRequest& request) = 0;
  virtual void onMetadata(const StreamMetadata& metadata) = 0;
  // FLV tag bodies (the RTMP message payload) on a 64-bit millisecond
  // timeline unwrapped from RTMP's 32-bit timestamps; spans are valid only
  // during the call.
  virtual void onVideo(std::int64_t timestampMs, std::span<const std::uint8_t> payload) = 0;
  virtual void onAudio(std::int64_t timestampMs, std::span<const std::uint8_t> payload) = 0;
  // The client ended an accepted publish (FCUnpublish, deleteStream or closeStream).
  virtual void onUnpublish() = 0;
  // The connection failed (protocol violation or a limit); called once.
  // feed() returns the same status. The owner closes the socket.
  virtual void onError(const Status& status) = 0;
};

struct ServerConnectionConfig {
  ChunkDecoderLimits chunkLimits;
  amf0::Limits amfLimits;
  // Until a publish is accepted only commands flow (connect, createStream,
  // publish: a few hundred bytes), so a connection nobody authorized cannot
  // make the server hold a multi-MiB half message. Media may then use
  // chunkLimits.maxMessageSize.
  std::uint32_t maxMessageSizeBeforePublish = 64 * 1024;
  std::uint32_t outChunkSize = 4096;        // announced right before the connect _result
  std::uint32_t windowAckSize = 5'000'000;  // announced to the client
  std::uint32_t peerBandwidth = 5'000'000;
};

class ServerConnection {
 public:
  enum class State {
    kHandshake,
    kAwaitConnect,
    kConnected,       // connect answered; createStream/publish may follow
    kPublishPending,  // publish asked, the owner decides
    kPublishing,
    kClosing,  // publish refused: flush the output, then close
    kFailed,   // protocol error: close
  };

  // `observer` and `random` must outlive the connection.
  ServerConnection(ServerConnectionObserver& observer, Random& random, ServerConnectionConfig config = {});

  // Processes received bytes (any split). Returns the failure, if any; after
  // a failure or once closing, further input is ignored.
  Status feed(std::span<const std::uint8_t> bytes);

  // Bytes to send, oldest first; valid until the next non-const call.
  [[nodiscard]] std::span<const std::uint8_t> pendingOutput() const noexcept;
  void consumeOutput(std::size_t n) noexcept;

  // Starts the pending publish: StreamBegin + onStatus NetStream.Publish.Start.
  // Returns false when no publish is pending (e.g. the client already left).
  bool acceptPublish();
  // Refuses the pending publish with onStatus (code from status_map) and the
  // readable reason; the connection is then kClosing.
  bool rejectPublish(Code code, std::string_view reason);

  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] bool publishing() const noexcept { return state_ == State::kPublishing; }
  [[nodiscard]] bool shouldClose() const noexcept { return state_ == State::kClosing || state_ == State::kFailed; }
  // Bytes held in messages received in part (what a peer that never
  // finishes a message makes the server keep).
  [[nodiscard]] std::size_t pendingInputBytes() const noexcept { return decoder_.pendingBytes(); }
  // Every byte consumed so far, handshake included.
  [[nodiscard]] std::uint64_t bytesReceived() const noexcept { return bytesReceived_; }

 private:
  Status fail(Status status);
  Status handleMessage(const ChunkMessage& message);
  Status handleCommand(const Command& command, const ChunkMessage& message);
  void handleMedia(std::uint8_t typeId, std::uint32_t timestamp, std::span<const std::uint8_t> payload);
  void handleData(std::span<const std::uint8_t> payload, bool amf3Envelope);
  void handleAggregate(const ChunkMessage& message);
  void onConnect(const Command& command);
  void onPublish(const Command& command, std::uint32_t messageStreamId);
  void endPublish();
  void maybeAcknowledge();
  std::int64_t unwrapTimestamp(std::uint32_t timestamp);
  // Frames scratch_ as one message and queues it.
  void send(std::uint32_t chunkStreamId, std::uint8_t typeId, std::uint32_t messageStreamId);

  ServerConnectionObserver& observer_;
  ServerConnectionConfig config_;
  ServerHandshake handshake_;
  ChunkDecoder decoder_;
  ChunkEncoder encoder_;
  State state_ = State::kHandshake;
  Status failure_;

  ConnectRequest connect_;
  PublishRequest publish_;
  std::uint32_t nextStreamId_ = 1;

  std::uint64_t bytesReceived_ = 0;
  std::uint64_t lastAckAt_ = 0;
  std::uint32_t peerWindow_ = 0;  // 0 until the client sends Window Acknowledgement Size

  bool haveTimestamp_ = false;
  std::int64_t lastTimestamp_ = 0;

  std::vector<std::uint8_t> output_;
  std::size_t outputStart_ = 0;
  std::vector<std::uint8_t> scratch_;
};

}  // namespace ls::rtmp
