#include "media/server/usage_sink.hpp"

namespace ls::media_server {

void UsageSink::count(std::int64_t ts) {
  const std::int64_t step = counter_.step(ts);
  if (step > 0) usage_->addDuration(usage::Metric::kIngestMs, "", clock_.now(), step);
}

void UsageSink::onVideoFrame(const media::VideoFrame& frame) {
  if (hasVideo_) count(frame.dts);
}

void UsageSink::onAudioFrame(const media::AudioFrame& frame) {
  if (!hasVideo_) count(frame.pts);
}

void UsageSink::onEnd() {
  if (ended_) return;
  ended_ = true;
  usage_->addDuration(usage::Metric::kIngestMs, "", clock_.now(), counter_.lastStep());
}

}  // namespace ls::media_server
