#include "media/abr/transcoder.hpp"

#include <pthread.h>

namespace ls::abr {

namespace {

PipelineOptions pipelineOptions(const AbrOptions& options, const Clock& clock, const TranscoderSetup& setup) {
  PipelineOptions p;
  p.stream = setup.stream;
  p.clock = &clock;
  p.ladder = options.ladder;
  p.x264Preset = options.x264Preset;
  p.hasAudio = setup.hasAudio;
  p.segmenter.targetMs = setup.segmentTargetMs;
  p.firstMediaSequence = setup.firstMediaSequence;
  p.audioBitsPerSecond = setup.audioBitsPerSecond;
  p.latency = setup.latency;
  p.ll = setup.ll;
  return p;
}

}  // namespace

// ---------------------------------------------------------------- Transcoder

Transcoder::Transcoder(const AbrOptions& options, const Clock& clock, TranscoderSetup setup)
    : queue_(options.queueBytes, options.queueItems),
      clock_(clock),
      stats_(setup.streamKey, setup.livestreamId),
      pipeline_(pipelineOptions(options, clock, setup), stats_),
      policy_(options.maxLagMs) {}

Transcoder::~Transcoder() {
  abort();
  join();
}

void Transcoder::start() {
  thread_ = std::thread([this] { run(); });
  // Shows up in top -H; names are limited to 15 characters.
  pthread_setname_np(thread_.native_handle(), "ls-transcoder");
}

void Transcoder::join() {
  if (thread_.joinable()) thread_.join();
}

void Transcoder::process(const QueueItem& item) {
  const auto payload = queue_.payload(item);
  switch (item.kind) {
    case ItemKind::kVideoConfig: pipeline_.onVideoConfig(*item.videoConfig); break;
    case ItemKind::kAudioConfig: pipeline_.onAudioConfig(*item.audioConfig); break;
    case ItemKind::kVideo:
      pipeline_.onVideoFrame(item.ts, item.compositionOffset, item.keyframe, payload, item.arrivedAt);
      break;
    case ItemKind::kAudio: pipeline_.onAudioFrame(item.ts, payload, item.arrivedAt); break;
  }
}

void Transcoder::run() {
  while (const QueueItem* item = queue_.waitFront()) {
    const std::int64_t startedAt = FrameQueue::steadyNowMs();
    const std::int64_t lagMs = startedAt - item->queuedAtMs;
    const bool media = item->kind == ItemKind::kVideo || item->kind == ItemKind::kAudio;
    process(*item);
    queue_.pop();
    stats_.lagMs.store(lagMs, std::memory_order_relaxed);
    stats_.queueDepth.store(queue_.depth(), std::memory_order_relaxed);
    if (media && !pipeline_.idle() && policy_.shouldShed(lagMs, startedAt)) pipeline_.shedOne(lagMs);
    if (pipeline_.idle()) idle_.store(true, std::memory_order_relaxed);
  }
  // Closed and drained (the publisher left): flush everything out. Aborted
  // (shutdown): end the playlists without waiting for x264.
  pipeline_.finish(!queue_.aborted());
  stats_.queueDepth.store(0, std::memory_order_relaxed);
  stats_.lagMs.store(0, std::memory_order_relaxed);
  stats_.running.store(false, std::memory_order_relaxed);
  idle_.store(true, std::memory_order_relaxed);
  finished_.store(true, std::memory_order_release);
}

// ---------------------------------------------------------------- TranscoderSink

TranscoderSink::~TranscoderSink() {
  onEnd();
}

bool TranscoderSink::flushConfigs() {
  FrameQueue& q = transcoder_->queue();
  if (pendingVideoConfig_) {
    if (!q.pushVideoConfig(pendingVideoConfig_)) return false;
    pendingVideoConfig_.reset();
  }
  if (pendingAudioConfig_) {
    if (!q.pushAudioConfig(pendingAudioConfig_)) return false;
    pendingAudioConfig_.reset();
  }
  return true;
}

void TranscoderSink::dropped() {
  transcoder_->stats().framesDropped.fetch_add(1, std::memory_order_relaxed);
}

void TranscoderSink::onVideoConfig(const media::VideoConfig& config) {
  if (ended_) return;
  pendingVideoConfig_ = std::make_shared<const media::VideoConfig>(config);
  if (!flushConfigs()) waitForKeyframe_ = true;
}

void TranscoderSink::onAudioConfig(const media::AudioConfig& config) {
  if (ended_) return;
  pendingAudioConfig_ = std::make_shared<const media::AudioConfig>(config);
  flushConfigs();
}

void TranscoderSink::onVideoFrame(const media::VideoFrame& frame) {
  if (ended_ || transcoder_->idle()) return;
  // After a drop, frames up to the next keyframe could not be decoded anyway.
  if (waitForKeyframe_ && !frame.keyframe) {
    dropped();
    return;
  }
  if (!flushConfigs() || !transcoder_->queue().pushVideo(frame, transcoder_->clock().now())) {
    dropped();
    waitForKeyframe_ = true;
    return;
  }
  waitForKeyframe_ = false;
}

void TranscoderSink::onAudioFrame(const media::AudioFrame& frame) {
  if (ended_ || transcoder_->idle()) return;
  if (!flushConfigs() || !transcoder_->queue().pushAudio(frame, transcoder_->clock().now())) dropped();
}

void TranscoderSink::onEnd() {
  if (ended_) return;
  ended_ = true;
  transcoder_->queue().close();
}

}  // namespace ls::abr
