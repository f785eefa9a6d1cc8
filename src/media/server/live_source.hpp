// One live stream's source: FLV tag bodies from a publisher in, codec
// configurations and access units fanned out to every attached sink (the
// original rendition's HLS packager today; transcoders, LL-HLS or recording
// are more sinks, not rewrites). Lives on the publisher's loop thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/status.hpp"
#include "media/core/sink.hpp"

namespace ls::media_server {

struct SourceStats {
  std::uint64_t videoFrames = 0;
  std::uint64_t audioFrames = 0;
  std::uint64_t rejectedTags = 0;  // unsupported codec or malformed tag
};

class LiveSource {
 public:
  // Which tracks a stream has is known only from what it sends: the
  // sequence headers come first (FFmpeg, OBS and GStreamer send them before
  // any frame), so sinks are created at the first frame, from the configs
  // seen by then. A video-only or audio-only publisher gets sinks for one track.
  using SinkFactory = std::function<void(LiveSource& source, bool hasVideo, bool hasAudio)>;
  explicit LiveSource(SinkFactory factory) : factory_(std::move(factory)) {}

  // A sink added after configs arrived gets them first.
  void addSink(std::unique_ptr<media::MediaSink> sink);

  // Bodies of RTMP video/audio messages. A malformed or unsupported tag is
  // counted and reported, never forwarded.
  Status pushVideoTag(std::int64_t timestampMs, std::span<const std::uint8_t> body);
  Status pushAudioTag(std::int64_t timestampMs, std::span<const std::uint8_t> body);
  // The publisher left: every sink ends. Idempotent.
  void end();

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
  bool ended_ = false;
};

}  // namespace ls::media_server
