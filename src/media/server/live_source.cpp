#include "media/server/live_source.hpp"

namespace ls::media_server {

void LiveSource::addSink(std::unique_ptr<media::MediaSink> sink) {
  if (videoConfig_) sink->onVideoConfig(*videoConfig_);
  if (audioConfig_) sink->onAudioConfig(*audioConfig_);
  sinks_.push_back(std::move(sink));
}

void LiveSource::createSinksOnce() {
  if (sinksCreated_) return;
  sinksCreated_ = true;
  if (factory_) factory_(*this, videoConfig_.has_value(), audioConfig_.has_value());
}

void LiveSource::onVideoConfig(const media::VideoConfig& config) {
  if (ended_) return;
  videoConfig_ = config;
  for (auto& sink : sinks_) sink->onVideoConfig(*videoConfig_);
}

void LiveSource::onAudioConfig(const media::AudioConfig& config) {
  if (ended_) return;
  audioConfig_ = config;
  for (auto& sink : sinks_) sink->onAudioConfig(*audioConfig_);
}

void LiveSource::onVideoFrame(const media::VideoFrame& frame) {
  if (ended_) return;
  ++stats_.videoFrames;
  createSinksOnce();
  for (auto& sink : sinks_) sink->onVideoFrame(frame);
}

void LiveSource::onAudioFrame(const media::AudioFrame& frame) {
  if (ended_) return;
  ++stats_.audioFrames;
  createSinksOnce();
  for (auto& sink : sinks_) sink->onAudioFrame(frame);
}

void LiveSource::onEnd() {
  if (ended_) return;
  ended_ = true;
  for (auto& sink : sinks_) sink->onEnd();
}

}  // namespace ls::media_server
