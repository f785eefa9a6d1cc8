// RTMP chunk stream writer (RTMP spec section 5.3), sans-IO.
//
// Writes each message as one type-0 chunk followed by type-3 continuation
// chunks of the current outbound chunk size, appended to the caller's buffer.
// It never compresses headers (types 1 and 2): a server-side publisher
// connection sends only a few control and command messages, so simplicity
// wins over the bytes saved.
//
// Threading: none; the owner drives it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "media/rtmp/chunk_decoder.hpp"

namespace ls::rtmp {

struct OutboundHeader {
  std::uint32_t chunkStreamId = 3;  // 2..65599
  std::uint8_t typeId = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t messageStreamId = 0;
};

class ChunkEncoder {
 public:
  // The size this side announced with Set Chunk Size. Change it only right
  // after writing that message, so the peer reads the next chunks with it.
  void setChunkSize(std::uint32_t size) {
    chunkSize_ = size == 0 ? 1 : (size > kMaxChunkSizeSpec ? kMaxChunkSizeSpec : size);
  }
  [[nodiscard]] std::uint32_t chunkSize() const noexcept { return chunkSize_; }

  // Appends the chunks of one message to `out`. Payloads over 16 MiB - 1
  // cannot be described by the 24-bit length field; they are the caller's bug
  // and are truncated to that size.
  void write(const OutboundHeader& header, std::span<const std::uint8_t> payload, std::vector<std::uint8_t>& out) const;

 private:
  std::uint32_t chunkSize_ = kDefaultChunkSize;
};

}  // namespace ls::rtmp
