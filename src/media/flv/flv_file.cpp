#include "media/flv/flv_file.hpp"

#include <string>

#include "media/flv/byte_reader.hpp"

namespace ls::flv {
namespace {

constexpr std::size_t kFileHeaderSize = 9;
constexpr std::size_t kTagHeaderSize = 11;
constexpr std::size_t kPreviousTagSizeSize = 4;
// DataOffset is 32 bits but always 9 in practice; a bound keeps a hostile
// header from making a caller buffer gigabytes while waiting for data.
constexpr std::uint32_t kMaxDataOffset = 1U << 20;
constexpr std::uint8_t kTagFilterBit = 0x20;  // encrypted ("filtered") tag
constexpr std::uint8_t kTagTypeMask = 0x1f;
constexpr std::uint32_t kMaxTagBodySize = 0xffffff;

FlvFileReader::Event needMore(std::size_t needed) {
  FlvFileReader::Event event;
  event.needed = needed;
  return event;
}

void appendU24(std::uint32_t v, std::vector<std::uint8_t>& out) {
  out.insert(out.end(),
             {static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)});
}

void appendU32(std::uint32_t v, std::vector<std::uint8_t>& out) {
  out.push_back(static_cast<std::uint8_t>(v >> 24));
  appendU24(v & 0xffffff, out);
}

}  // namespace

Status FlvFileReader::fail(Status status) {
  failed_ = true;
  return status;
}

Result<FlvFileReader::Event> FlvFileReader::next(std::span<const std::uint8_t> input) {
  if (failed_) return invalidArgument("FLV reader already failed on malformed input");
  return headerRead_ ? readTag(input) : readHeader(input);
}

Result<FlvFileReader::Event> FlvFileReader::readHeader(std::span<const std::uint8_t> input) {
  if (input.size() < kFileHeaderSize) return needMore(kFileHeaderSize);
  ByteReader r(input);
  const auto signature = r.bytes(3);
  Event event;
  event.kind = EventKind::kHeader;
  event.header.version = r.u8();
  const std::uint8_t flags = r.u8();
  event.header.dataOffset = r.u32();
  if (signature[0] != 'F' || signature[1] != 'L' || signature[2] != 'V') {
    return fail(invalidArgument("not an FLV file: signature is not 'FLV'"));
  }
  if (event.header.version != 1) {
    return fail(invalidArgument("unsupported FLV version " + std::to_string(event.header.version)));
  }
  event.header.hasAudio = (flags & 0x04) != 0;
  event.header.hasVideo = (flags & 0x01) != 0;
  if (event.header.dataOffset < kFileHeaderSize || event.header.dataOffset > kMaxDataOffset) {
    return fail(invalidArgument("malformed FLV header: DataOffset " + std::to_string(event.header.dataOffset)));
  }
  const std::size_t total = std::size_t{event.header.dataOffset} + kPreviousTagSizeSize;
  if (input.size() < total) return needMore(total);
  ByteReader previous(input.subspan(event.header.dataOffset, kPreviousTagSizeSize));
  if (options_.checkPreviousTagSize && previous.u32() != 0) {
    return fail(invalidArgument("malformed FLV file: PreviousTagSize0 is not 0"));
  }
  event.consumed = total;
  headerRead_ = true;
  return event;
}

Result<FlvFileReader::Event> FlvFileReader::readTag(std::span<const std::uint8_t> input) {
  if (input.size() < kTagHeaderSize) return needMore(kTagHeaderSize);
  ByteReader r(input);
  const std::uint8_t typeByte = r.u8();
  const std::uint32_t dataSize = r.u24();
  const std::uint32_t timestampLow = r.u24();
  const std::uint32_t timestampHigh = r.u8();
  Event event;
  event.kind = EventKind::kTag;
  event.tag.type = typeByte & kTagTypeMask;
  event.tag.timestamp = (timestampHigh << 24) | timestampLow;
  event.tag.streamId = r.u24();
  if ((typeByte & kTagFilterBit) != 0) {
    return fail(invalidArgument("unsupported FLV tag: encrypted (Filter bit set)"));
  }
  const std::size_t total = kTagHeaderSize + dataSize + kPreviousTagSizeSize;
  if (input.size() < total) return needMore(total);
  event.tag.body = r.bytes(dataSize);
  const std::uint32_t previousTagSize = r.u32();
  if (options_.checkPreviousTagSize && previousTagSize != kTagHeaderSize + dataSize) {
    return fail(invalidArgument("malformed FLV file: PreviousTagSize " + std::to_string(previousTagSize) +
                                " after a tag of " + std::to_string(kTagHeaderSize + dataSize) + " bytes"));
  }
  event.consumed = total;
  return event;
}

void appendFlvFileHeader(bool hasAudio, bool hasVideo, std::vector<std::uint8_t>& out) {
  const auto flags = static_cast<std::uint8_t>((hasAudio ? 0x04 : 0) | (hasVideo ? 0x01 : 0));
  out.insert(out.end(), {'F', 'L', 'V', 1, flags});
  appendU32(kFileHeaderSize, out);
  appendU32(0, out);  // PreviousTagSize0
}

Status appendFlvTag(std::uint8_t type, std::uint32_t timestamp, std::span<const std::uint8_t> body,
                    std::vector<std::uint8_t>& out) {
  if (body.size() > kMaxTagBodySize) return invalidArgument("FLV tag body over 16 MiB");
  const auto size = static_cast<std::uint32_t>(body.size());
  out.push_back(type & kTagTypeMask);
  appendU24(size, out);
  appendU24(timestamp & 0xffffff, out);
  out.push_back(static_cast<std::uint8_t>(timestamp >> 24));
  appendU24(0, out);  // StreamID
  out.insert(out.end(), body.begin(), body.end());
  appendU32(static_cast<std::uint32_t>(kTagHeaderSize) + size, out);
  return Status::ok();
}

}  // namespace ls::flv
