#include "media/abr/video_decoder.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <libavutil/mem.h>
}

#include <algorithm>
#include <cstring>
#include <limits>

#include "media/abr/ffmpeg_error.hpp"
#include "media/flv/avc_decoder_config.hpp"

namespace ls::abr {

namespace {
constexpr std::int64_t kNoTimestamp = std::numeric_limits<std::int64_t>::min();  // AV_NOPTS_VALUE
}

Result<std::unique_ptr<VideoDecoder>> VideoDecoder::open(const media::VideoConfig& config) {
  const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_H264);
  if (codec == nullptr) return unavailable("libavcodec has no H.264 decoder");
  auto record = flv::buildAvcDecoderConfigurationRecord(config);
  if (!record.ok()) return invalidArgument("video config: " + record.status().message());

  std::unique_ptr<VideoDecoder> d(new VideoDecoder());
  d->ctx_ = avcodec_alloc_context3(codec);
  d->packet_ = av_packet_alloc();
  d->frame_ = av_frame_alloc();
  if (d->ctx_ == nullptr || d->packet_ == nullptr || d->frame_ == nullptr) return unavailable("out of memory");
  // libavcodec reads extradata with SIMD loads: it must be padded and zeroed.
  const std::size_t size = record->size();
  auto* extradata = static_cast<std::uint8_t*>(av_mallocz(size + AV_INPUT_BUFFER_PADDING_SIZE));
  if (extradata == nullptr) return unavailable("out of memory");
  std::memcpy(extradata, record->data(), size);
  d->ctx_->extradata = extradata;
  d->ctx_->extradata_size = static_cast<int>(size);
  d->ctx_->thread_count = 1;
  d->ctx_->pkt_timebase = AVRational{1, 1000};
  if (const int err = avcodec_open2(d->ctx_, codec, nullptr); err < 0) {
    return ffmpegError("opening the H.264 decoder", err);
  }
  return d;
}

VideoDecoder::~VideoDecoder() {
  av_frame_free(&frame_);
  av_packet_free(&packet_);
  av_buffer_unref(&packetBuffer_);
  avcodec_free_context(&ctx_);
}

Status VideoDecoder::send(std::span<const std::uint8_t> avcc, std::int64_t dts, std::int64_t pts, bool keyframe) {
  const std::size_t needed = avcc.size() + AV_INPUT_BUFFER_PADDING_SIZE;
  // The decoder may keep a reference to the previous packet's buffer only
  // while it works on it; once it let go, the buffer is ours to overwrite.
  if (packetBuffer_ == nullptr || av_buffer_is_writable(packetBuffer_) == 0 ||
      static_cast<std::size_t>(packetBuffer_->size) < needed) {
    const std::size_t capacity =
        std::max(needed, packetBuffer_ == nullptr ? 0 : static_cast<std::size_t>(packetBuffer_->size));
    av_buffer_unref(&packetBuffer_);
    packetBuffer_ = av_buffer_alloc(capacity);
    if (packetBuffer_ == nullptr) return unavailable("out of memory");
  }
  if (!avcc.empty()) std::memcpy(packetBuffer_->data, avcc.data(), avcc.size());
  std::memset(packetBuffer_->data + avcc.size(), 0, AV_INPUT_BUFFER_PADDING_SIZE);

  packet_->buf = av_buffer_ref(packetBuffer_);
  if (packet_->buf == nullptr) return unavailable("out of memory");
  packet_->data = packetBuffer_->data;
  packet_->size = static_cast<int>(avcc.size());
  packet_->dts = dts;
  packet_->pts = pts;
  packet_->flags = keyframe ? AV_PKT_FLAG_KEY : 0;
  const int err = avcodec_send_packet(ctx_, packet_);
  av_packet_unref(packet_);
  if (err < 0) return ffmpegError("decoding", err);
  return Status::ok();
}

void VideoDecoder::flush() {
  (void)avcodec_send_packet(ctx_, nullptr);
}

const AVFrame* VideoDecoder::receive() {
  av_frame_unref(frame_);
  if (avcodec_receive_frame(ctx_, frame_) < 0) return nullptr;
  if (frame_->pts == kNoTimestamp) frame_->pts = frame_->best_effort_timestamp;
  return frame_;
}

}  // namespace ls::abr
