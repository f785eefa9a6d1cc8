// H.264 decoding with libavcodec: AVCC access units (as FLV carries them) in,
// decoded pictures out, in presentation order. One per transcoder; used on
// the transcoder thread only. FFmpeg types stay out of this header except as
// opaque pointers.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "core/status.hpp"
#include "media/core/frame.hpp"

struct AVCodecContext;
struct AVFrame;
struct AVPacket;
struct AVBufferRef;

namespace ls::abr {

class VideoDecoder {
 public:
  // A decoder for the stream described by `config` (its SPS/PPS become the
  // avcC extradata). One decoding thread: transcoding parallelism comes from
  // streams, and frame threads would add a frame of latency each.
  static Result<std::unique_ptr<VideoDecoder>> open(const media::VideoConfig& config);
  ~VideoDecoder();
  VideoDecoder(const VideoDecoder&) = delete;
  VideoDecoder& operator=(const VideoDecoder&) = delete;

  // Feeds one access unit; timestamps in ms. Copies the payload into a
  // reused, padded packet buffer. A decoding error is returned but leaves the
  // decoder usable (the next keyframe recovers).
  Status send(std::span<const std::uint8_t> avcc, std::int64_t dts, std::int64_t pts, bool keyframe);
  // Asks for the pictures still held for reordering; receive() them next.
  void flush();
  // The next decoded picture (pts in ms), valid until the next receive();
  // nullptr when the decoder needs more input (or, after flush, is empty).
  const AVFrame* receive();

 private:
  VideoDecoder() = default;

  AVCodecContext* ctx_ = nullptr;
  AVPacket* packet_ = nullptr;
  AVBufferRef* packetBuffer_ = nullptr;  // reused while nobody else holds a reference
  AVFrame* frame_ = nullptr;
};

}  // namespace ls::abr
