// One live stream's source: protocol-neutral media in (codec configurations
// and access units, from whatever protocol session publishes), fanned out to
// every attached sink (the original rendition's HLS packager, the ABR
// transcoder; LL-HLS or recording are more sinks, not rewrites). It is
// itself a MediaSink, so a publisher feeds it like any other sink. Lives on
// the publisher's loop thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "media/core/sink.hpp"

namespace ls::media_server {

struct SourceStats {
  std::uint64_t videoFrames = 0;
  std::uint64_t audioFrames = 0;
};

class LiveSource final : public media::MediaSink {
 public:
  // Which tracks a stream has is known only from what it sends: codec
  // configurations come first (FFmpeg, OBS and GStreamer send the sequence
  // headers before any frame), so sinks are created at the first frame, from
  // the configs seen by then. A video-only or audio-only publisher gets sinks
  // for one track.
  using SinkFactory = std::function<void(LiveSource& source, bool hasVideo, bool hasAudio)>;
  explicit LiveSource(SinkFactory factory) : factory_(std::move(factory)) {}

  // A sink added after configs arrived gets them first.
  void addSink(std::unique_ptr<media::MediaSink> sink);

  void onVideoConfig(const media::VideoConfig& config) override;
  void onAudioConfig(const media::AudioConfig& config) override;
  void onVideoFrame(const media::VideoFrame& frame) override;
  void onAudioFrame(const media::AudioFrame& frame) override;
  // The publisher left: every sink ends. Idempotent; nothing passes after it.
  void onEnd() override;

  // What the publisher declared; read by the sink factory at the first frame.
  void declareRates(const media::DeclaredRates& rates) { declaredRates_ = rates; }
  [[nodiscard]] const media::DeclaredRates& declaredRates() const { return declaredRates_; }

  [[nodiscard]] const SourceStats& stats() const { return stats_; }
  [[nodiscard]] const std::optional<media::VideoConfig>& videoConfig() const { return videoConfig_; }
  [[nodiscard]] const std::optional<media::AudioConfig>& audioConfig() const { return audioConfig_; }

 private:
  void createSinksOnce();

  SinkFactory factory_;
  bool sinksCreated_ = false;
  std::vector<std::unique_ptr<media::MediaSink>> sinks_;
  std::optional<media::VideoConfig> videoConfig_;
  std::optional<media::AudioConfig> audioConfig_;
  SourceStats stats_;
  media::DeclaredRates declaredRates_;
  bool ended_ = false;
};

}  // namespace ls::media_server
