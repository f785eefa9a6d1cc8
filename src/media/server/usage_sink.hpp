// Ingest metering: a sink behind a publish's LiveSource that counts the
// media time it receives (docs/platform.md "Usage metering"). Media time,
// not connection time: the timestamps' advance on the video track (audio
// when there is no video), plus the last frame's duration when it ends. A
// cheap add per frame on the media loop; the flusher does the rest.
#pragma once

#include <memory>
#include <utility>

#include "core/time.hpp"
#include "core/usage.hpp"
#include "media/core/sink.hpp"

namespace ls::media_server {

class UsageSink final : public media::MediaSink {
 public:
  UsageSink(std::shared_ptr<usage::StreamUsage> usage, const Clock& clock, bool hasVideo)
      : usage_(std::move(usage)), clock_(clock), hasVideo_(hasVideo) {}

  void onVideoConfig(const media::VideoConfig&) override {}
  void onAudioConfig(const media::AudioConfig&) override {}
  void onVideoFrame(const media::VideoFrame& frame) override;
  void onAudioFrame(const media::AudioFrame& frame) override;
  void onEnd() override;

 private:
  void count(std::int64_t ts);

  std::shared_ptr<usage::StreamUsage> usage_;
  const Clock& clock_;
  const bool hasVideo_;
  usage::MediaTimeCounter counter_;
  bool ended_ = false;
};

}  // namespace ls::media_server
