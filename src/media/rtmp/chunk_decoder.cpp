#include "media/rtmp/chunk_decoder.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "media/rtmp/byte_io.hpp"

namespace ls::rtmp {
namespace {

constexpr std::uint8_t kTypeSetChunkSize = 1;
constexpr std::uint8_t kTypeAbort = 2;
constexpr std::uint32_t kTimestampExtended = 0xFFFFFF;
constexpr std::size_t kMessageHeaderSize[4] = {11, 7, 3, 0};

std::string csidText(std::uint32_t csid) {
  return "chunk stream " + std::to_string(csid);
}

}  // namespace

Status ChunkDecoder::fail(Status status) {
  failure_ = status;
  return status;
}

ChunkDecoder::ChunkStream* ChunkDecoder::findStream(std::uint32_t id) {
  // A handful of chunk streams per connection: a linear scan beats a map.
  for (ChunkStream& s : streams_) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

Result<ChunkDecoder::ChunkStream*> ChunkDecoder::streamFor(std::uint32_t id, std::uint8_t fmt) {
  if (ChunkStream* s = findStream(id)) return s;
  // Spec 5.3.1.2: the first chunk of a chunk stream carries a full type-0 header.
  if (fmt != 0) {
    return Status(Code::kInvalidArgument, csidText(id) + " starts with a type-" + std::to_string(fmt) + " header");
  }
  if (streams_.size() >= limits_.maxChunkStreams) {
    return Status(Code::kPayloadTooLarge,
                  "more than " + std::to_string(limits_.maxChunkStreams) + " chunk streams in use");
  }
  streams_.emplace_back();
  streams_.back().id = id;
  return &streams_.back();
}

Result<ChunkDecodeStep> ChunkDecoder::decode(std::span<const std::uint8_t> in) {
  if (!failure_.isOk()) return failure_;
  std::size_t pos = 0;
  while (pos < in.size()) {
    if (phase_ == Phase::kPayload) {
      ChunkStream& s = streams_[current_];
      const std::size_t n = std::min<std::size_t>(chunkRemaining_, in.size() - pos);
      s.buffer.insert(s.buffer.end(), in.begin() + static_cast<std::ptrdiff_t>(pos),
                      in.begin() + static_cast<std::ptrdiff_t>(pos + n));
      pos += n;
      chunkRemaining_ -= static_cast<std::uint32_t>(n);
      pendingBytes_ += n;
      if (pendingBytes_ > limits_.maxPendingBytes) {
        bytesReceived_ += pos;
        return fail(Status(Code::kPayloadTooLarge,
                           "partially received messages exceed " + std::to_string(limits_.maxPendingBytes) + " bytes"));
      }
      if (chunkRemaining_ > 0) break;
      if (s.buffer.size() == s.length) {
        bytesReceived_ += pos;
        return completeMessage(pos);
      }
      phase_ = Phase::kBasicHeader;
      headerHave_ = 0;
      headerNeed_ = 1;
      continue;
    }

    const std::size_t n = std::min(headerNeed_ - headerHave_, in.size() - pos);
    std::memcpy(header_.data() + headerHave_, in.data() + pos, n);
    headerHave_ += n;
    pos += n;
    if (headerHave_ < headerNeed_) break;

    if (phase_ == Phase::kBasicHeader) {
      // Spec 5.3.1.1: ids 2-63 in one byte, 64-319 in two, 64-65599 in three.
      const std::uint32_t low = header_[0] & 0x3Fu;
      if (headerHave_ == 1 && low <= 1) {
        headerNeed_ = low == 0 ? 2 : 3;
        continue;
      }
      fmt_ = static_cast<std::uint8_t>(header_[0] >> 6);
      basicSize_ = headerHave_;
      csid_ = basicSize_ == 1 ? low : basicSize_ == 2 ? header_[1] + 64u : header_[1] + header_[2] * 256u + 64u;
      Result<ChunkStream*> stream = streamFor(csid_, fmt_);
      if (!stream.ok()) {
        bytesReceived_ += pos;
        return fail(stream.status());
      }
      current_ = static_cast<std::size_t>(*stream - streams_.data());
      headerNeed_ = basicSize_ + kMessageHeaderSize[fmt_];
      // Spec 5.3.1.3: type-3 chunks repeat the extended timestamp when the
      // header they continue had one (FFmpeg and librtmp write it).
      if (fmt_ == 3 && (*stream)->extendedTimestamp) headerNeed_ += 4;
      phase_ = Phase::kMessageHeader;
      if (headerHave_ < headerNeed_) continue;
    }

    // Message header complete; a type 0-2 header with 0xFFFFFF needs 4 more bytes.
    if (fmt_ < 3 && headerNeed_ == basicSize_ + kMessageHeaderSize[fmt_] &&
        readBe24(header_.data() + basicSize_) == kTimestampExtended) {
      headerNeed_ += 4;
      continue;
    }
    if (Status st = onHeaderComplete(); !st.isOk()) {
      bytesReceived_ += pos;
      return fail(std::move(st));
    }
    if (chunkRemaining_ == 0) {  // a zero-length message
      bytesReceived_ += pos;
      return completeMessage(pos);
    }
  }
  bytesReceived_ += pos;
  return ChunkDecodeStep{pos, std::nullopt};
}

Status ChunkDecoder::onHeaderComplete() {
  ChunkStream& s = streams_[current_];
  const std::uint8_t* m = header_.data() + basicSize_;
  if (fmt_ < 3) {
    if (s.inMessage) {
      return Status(Code::kInvalidArgument, csidText(s.id) + ": new message header before the previous message ended");
    }
    std::uint32_t field = readBe24(m);
    s.extendedTimestamp = field == kTimestampExtended;
    if (s.extendedTimestamp) field = readBe32(m + kMessageHeaderSize[fmt_]);
    s.timestampField = field;
    if (fmt_ == 0) {
      s.timestamp = field;
      s.streamId = readLe32(m + 7);
    } else {
      s.timestamp += field;  // wraps modulo 2^32 like the sender's clock
    }
    if (fmt_ <= 1) {
      s.length = readBe24(m + 3);
      s.typeId = m[6];
    }
  } else if (!s.inMessage) {
    // A type-3 chunk starting a new message repeats the previous delta. After
    // a type-0 header the "delta" is that header's timestamp field: FFmpeg
    // writes and reads it this way, so a type-3 follow-up adds it again.
    if (s.extendedTimestamp) s.timestampField = readBe32(m);
    s.timestamp += s.timestampField;
  }
  // (A type-3 continuation's extended timestamp, if any, carries nothing new.)

  if (!s.inMessage) {
    if (s.length > limits_.maxMessageSize) {
      return Status(Code::kPayloadTooLarge, csidText(s.id) + ": message of " + std::to_string(s.length) +
                                                " bytes exceeds the limit of " +
                                                std::to_string(limits_.maxMessageSize));
    }
    s.buffer.clear();
    s.inMessage = true;
  }
  chunkRemaining_ = std::min<std::uint32_t>(chunkSize_, s.length - static_cast<std::uint32_t>(s.buffer.size()));
  phase_ = Phase::kPayload;
  return Status::ok();
}

Result<ChunkDecodeStep> ChunkDecoder::completeMessage(std::size_t consumed) {
  ChunkStream& s = streams_[current_];
  s.inMessage = false;
  pendingBytes_ -= s.buffer.size();
  phase_ = Phase::kBasicHeader;
  headerHave_ = 0;
  headerNeed_ = 1;
  if (Status st = applyControl(s); !st.isOk()) return fail(std::move(st));
  ChunkMessage message;
  message.chunkStreamId = s.id;
  message.typeId = s.typeId;
  message.timestamp = s.timestamp;
  message.messageStreamId = s.streamId;
  message.payload = s.buffer;
  return ChunkDecodeStep{consumed, message};
}

Status ChunkDecoder::applyControl(const ChunkStream& s) {
  if (s.typeId != kTypeSetChunkSize && s.typeId != kTypeAbort) return Status::ok();
  if (s.buffer.size() < 4) {
    return Status(Code::kInvalidArgument, "protocol control message type " + std::to_string(s.typeId) + " with " +
                                              std::to_string(s.buffer.size()) + " bytes");
  }
  const std::uint32_t value = readBe32(s.buffer.data());
  if (s.typeId == kTypeSetChunkSize) {
    if (value == 0 || value > kMaxChunkSizeSpec || value < limits_.minChunkSize || value > limits_.maxChunkSize) {
      return Status(Code::kInvalidArgument, "unacceptable chunk size " + std::to_string(value));
    }
    chunkSize_ = value;
    return Status::ok();
  }
  // Abort Message (spec 5.4.2): drop the partial message of that chunk stream.
  if (ChunkStream* target = findStream(value); target != nullptr && target->inMessage) {
    pendingBytes_ -= target->buffer.size();
    target->buffer.clear();
    target->inMessage = false;
  }
  return Status::ok();
}

}  // namespace ls::rtmp
