// Bounded storage for access units on their way to (and inside) a
// transcoder, allocated once: payload bytes live in one byte ring, headers in
// one item ring. Pushing copies a frame's payload into the ring; popping frees
// it. Nothing is allocated per frame — the one exception is a codec
// configuration, which travels as a shared_ptr (it changes a few times per
// stream at most).
//
// FrameRing is single-threaded (the transcoder's pending-audio buffer).
// FrameQueue wraps one for exactly one producer — a MediaSink on a media
// loop, which must never block (SPEC §5, DESIGN "fan-out with per-consumer
// cursors") and so gets `false` when the queue is full — and one consumer,
// the transcoder thread, which waits.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "media/core/frame.hpp"

namespace ls::abr {

enum class ItemKind : std::uint8_t { kVideoConfig, kAudioConfig, kVideo, kAudio };

struct QueueItem {
  ItemKind kind = ItemKind::kVideo;
  std::int64_t ts = 0;                 // ms: video dts, audio pts; 0 for configs
  std::int32_t compositionOffset = 0;  // video: pts - dts
  bool keyframe = false;
  std::int64_t queuedAtMs = 0;  // steady clock, set by FrameQueue: how long it waited
  // Wall clock (UnixMillis) when the source handed the frame on: the moment
  // the original rendition's packager saw it, replayed to the ladder's
  // packagers so EXT-X-PROGRAM-DATE-TIME matches across renditions.
  std::int64_t arrivedAt = 0;
  std::shared_ptr<const media::VideoConfig> videoConfig;  // kVideoConfig
  std::shared_ptr<const media::AudioConfig> audioConfig;  // kAudioConfig
  // Where the payload sits in the byte ring; `pad` bytes at the ring's end
  // were skipped before it so that it is contiguous.
  std::size_t offset = 0;
  std::size_t size = 0;
  std::size_t pad = 0;
};

class FrameRing {
 public:
  FrameRing(std::size_t byteCapacity, std::size_t itemCapacity);

  // Copies `payload` in. False (nothing stored) when either ring is full.
  bool push(const QueueItem& item, std::span<const std::uint8_t> payload);
  [[nodiscard]] bool empty() const { return count_ == 0; }
  [[nodiscard]] std::size_t size() const { return count_; }
  [[nodiscard]] std::size_t bytesUsed() const { return bytesUsed_; }
  // The i-th oldest item (i < size()); valid until it is popped.
  [[nodiscard]] const QueueItem& at(std::size_t i) const { return items_[(head_ + i) % items_.size()]; }
  [[nodiscard]] const QueueItem& front() const { return at(0); }
  [[nodiscard]] std::span<const std::uint8_t> payload(const QueueItem& item) const {
    return {bytes_.get() + item.offset, item.size};
  }
  void pop();
  void clear();

 private:
  std::unique_ptr<std::uint8_t[]> bytes_;  // not zeroed: pages are touched only once used
  std::size_t byteCapacity_;
  std::size_t byteHead_ = 0;   // start of the oldest payload
  std::size_t byteTail_ = 0;   // where the next payload goes
  std::size_t bytesUsed_ = 0;  // payloads plus skipped padding
  std::vector<QueueItem> items_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
};

class FrameQueue {
 public:
  FrameQueue(std::size_t byteCapacity, std::size_t itemCapacity);

  // --- Producer (one thread). False when full: the caller drops the frame.
  bool pushVideoConfig(std::shared_ptr<const media::VideoConfig> config);
  bool pushAudioConfig(std::shared_ptr<const media::AudioConfig> config);
  bool pushVideo(const media::VideoFrame& frame, std::int64_t arrivedAt);
  bool pushAudio(const media::AudioFrame& frame, std::int64_t arrivedAt);
  // No more items: the consumer drains what is queued, then sees the end.
  void close();

  // --- Consumer (one thread).
  // The oldest item, waiting for one; nullptr once closed and drained, or
  // aborted. The item and its payload stay valid until pop().
  const QueueItem* waitFront();
  [[nodiscard]] std::span<const std::uint8_t> payload(const QueueItem& item) const { return ring_.payload(item); }
  void pop();

  // --- Any thread.
  // Wakes the consumer, which stops at once (waitFront returns nullptr).
  void abort();
  [[nodiscard]] bool aborted() const { return aborted_.load(std::memory_order_acquire); }
  [[nodiscard]] std::size_t depth() const;
  // The steady clock in ms, as queuedAtMs uses it.
  static std::int64_t steadyNowMs();

 private:
  bool push(QueueItem& item, std::span<const std::uint8_t> payload);

  mutable std::mutex mu_;
  std::condition_variable cv_;
  FrameRing ring_;
  bool closed_ = false;
  bool consumerWaiting_ = false;
  std::atomic<bool> aborted_{false};
};

}  // namespace ls::abr
