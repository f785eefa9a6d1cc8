// RTMP messages a publishing server reads and writes (RTMP spec sections
// 5.4, 6.2 and 7): message type ids, protocol control payloads, command and
// data message parsing, and builders for the server's replies. Builders
// append one message *payload* to `out`; the chunk encoder frames it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "media/rtmp/amf0.hpp"

namespace ls::rtmp {

namespace message_type {
inline constexpr std::uint8_t kSetChunkSize = 1;
inline constexpr std::uint8_t kAbort = 2;
inline constexpr std::uint8_t kAcknowledgement = 3;
inline constexpr std::uint8_t kUserControl = 4;
inline constexpr std::uint8_t kWindowAckSize = 5;
inline constexpr std::uint8_t kSetPeerBandwidth = 6;
inline constexpr std::uint8_t kAudio = 8;
inline constexpr std::uint8_t kVideo = 9;
inline constexpr std::uint8_t kDataAmf3 = 15;
inline constexpr std::uint8_t kCommandAmf3 = 17;
inline constexpr std::uint8_t kDataAmf0 = 18;
inline constexpr std::uint8_t kCommandAmf0 = 20;
inline constexpr std::uint8_t kAggregate = 22;
}  // namespace message_type

// User Control Message events (spec 7.1.7).
enum class UserControlEvent : std::uint16_t {
  kStreamBegin = 0,
  kStreamEof = 1,
  kStreamDry = 2,
  kSetBufferLength = 3,
  kStreamIsRecorded = 4,
  kPingRequest = 6,
  kPingResponse = 7,
};

// onStatus / _result info codes the server sends.
namespace status_code {
inline constexpr std::string_view kConnectSuccess = "NetConnection.Connect.Success";
inline constexpr std::string_view kPublishStart = "NetStream.Publish.Start";
inline constexpr std::string_view kPublishBadName = "NetStream.Publish.BadName";
inline constexpr std::string_view kPublishUnauthorized = "NetStream.Publish.Unauthorized";
inline constexpr std::string_view kUnpublishSuccess = "NetStream.Unpublish.Success";
inline constexpr std::string_view kCallFailed = "NetConnection.Call.Failed";
}  // namespace status_code

// ---- Parsing ----

// A command message: name, transaction id, command object, then arguments.
struct Command {
  std::string name;
  double transactionId = 0;
  amf0::Value commandObject;           // null when absent
  std::vector<amf0::Value> arguments;  // the values after the command object
};

// Parses a command message body: AMF0 (type 20), or type 17, which is AMF0
// after a one-byte format marker (Flash clients with AMF3 object encoding).
Result<Command> parseCommand(std::span<const std::uint8_t> payload, bool amf3Envelope, const amf0::Limits& limits = {});

// The fields of `connect` a publishing server uses; absent ones are empty.
struct ConnectRequest {
  std::string app;
  std::string tcUrl;
  std::string flashVer;  // client identification, e.g. "FMLE/3.0 (compatible; FMSc/1.0)"
  std::string swfUrl;
  std::string pageUrl;
  double objectEncoding = 0;
};
ConnectRequest parseConnect(const Command& connect);

// `publish` arguments: stream name (may carry "?query") and type ("live", "record", "append").
struct PublishArgs {
  std::string name;
  std::string type;
};
Result<PublishArgs> parsePublish(const Command& publish);

// `onMetaData` as sent by encoders (FLV spec E.5 names the fields).
struct StreamMetadata {
  std::optional<double> width;
  std::optional<double> height;
  std::optional<double> frameRate;      // "framerate" (or "videoframerate")
  std::optional<double> videoDataRate;  // kbit/s
  std::optional<double> audioDataRate;  // kbit/s
  std::optional<double> videoCodecId;
  std::optional<double> audioCodecId;
  std::optional<double> audioSampleRate;
  std::string encoder;
  amf0::Value properties;  // the whole object, in wire order
};

// Parses a data message (type 18, or 15 with the AMF3 envelope byte).
// Metadata is `@setDataFrame "onMetaData" {...}` (FFmpeg, OBS, GStreamer) or
// a bare `onMetaData {...}` (older librtmp-based encoders); anything else is
// returned as nullopt.
Result<std::optional<StreamMetadata>> parseDataMessage(std::span<const std::uint8_t> payload, bool amf3Envelope,
                                                       const amf0::Limits& limits = {});

struct UserControl {
  UserControlEvent event = UserControlEvent::kStreamBegin;
  std::uint32_t value = 0;  // stream id or ping timestamp (first 4 data bytes)
};
Result<UserControl> parseUserControl(std::span<const std::uint8_t> payload);

// The 4-byte big-endian value of Set Chunk Size, Abort, Acknowledgement and
// Window Acknowledgement Size.
Result<std::uint32_t> parseUint32Payload(std::span<const std::uint8_t> payload);

// ---- Building ----

void buildSetChunkSize(std::vector<std::uint8_t>& out, std::uint32_t chunkSize);
void buildAcknowledgement(std::vector<std::uint8_t>& out, std::uint32_t sequenceNumber);
void buildWindowAckSize(std::vector<std::uint8_t>& out, std::uint32_t windowSize);
// limitType: 0 hard, 1 soft, 2 dynamic.
void buildSetPeerBandwidth(std::vector<std::uint8_t>& out, std::uint32_t windowSize, std::uint8_t limitType);
void buildUserControl(std::vector<std::uint8_t>& out, UserControlEvent event, std::uint32_t value);

// `_result` of connect: server properties and NetConnection.Connect.Success.
void buildConnectResult(std::vector<std::uint8_t>& out, double transactionId, double objectEncoding);
// `onBWDone`, which FFmpeg and librtmp answer with `_checkbw`.
void buildOnBwDone(std::vector<std::uint8_t>& out);
// `_result` of createStream carrying the new stream id.
void buildCreateStreamResult(std::vector<std::uint8_t>& out, double transactionId, std::uint32_t streamId);
// A bare `_result` (releaseStream, FCPublish): transaction id and null.
void buildEmptyResult(std::vector<std::uint8_t>& out, double transactionId);
void buildOnFcPublish(std::vector<std::uint8_t>& out, std::string_view streamName);
// `onStatus` with an info object {level, code, description}.
void buildOnStatus(std::vector<std::uint8_t>& out, std::string_view level, std::string_view code,
                   std::string_view description);
// `_error` answering a call the server cannot serve.
void buildError(std::vector<std::uint8_t>& out, double transactionId, std::string_view code,
                std::string_view description);

}  // namespace ls::rtmp
