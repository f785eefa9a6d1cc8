#include "media/rtmp/messages.hpp"

#include <utility>

#include "media/rtmp/byte_io.hpp"

namespace ls::rtmp {
namespace {

std::span<const std::uint8_t> stripAmf3Envelope(std::span<const std::uint8_t> payload, bool amf3Envelope) {
  // Types 15 and 17 start with a format byte (0 = the rest is AMF0).
  return amf3Envelope && !payload.empty() ? payload.subspan(1) : payload;
}

std::string stringOr(const amf0::Value& object, std::string_view key) {
  const std::optional<std::string_view> v = object.findString(key);
  return v ? std::string(*v) : std::string();
}

void writeProperty(std::vector<std::uint8_t>& out, std::string_view key, std::string_view value) {
  amf0::writeKey(out, key);
  amf0::writeString(out, value);
}

void writeProperty(std::vector<std::uint8_t>& out, std::string_view key, double value) {
  amf0::writeKey(out, key);
  amf0::writeNumber(out, value);
}

void writeStatusObject(std::vector<std::uint8_t>& out, std::string_view level, std::string_view code,
                       std::string_view description) {
  amf0::writeObjectStart(out);
  writeProperty(out, "level", level);
  writeProperty(out, "code", code);
  writeProperty(out, "description", description);
  amf0::writeObjectEnd(out);
}

}  // namespace

Result<Command> parseCommand(std::span<const std::uint8_t> payload, bool amf3Envelope, const amf0::Limits& limits) {
  amf0::Decoder decoder(stripAmf3Envelope(payload, amf3Envelope), limits);
  Result<amf0::Value> name = decoder.next();
  if (!name.ok()) return name.status();
  if (!name->isString()) return Status(Code::kInvalidArgument, "command message without a command name");
  Command command;
  command.name = name->asString();
  // Spec 7.1.1: name, transaction id, command object, arguments. Clients
  // that omit the tail of that list still parse.
  if (!decoder.atEnd()) {
    Result<amf0::Value> tx = decoder.next();
    if (!tx.ok()) return tx.status();
    command.transactionId = tx->asNumber();
  }
  if (!decoder.atEnd()) {
    Result<amf0::Value> object = decoder.next();
    if (!object.ok()) return object.status();
    command.commandObject = std::move(*object);
  }
  while (!decoder.atEnd()) {
    Result<amf0::Value> arg = decoder.next();
    if (!arg.ok()) return arg.status();
    command.arguments.push_back(std::move(*arg));
  }
  return command;
}

ConnectRequest parseConnect(const Command& connect) {
  const amf0::Value& o = connect.commandObject;
  ConnectRequest request;
  request.app = stringOr(o, "app");
  request.tcUrl = stringOr(o, "tcUrl");
  request.flashVer = stringOr(o, "flashVer");
  request.swfUrl = stringOr(o, "swfUrl");
  request.pageUrl = stringOr(o, "pageUrl");
  request.objectEncoding = o.findNumber("objectEncoding").value_or(0);
  return request;
}

Result<PublishArgs> parsePublish(const Command& publish) {
  if (publish.arguments.empty() || !publish.arguments[0].isString()) {
    return Status(Code::kInvalidArgument, "publish without a stream name");
  }
  PublishArgs args;
  args.name = publish.arguments[0].asString();
  if (publish.arguments.size() > 1 && publish.arguments[1].isString()) args.type = publish.arguments[1].asString();
  return args;
}

Result<std::optional<StreamMetadata>> parseDataMessage(std::span<const std::uint8_t> payload, bool amf3Envelope,
                                                       const amf0::Limits& limits) {
  amf0::Decoder decoder(stripAmf3Envelope(payload, amf3Envelope), limits);
  Result<amf0::Value> first = decoder.next();
  if (!first.ok()) return first.status();
  if (!first->isString()) return std::optional<StreamMetadata>();
  const std::string_view handler = first->asString();
  if (handler == "@setDataFrame") {
    if (decoder.atEnd()) return std::optional<StreamMetadata>();
    Result<amf0::Value> inner = decoder.next();
    if (!inner.ok()) return inner.status();
    if (!inner->isString() || inner->asString() != "onMetaData") return std::optional<StreamMetadata>();
  } else if (handler != "onMetaData") {
    return std::optional<StreamMetadata>();
  }
  if (decoder.atEnd()) return std::optional<StreamMetadata>();
  Result<amf0::Value> object = decoder.next();
  if (!object.ok()) return object.status();
  if (!object->isObject()) return std::optional<StreamMetadata>();

  StreamMetadata m;
  m.width = object->findNumber("width");
  m.height = object->findNumber("height");
  m.frameRate = object->findNumber("framerate");
  if (!m.frameRate) m.frameRate = object->findNumber("videoframerate");
  m.videoDataRate = object->findNumber("videodatarate");
  m.audioDataRate = object->findNumber("audiodatarate");
  m.videoCodecId = object->findNumber("videocodecid");
  m.audioCodecId = object->findNumber("audiocodecid");
  m.audioSampleRate = object->findNumber("audiosamplerate");
  m.encoder = stringOr(*object, "encoder");
  m.properties = std::move(*object);
  return std::optional<StreamMetadata>(std::move(m));
}

Result<UserControl> parseUserControl(std::span<const std::uint8_t> payload) {
  if (payload.size() < 2) return Status(Code::kInvalidArgument, "user control message shorter than 2 bytes");
  UserControl uc;
  uc.event = static_cast<UserControlEvent>(readBe16(payload.data()));
  if (payload.size() >= 6) uc.value = readBe32(payload.data() + 2);
  return uc;
}

Result<std::uint32_t> parseUint32Payload(std::span<const std::uint8_t> payload) {
  if (payload.size() < 4) return Status(Code::kInvalidArgument, "control message shorter than 4 bytes");
  return readBe32(payload.data());
}

void buildSetChunkSize(std::vector<std::uint8_t>& out, std::uint32_t chunkSize) {
  putBe32(out, chunkSize);
}
void buildAcknowledgement(std::vector<std::uint8_t>& out, std::uint32_t sequenceNumber) {
  putBe32(out, sequenceNumber);
}
void buildWindowAckSize(std::vector<std::uint8_t>& out, std::uint32_t windowSize) {
  putBe32(out, windowSize);
}

void buildSetPeerBandwidth(std::vector<std::uint8_t>& out, std::uint32_t windowSize, std::uint8_t limitType) {
  putBe32(out, windowSize);
  putU8(out, limitType);
}

void buildUserControl(std::vector<std::uint8_t>& out, UserControlEvent event, std::uint32_t value) {
  putBe16(out, static_cast<std::uint16_t>(event));
  putBe32(out, value);
}

void buildConnectResult(std::vector<std::uint8_t>& out, double transactionId, double objectEncoding) {
  amf0::writeString(out, "_result");
  amf0::writeNumber(out, transactionId);
  amf0::writeObjectStart(out);
  writeProperty(out, "fmsVer", "FMS/3,0,1,123");
  writeProperty(out, "capabilities", 31);
  writeProperty(out, "mode", 1);
  amf0::writeObjectEnd(out);
  amf0::writeObjectStart(out);
  writeProperty(out, "level", "status");
  writeProperty(out, "code", status_code::kConnectSuccess);
  writeProperty(out, "description", "Connection succeeded.");
  writeProperty(out, "objectEncoding", objectEncoding);
  amf0::writeObjectEnd(out);
}

void buildOnBwDone(std::vector<std::uint8_t>& out) {
  amf0::writeString(out, "onBWDone");
  amf0::writeNumber(out, 0);
  amf0::writeNull(out);
}

void buildCreateStreamResult(std::vector<std::uint8_t>& out, double transactionId, std::uint32_t streamId) {
  amf0::writeString(out, "_result");
  amf0::writeNumber(out, transactionId);
  amf0::writeNull(out);
  amf0::writeNumber(out, streamId);
}

void buildEmptyResult(std::vector<std::uint8_t>& out, double transactionId) {
  amf0::writeString(out, "_result");
  amf0::writeNumber(out, transactionId);
  amf0::writeNull(out);
}

void buildOnFcPublish(std::vector<std::uint8_t>& out, std::string_view streamName) {
  amf0::writeString(out, "onFCPublish");
  amf0::writeNumber(out, 0);
  amf0::writeNull(out);
  amf0::writeObjectStart(out);
  writeProperty(out, "code", status_code::kPublishStart);
  writeProperty(out, "description", streamName);
  amf0::writeObjectEnd(out);
}

void buildOnStatus(std::vector<std::uint8_t>& out, std::string_view level, std::string_view code,
                   std::string_view description) {
  amf0::writeString(out, "onStatus");
  amf0::writeNumber(out, 0);
  amf0::writeNull(out);
  writeStatusObject(out, level, code, description);
}

void buildError(std::vector<std::uint8_t>& out, double transactionId, std::string_view code,
                std::string_view description) {
  amf0::writeString(out, "_error");
  amf0::writeNumber(out, transactionId);
  amf0::writeNull(out);
  writeStatusObject(out, "error", code, description);
}

}  // namespace ls::rtmp
