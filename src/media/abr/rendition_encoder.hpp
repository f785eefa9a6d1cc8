// One ladder rendition's picture path: libswscale to the rendition's size,
// libx264 through libavcodec, AVCC access units out. Used on the transcoder
// thread only.
//
// x264 settings, and why:
// - keyframes only where the caller forces them (scenecut off, keyint
//   infinite, forced frames as IDR): the caller forces one at each of the
//   input's keyframes, so every rendition's segmenter cuts exactly where the
//   original's does (SPEC §5: keyframe-aligned renditions);
// - no B-frames: pictures come out in the order they went in, one packet
//   each, so each can carry the decode timestamp the caller assigns it (the
//   input's, see TranscodePipeline) and a rendition's keyframe gets exactly
//   the timestamps the input's had: segment boundaries match to the ms (also
//   keeps the latency down; costs some compression);
// - VBV max rate = the rung's bitrate, buffer = 2 s of it: the ladder's
//   figures are caps a player can plan with;
// - one thread per encoder: a stream's renditions run one after another on
//   its transcoder thread, and frame threads would add latency and memory.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "media/abr/timestamp_ring.hpp"
#include "media/core/frame.hpp"

struct AVCodecContext;
struct AVFrame;
struct AVPacket;
struct SwsContext;

namespace ls::abr {

struct EncoderSettings {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint64_t bitrate = 0;  // bits/s
  std::string preset = "veryfast";
  double frameRate = 0;  // of the input; 0: unknown (x264 assumes 30 for its level choice)
};

class RenditionEncoder {
 public:
  static Result<std::unique_ptr<RenditionEncoder>> open(const EncoderSettings& settings);
  ~RenditionEncoder();
  RenditionEncoder(const RenditionEncoder&) = delete;
  RenditionEncoder& operator=(const RenditionEncoder&) = delete;

  [[nodiscard]] const EncoderSettings& settings() const { return settings_; }
  // SPS/PPS, profile and level as x264 wrote them; frameRate from the settings.
  [[nodiscard]] const media::VideoConfig& config() const { return config_; }

  // Scales one decoded picture (any size and pixel format libswscale reads)
  // and encodes it with timestamps `pts` and `dts` (ms, dts <= pts, both
  // increasing from picture to picture). `keyframe` forces an IDR. `tag`
  // comes back with the picture's access unit.
  Status send(const AVFrame& picture, std::int64_t pts, std::int64_t dts, bool keyframe, std::int64_t tag);
  // No more pictures: receive() returns what x264 still holds.
  void flush();
  struct Encoded {
    media::VideoFrame frame;  // AVCC with 4-byte lengths, valid until the next receive()
    std::int64_t tag = 0;
  };
  // The next encoded access unit; nullopt when x264 needs more pictures first.
  std::optional<Encoded> receive();

 private:
  explicit RenditionEncoder(EncoderSettings settings) : settings_(std::move(settings)) {}

  EncoderSettings settings_;
  media::VideoConfig config_;
  AVCodecContext* ctx_ = nullptr;
  SwsContext* scaler_ = nullptr;
  AVFrame* scaled_ = nullptr;
  AVPacket* packet_ = nullptr;
  std::vector<std::uint8_t> avcc_;
  // Decode timestamps and tags of the pictures inside x264 (its lookahead), in order.
  struct Pending {
    std::int64_t dts = 0;
    std::int64_t tag = 0;
  };
  TimestampRing<Pending, 256> pending_;
  std::int64_t lastPts_ = 0;
  std::int64_t lastDts_ = 0;
  bool sentAny_ = false;
};

}  // namespace ls::abr
