#include "media/abr/frame_queue.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>

namespace ls::abr {

// ---------------------------------------------------------------- FrameRing

FrameRing::FrameRing(std::size_t byteCapacity, std::size_t itemCapacity)
    : bytes_(new std::uint8_t[std::max<std::size_t>(1, byteCapacity)]),
      byteCapacity_(std::max<std::size_t>(1, byteCapacity)),
      items_(std::max<std::size_t>(1, itemCapacity)) {}

bool FrameRing::push(const QueueItem& item, std::span<const std::uint8_t> payload) {
  if (count_ == items_.size()) return false;
  const std::size_t n = payload.size();
  if (bytesUsed_ == 0) byteHead_ = byteTail_ = 0;  // empty: start over for the most room
  std::size_t offset = 0;
  std::size_t pad = 0;
  if (n > 0) {
    // Live bytes are [head, tail) when not wrapped, [head, end) + [0, tail) when wrapped.
    const bool wrapped = byteTail_ < byteHead_ || (byteTail_ == byteHead_ && bytesUsed_ > 0);
    if (!wrapped) {
      if (byteCapacity_ - byteTail_ >= n) {
        offset = byteTail_;
      } else if (byteHead_ >= n) {
        // Not enough room before the end: skip it and start at 0.
        pad = byteCapacity_ - byteTail_;
        offset = 0;
      } else {
        return false;
      }
    } else if (byteHead_ - byteTail_ >= n) {
      offset = byteTail_;
    } else {
      return false;
    }
    std::memcpy(bytes_.get() + offset, payload.data(), n);
    byteTail_ = offset + n;
    bytesUsed_ += pad + n;
  } else {
    offset = byteTail_;
  }
  QueueItem& slot = items_[(head_ + count_) % items_.size()];
  slot = item;
  slot.offset = offset;
  slot.size = n;
  slot.pad = pad;
  ++count_;
  return true;
}

void FrameRing::pop() {
  if (count_ == 0) return;
  QueueItem& item = items_[head_];
  if (item.size > 0) {
    bytesUsed_ -= item.pad + item.size;
    byteHead_ = item.offset + item.size;
  }
  // Configs are released now, not when the slot is next overwritten.
  item.videoConfig.reset();
  item.audioConfig.reset();
  head_ = (head_ + 1) % items_.size();
  --count_;
}

void FrameRing::clear() {
  while (count_ > 0) pop();
  byteHead_ = byteTail_ = bytesUsed_ = 0;
}

// ---------------------------------------------------------------- FrameQueue

FrameQueue::FrameQueue(std::size_t byteCapacity, std::size_t itemCapacity) : ring_(byteCapacity, itemCapacity) {}

std::int64_t FrameQueue::steadyNowMs() {
  // clock_gettime through the vDSO: no system call per frame.
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool FrameQueue::push(QueueItem& item, std::span<const std::uint8_t> payload) {
  item.queuedAtMs = steadyNowMs();
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (closed_ || !ring_.push(item, payload)) return false;
    wake = consumerWaiting_;
  }
  // No futex wake unless the consumer sleeps: a transcoder that keeps up is
  // busy, not waiting, most of the time.
  if (wake) cv_.notify_one();
  return true;
}

bool FrameQueue::pushVideoConfig(std::shared_ptr<const media::VideoConfig> config) {
  QueueItem item;
  item.kind = ItemKind::kVideoConfig;
  item.videoConfig = std::move(config);
  return push(item, {});
}

bool FrameQueue::pushAudioConfig(std::shared_ptr<const media::AudioConfig> config) {
  QueueItem item;
  item.kind = ItemKind::kAudioConfig;
  item.audioConfig = std::move(config);
  return push(item, {});
}

bool FrameQueue::pushVideo(const media::VideoFrame& frame, std::int64_t arrivedAt) {
  QueueItem item;
  item.arrivedAt = arrivedAt;
  item.kind = ItemKind::kVideo;
  item.ts = frame.dts;
  item.compositionOffset = frame.compositionOffset;
  item.keyframe = frame.keyframe;
  return push(item, frame.avcc);
}

bool FrameQueue::pushAudio(const media::AudioFrame& frame, std::int64_t arrivedAt) {
  QueueItem item;
  item.arrivedAt = arrivedAt;
  item.kind = ItemKind::kAudio;
  item.ts = frame.pts;
  return push(item, frame.raw);
}

void FrameQueue::close() {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    wake = consumerWaiting_;
  }
  if (wake) cv_.notify_one();
}

const QueueItem* FrameQueue::waitFront() {
  std::unique_lock lock(mu_);
  while (true) {
    if (aborted_.load(std::memory_order_acquire)) return nullptr;
    if (!ring_.empty()) return &ring_.front();
    if (closed_) return nullptr;
    consumerWaiting_ = true;
    cv_.wait(lock);
    consumerWaiting_ = false;
  }
}

void FrameQueue::pop() {
  std::lock_guard lock(mu_);
  ring_.pop();
}

void FrameQueue::abort() {
  {
    std::lock_guard lock(mu_);
    aborted_.store(true, std::memory_order_release);
  }
  cv_.notify_all();
}

std::size_t FrameQueue::depth() const {
  std::lock_guard lock(mu_);
  return ring_.size();
}

}  // namespace ls::abr
