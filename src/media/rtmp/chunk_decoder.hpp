// RTMP chunk stream reader (RTMP spec section 5.3), sans-IO.
//
// Bytes go in with any split (one byte at a time works); complete messages
// come out one per decode() call. Chunk payload is copied once, straight into
// a per-chunk-stream message buffer whose capacity is kept, so steady state
// does not allocate. Set Chunk Size and Abort Message are applied here (they
// change how the following bytes are read) and are still handed out.
//
// Threading: none. The owner of the connection drives it from one thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/status.hpp"

namespace ls::rtmp {

inline constexpr std::uint32_t kDefaultChunkSize = 128;         // spec 5.4.1: until Set Chunk Size
inline constexpr std::uint32_t kMaxChunkSizeSpec = 0x7FFFFFFF;  // spec 5.4.1: 31 bits

struct ChunkDecoderLimits {
  // Largest message accepted (video keyframes at high bitrates reach a few MiB).
  std::uint32_t maxMessageSize = 8 * 1024 * 1024;
  // Distinct chunk stream ids in use at once (clients use 3 to 8).
  std::size_t maxChunkStreams = 64;
  // Largest Set Chunk Size honoured. Chunks are copied straight into the
  // message buffer, so a large chunk size costs no memory; the spec's maximum
  // is the default because some clients announce huge values.
  std::uint32_t maxChunkSize = kMaxChunkSizeSpec;
  // Smallest Set Chunk Size honoured (the spec allows 1; tiny chunks only cost CPU).
  std::uint32_t minChunkSize = 1;
  // Sum of partially received messages across all chunk streams, so that
  // many chunk streams each holding a large half-message cannot pile up.
  std::size_t maxPendingBytes = 16 * 1024 * 1024;
};

// One reassembled message. `payload` points into the decoder and is valid
// until the next call of decode().
struct ChunkMessage {
  std::uint32_t chunkStreamId = 0;
  std::uint8_t typeId = 0;
  // 32-bit timestamp as sent: absolute for a type-0 header, else the chunk
  // stream's previous timestamp plus the delta, wrapping modulo 2^32.
  std::uint32_t timestamp = 0;
  std::uint32_t messageStreamId = 0;
  std::span<const std::uint8_t> payload;
};

struct ChunkDecodeStep {
  std::size_t consumed = 0;             // bytes of the input used by this call
  std::optional<ChunkMessage> message;  // set when a message completed
};

class ChunkDecoder {
 public:
  explicit ChunkDecoder(ChunkDecoderLimits limits = {}) : limits_(limits) {}

  // Reads from `in` until one message completes or the input runs out.
  // Callers loop: `while (!in.empty()) { step = decode(in); in = in.subspan(step.consumed); ... }`.
  // Any protocol or limit violation returns an error; the decoder is then
  // unusable (every later call fails too).
  Result<ChunkDecodeStep> decode(std::span<const std::uint8_t> in);

  [[nodiscard]] std::uint32_t chunkSize() const noexcept { return chunkSize_; }
  // Total bytes consumed so far, for Acknowledgement (spec 5.4.3).
  [[nodiscard]] std::uint64_t bytesReceived() const noexcept { return bytesReceived_; }
  [[nodiscard]] std::size_t chunkStreamCount() const noexcept { return streams_.size(); }
  // Raises or lowers the largest message accepted from now on (a message
  // already under way keeps the length it announced).
  void setMaxMessageSize(std::uint32_t bytes) noexcept { limits_.maxMessageSize = bytes; }
  // Bytes held in messages received in part, across every chunk stream.
  [[nodiscard]] std::size_t pendingBytes() const noexcept { return pendingBytes_; }

 private:
  struct ChunkStream {
    std::uint32_t id = 0;
    std::uint32_t timestamp = 0;       // of the current (or last) message
    std::uint32_t timestampField = 0;  // last delta (or type-0 timestamp), reused by type 3
    std::uint32_t length = 0;
    std::uint32_t streamId = 0;
    std::uint8_t typeId = 0;
    bool extendedTimestamp = false;  // the last type 0-2 header used one; type 3 chunks repeat it
    bool inMessage = false;  // a message is partly received
    std::vector<std::uint8_t> buffer;
  };
  enum class Phase { kBasicHeader, kMessageHeader, kPayload };

  Status fail(Status status);
  ChunkStream* findStream(std::uint32_t id);
  Result<ChunkStream*> streamFor(std::uint32_t id, std::uint8_t fmt);
  Status onHeaderComplete();
  Result<ChunkDecodeStep> completeMessage(std::size_t consumed);
  Status applyControl(const ChunkStream& stream);

  ChunkDecoderLimits limits_;
  std::uint32_t chunkSize_ = kDefaultChunkSize;
  std::uint64_t bytesReceived_ = 0;
  std::size_t pendingBytes_ = 0;
  Status failure_;
  std::vector<ChunkStream> streams_;

  // The header being read: basic + message header + extended timestamp (at most 3 + 11 + 4).
  Phase phase_ = Phase::kBasicHeader;
  std::array<std::uint8_t, 18> header_{};
  std::size_t headerHave_ = 0;
  std::size_t headerNeed_ = 1;
  std::uint8_t fmt_ = 0;
  std::uint32_t csid_ = 0;
  std::size_t basicSize_ = 1;
  std::size_t current_ = 0;           // index into streams_ of the chunk being read
  std::uint32_t chunkRemaining_ = 0;  // payload bytes left in the current chunk
};

}  // namespace ls::rtmp
