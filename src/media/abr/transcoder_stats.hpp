// Live figures of one stream's transcoder, written by its sink (media loop)
// and its thread, read by whoever renders metrics (an HTTP thread). Plain
// relaxed atomics: each figure is independent, and a scrape that sees one
// of them a frame late is fine.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ls::abr {

enum class RenditionState : std::uint8_t {
  kActive,
  kDropped,  // the transcoder could not keep up: shed to save the rest
  kFailed,   // the encoder could not be opened or refused a picture
  kEnded,    // the stream ended
};

const char* renditionStateName(RenditionState state) noexcept;

inline constexpr std::size_t kMaxRenditions = 8;

class TranscoderStats {
 public:
  TranscoderStats(std::string streamKey, std::string livestreamId)
      : streamKey_(std::move(streamKey)), livestreamId_(std::move(livestreamId)) {}

  [[nodiscard]] const std::string& streamKey() const { return streamKey_; }
  [[nodiscard]] const std::string& livestreamId() const { return livestreamId_; }

  // --- Transcoder thread. Renditions are announced once each, in order,
  // before their counters move; names and sizes never change afterwards.
  std::size_t addRendition(const std::string& name, std::uint32_t width, std::uint32_t height);
  void setState(std::size_t index, RenditionState state) {
    slots_[index].state.store(state, std::memory_order_relaxed);
  }
  void addEncoded(std::size_t index) { slots_[index].framesEncoded.fetch_add(1, std::memory_order_relaxed); }

  std::atomic<std::uint64_t> framesDecoded{0};
  std::atomic<std::uint64_t> framesDropped{0};  // input frames never transcoded (queue full)
  std::atomic<std::uint64_t> queueDepth{0};
  std::atomic<std::int64_t> lagMs{0};
  std::atomic<bool> running{true};

  struct Rendition {
    std::string name;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    RenditionState state = RenditionState::kActive;
    std::uint64_t framesEncoded = 0;
  };
  struct Snapshot {
    std::string streamKey;
    std::string livestreamId;
    std::uint64_t framesDecoded = 0;
    std::uint64_t framesDropped = 0;
    std::uint64_t queueDepth = 0;
    std::int64_t lagMs = 0;
    std::vector<Rendition> renditions;
    [[nodiscard]] std::size_t count(RenditionState state) const;
  };
  // Any thread.
  [[nodiscard]] Snapshot snapshot() const;

 private:
  struct Slot {
    std::string name;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::atomic<RenditionState> state{RenditionState::kActive};
    std::atomic<std::uint64_t> framesEncoded{0};
  };
  const std::string streamKey_;
  const std::string livestreamId_;
  std::array<Slot, kMaxRenditions> slots_;
  std::atomic<std::size_t> published_{0};  // slots [0, published_) are readable
};

}  // namespace ls::abr
