#include "media/abr/transcoder_stats.hpp"

#include <algorithm>

namespace ls::abr {

const char* renditionStateName(RenditionState state) noexcept {
  switch (state) {
    case RenditionState::kActive: return "active";
    case RenditionState::kDropped: return "dropped";
    case RenditionState::kFailed: return "failed";
    case RenditionState::kEnded: return "ended";
  }
  return "unknown";
}

std::size_t TranscoderStats::addRendition(const std::string& name, std::uint32_t width, std::uint32_t height) {
  const std::size_t index = published_.load(std::memory_order_relaxed);
  if (index >= slots_.size()) return slots_.size() - 1;  // the ladder holds at most kMaxRenditions
  Slot& slot = slots_[index];
  slot.name = name;
  slot.width = width;
  slot.height = height;
  // Release: a reader that sees the new count sees the name and size.
  published_.store(index + 1, std::memory_order_release);
  return index;
}

TranscoderStats::Snapshot TranscoderStats::snapshot() const {
  Snapshot s;
  s.streamKey = streamKey_;
  s.livestreamId = livestreamId_;
  s.framesDecoded = framesDecoded.load(std::memory_order_relaxed);
  s.framesDropped = framesDropped.load(std::memory_order_relaxed);
  s.queueDepth = queueDepth.load(std::memory_order_relaxed);
  s.lagMs = lagMs.load(std::memory_order_relaxed);
  const std::size_t n = published_.load(std::memory_order_acquire);
  s.renditions.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Slot& slot = slots_[i];
    s.renditions.push_back({slot.name, slot.width, slot.height, slot.state.load(std::memory_order_relaxed),
                            slot.framesEncoded.load(std::memory_order_relaxed)});
  }
  return s;
}

std::size_t TranscoderStats::Snapshot::count(RenditionState state) const {
  return static_cast<std::size_t>(
      std::count_if(renditions.begin(), renditions.end(), [state](const Rendition& r) { return r.state == state; }));
}

}  // namespace ls::abr
