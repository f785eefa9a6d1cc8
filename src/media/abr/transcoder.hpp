// One publish's transcoder: the bounded queue its sink fills on the media
// loop, the thread that drains it into a TranscodePipeline, and the overload
// policy in between.
//
// Threads and ownership:
// - TranscoderSink is a media::MediaSink owned by the LiveSource and called on
//   the publisher's media loop. It copies each access unit into the queue and
//   never blocks: when the queue is full the frame is dropped (video then
//   waits for the next keyframe) and counted.
// - Transcoder owns the queue and its thread; TranscoderHub owns the
//   Transcoder and joins the thread once it has finished (or at shutdown).
//   The pipeline, its decoder, encoders and rendition packagers live on that
//   thread only.
// - The sink closing the queue (the publisher left) lets the thread finish
//   what is queued, flush the encoders and end every rendition playlist;
//   abort() (server shutdown) ends them at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "core/time.hpp"
#include "media/abr/degrade_policy.hpp"
#include "media/abr/frame_queue.hpp"
#include "media/abr/ladder.hpp"
#include "media/abr/transcode_pipeline.hpp"
#include "media/abr/transcoder_stats.hpp"
#include "media/core/sink.hpp"
#include "media/hls/segment_store.hpp"

namespace ls::abr {

// What one publish brings to its transcoder.
struct TranscoderSetup {
  std::string streamKey;     // logs
  std::string livestreamId;  // metrics label
  std::shared_ptr<hls::StreamHls> stream;
  bool hasAudio = true;
  std::int64_t segmentTargetMs = 2000;
  std::optional<std::uint64_t> firstMediaSequence;  // the original's
  std::uint64_t audioBitsPerSecond = 0;              // declared by the publisher; 0: unknown
  hls::PublishLatency* latency = nullptr;            // the hub's; null: not recorded
  hls::LlOptions ll{false, 200};                     // LL-HLS renditions beside the MPEG-TS ones
};

class Transcoder {
 public:
  Transcoder(const AbrOptions& options, const Clock& clock, TranscoderSetup setup);
  // Aborts and joins if the owner did not.
  ~Transcoder();
  Transcoder(const Transcoder&) = delete;
  Transcoder& operator=(const Transcoder&) = delete;

  void start();
  void abort() { queue_.abort(); }
  void join();
  [[nodiscard]] bool finished() const { return finished_.load(std::memory_order_acquire); }

  [[nodiscard]] FrameQueue& queue() { return queue_; }
  [[nodiscard]] const Clock& clock() const { return clock_; }
  [[nodiscard]] TranscoderStats& stats() { return stats_; }
  // Set by the thread once no rendition will be produced: the sink stops
  // copying frames.
  [[nodiscard]] bool idle() const { return idle_.load(std::memory_order_relaxed); }

 private:
  void run();
  void process(const QueueItem& item);

  FrameQueue queue_;
  const Clock& clock_;
  TranscoderStats stats_;
  TranscodePipeline pipeline_;  // thread only
  DegradePolicy policy_;        // thread only
  std::atomic<bool> idle_{false};
  std::atomic<bool> finished_{false};
  std::thread thread_;
};

class TranscoderSink final : public media::MediaSink {
 public:
  explicit TranscoderSink(std::shared_ptr<Transcoder> transcoder) : transcoder_(std::move(transcoder)) {}
  // A torn-down pipeline ends the transcoder as onEnd() would.
  ~TranscoderSink() override;

  void onVideoConfig(const media::VideoConfig& config) override;
  void onAudioConfig(const media::AudioConfig& config) override;
  void onVideoFrame(const media::VideoFrame& frame) override;
  void onAudioFrame(const media::AudioFrame& frame) override;
  void onEnd() override;

 private:
  // Configs must not be lost: one that did not fit is retried before the
  // next frame, and frames wait (are dropped) until it went in.
  bool flushConfigs();
  void dropped();

  std::shared_ptr<Transcoder> transcoder_;
  std::shared_ptr<const media::VideoConfig> pendingVideoConfig_;
  std::shared_ptr<const media::AudioConfig> pendingAudioConfig_;
  bool waitForKeyframe_ = false;
  bool ended_ = false;
};

}  // namespace ls::abr
