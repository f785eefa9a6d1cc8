// FLV files (Adobe FLV spec v10.1, annex E.2 - E.3), sans-IO: the reader is
// fed whatever bytes the caller holds and yields the file header, then one
// tag at a time, or asks for more. Tag bodies are views into the caller's
// bytes. The writer appends a header and tags to a caller-owned buffer.
//
// Layout: header (9 bytes, DataOffset may be larger), PreviousTagSize0 = 0,
// then per tag: 11-byte tag header, body, PreviousTagSize = 11 + body size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/status.hpp"

namespace ls::flv {

inline constexpr std::uint8_t kTagTypeAudio = 8;
inline constexpr std::uint8_t kTagTypeVideo = 9;
inline constexpr std::uint8_t kTagTypeScriptData = 18;

struct FlvFileHeader {
  std::uint8_t version = 1;
  bool hasAudio = false;
  bool hasVideo = false;
  std::uint32_t dataOffset = 9;
};

struct FlvTag {
  std::uint8_t type = 0;        // kTagType*; other values are passed through for the caller to skip
  std::uint32_t timestamp = 0;  // ms; TimestampExtended supplies the upper 8 bits
  std::uint32_t streamId = 0;   // 0 in conforming files
  std::span<const std::uint8_t> body;
};

struct FlvReaderOptions {
  // Files written by some tools carry wrong PreviousTagSize values; turn the
  // check off to read them anyway.
  bool checkPreviousTagSize = true;
};

class FlvFileReader {
 public:
  enum class EventKind { kNeedMore, kHeader, kTag };
  struct Event {
    EventKind kind = EventKind::kNeedMore;
    // Bytes of the input this event covers; the next call starts after them.
    std::size_t consumed = 0;
    // kNeedMore: how many input bytes the next call needs to make progress.
    std::size_t needed = 0;
    FlvFileHeader header;  // kHeader
    FlvTag tag;            // kTag
  };

  explicit FlvFileReader(FlvReaderOptions options = {}) : options_(options) {}

  // input: the unconsumed bytes. Errors are sticky: the stream is lost.
  Result<Event> next(std::span<const std::uint8_t> input);

  // A file ended cleanly when the header was read and no input is left over:
  // every event consumes a whole tag including its PreviousTagSize.
  [[nodiscard]] bool headerRead() const noexcept { return headerRead_; }

 private:
  Result<Event> readHeader(std::span<const std::uint8_t> input);
  Result<Event> readTag(std::span<const std::uint8_t> input);
  Status fail(Status status);

  FlvReaderOptions options_;
  bool headerRead_ = false;
  bool failed_ = false;
};

// Signature, version 1, flags, DataOffset 9, and PreviousTagSize0.
void appendFlvFileHeader(bool hasAudio, bool hasVideo, std::vector<std::uint8_t>& out);
// One tag and its trailing PreviousTagSize. Bodies are limited to 2^24 - 1 bytes.
Status appendFlvTag(std::uint8_t type, std::uint32_t timestamp, std::span<const std::uint8_t> body,
                    std::vector<std::uint8_t>& out);

}  // namespace ls::flv
