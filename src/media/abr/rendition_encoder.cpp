#include "media/abr/rendition_encoder.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/dict.h>
#include <libavutil/frame.h>
#include <libavutil/rational.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <limits>

#include "media/abr/annexb.hpp"
#include "media/abr/ffmpeg_error.hpp"

namespace ls::abr {

namespace {

// x264's own parameters that have no AVCodecContext field: keyframes come
// only from the caller (no scene cuts, no periodic ones), and no rate-control
// lookahead: the faster presets hold 10 frames (veryfast; up to 60 for the
// slower ones) before the first picture comes out, a third of a second that
// every LL-HLS part of a ladder rendition would lag the original's. B-frames
// are off (max_b_frames) and x264 runs one thread (no frame-thread delay).
constexpr const char* kX264Params = "scenecut=0:keyint=infinite:rc-lookahead=0";
constexpr double kAssumedFrameRate = 30.0;

int clampToInt(std::uint64_t value) {
  return static_cast<int>(std::min<std::uint64_t>(value, static_cast<std::uint64_t>(std::numeric_limits<int>::max())));
}

}  // namespace

Result<std::unique_ptr<RenditionEncoder>> RenditionEncoder::open(const EncoderSettings& settings) {
  if (settings.width == 0 || settings.height == 0 || settings.width % 2 != 0 || settings.height % 2 != 0) {
    return invalidArgument("rendition size must be even and non-zero");
  }
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (codec == nullptr) return unavailable("libavcodec was built without libx264");

  std::unique_ptr<RenditionEncoder> e(new RenditionEncoder(settings));
  e->ctx_ = avcodec_alloc_context3(codec);
  e->scaled_ = av_frame_alloc();
  e->packet_ = av_packet_alloc();
  if (e->ctx_ == nullptr || e->scaled_ == nullptr || e->packet_ == nullptr) return unavailable("out of memory");

  AVCodecContext& c = *e->ctx_;
  c.width = static_cast<int>(settings.width);
  c.height = static_cast<int>(settings.height);
  c.pix_fmt = AV_PIX_FMT_YUV420P;
  c.sample_aspect_ratio = AVRational{1, 1};
  // Timestamps stay in the source's milliseconds, so what comes out lines up
  // with the original rendition without any rescaling. x264 then runs in its
  // variable-frame-rate mode: rate control follows the real frame durations.
  c.time_base = AVRational{1, 1000};
  const double fps = settings.frameRate > 0 ? settings.frameRate : kAssumedFrameRate;
  c.framerate = av_d2q(fps, 1'001'000);  // for x264's level choice
  c.bit_rate = static_cast<std::int64_t>(settings.bitrate);
  c.rc_max_rate = static_cast<std::int64_t>(settings.bitrate);
  c.rc_buffer_size = clampToInt(2 * settings.bitrate);
  c.max_b_frames = 0;
  c.thread_count = 1;
  c.flags |= AV_CODEC_FLAG_GLOBAL_HEADER;  // SPS/PPS in extradata: our VideoConfig

  AVDictionary* options = nullptr;
  av_dict_set(&options, "preset", settings.preset.c_str(), 0);
  av_dict_set(&options, "forced-idr", "1", 0);
  av_dict_set(&options, "x264-params", kX264Params, 0);
  const int err = avcodec_open2(e->ctx_, codec, &options);
  av_dict_free(&options);
  if (err < 0)
    return ffmpegError("opening libx264 at " + std::to_string(settings.width) + "x" + std::to_string(settings.height),
                       err);

  auto config = videoConfigFromAnnexB(
      std::span<const std::uint8_t>(c.extradata, static_cast<std::size_t>(std::max(0, c.extradata_size))));
  if (!config.ok()) return config.status();
  e->config_ = std::move(*config);
  // x264's VUI timing describes its millisecond time base, not the frame
  // rate; the master playlist's FRAME-RATE is the input's.
  e->config_.frameRate = settings.frameRate;

  AVFrame& f = *e->scaled_;
  f.format = AV_PIX_FMT_YUV420P;
  f.width = c.width;
  f.height = c.height;
  if (const int allocErr = av_frame_get_buffer(e->scaled_, 0); allocErr < 0) {
    return ffmpegError("allocating the scaled picture", allocErr);
  }
  return e;
}

RenditionEncoder::~RenditionEncoder() {
  sws_freeContext(scaler_);
  av_frame_free(&scaled_);
  av_packet_free(&packet_);
  avcodec_free_context(&ctx_);
}

Status RenditionEncoder::send(const AVFrame& picture, std::int64_t pts, std::int64_t dts, bool keyframe,
                              std::int64_t tag) {
  // Cached: rebuilt only when the input's size or pixel format changes.
  scaler_ = sws_getCachedContext(scaler_, picture.width, picture.height, static_cast<AVPixelFormat>(picture.format),
                                 ctx_->width, ctx_->height, AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr, nullptr, nullptr);
  if (scaler_ == nullptr) return invalidArgument("libswscale cannot convert this picture");
  // The encoder copied the previous picture into its own frames; this is a
  // no-op unless something still holds a reference to ours.
  if (const int err = av_frame_make_writable(scaled_); err < 0) return ffmpegError("reusing the scaled picture", err);
  sws_scale(scaler_, picture.data, picture.linesize, 0, picture.height, scaled_->data, scaled_->linesize);

  // x264 wants strictly increasing timestamps; a source that repeats one
  // (millisecond rounding at high frame rates) gets nudged by 1 ms.
  if (sentAny_ && pts <= lastPts_) pts = lastPts_ + 1;
  if (sentAny_ && dts < lastDts_) dts = lastDts_;
  dts = std::min(dts, pts);
  lastPts_ = pts;
  lastDts_ = dts;
  sentAny_ = true;
  scaled_->pts = pts;
  scaled_->pict_type = keyframe ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
  if (const int err = avcodec_send_frame(ctx_, scaled_); err < 0) return ffmpegError("encoding", err);
  pending_.push({dts, tag});
  return Status::ok();
}

void RenditionEncoder::flush() {
  (void)avcodec_send_frame(ctx_, nullptr);
}

std::optional<RenditionEncoder::Encoded> RenditionEncoder::receive() {
  av_packet_unref(packet_);
  if (avcodec_receive_packet(ctx_, packet_) < 0) return std::nullopt;
  annexBToAvcc(std::span<const std::uint8_t>(packet_->data, static_cast<std::size_t>(packet_->size)), avcc_);
  Encoded out;
  media::VideoFrame& frame = out.frame;
  // One packet per picture, in order (no B-frames): this is that picture's.
  frame.dts = pending_.empty() ? packet_->dts : std::min(pending_.front().dts, packet_->pts);
  out.tag = pending_.empty() ? 0 : pending_.front().tag;
  pending_.pop();
  frame.compositionOffset = static_cast<std::int32_t>(
      std::clamp<std::int64_t>(packet_->pts - frame.dts, 0, std::numeric_limits<std::int32_t>::max()));
  frame.keyframe = (packet_->flags & AV_PKT_FLAG_KEY) != 0;
  frame.avcc = avcc_;
  return out;
}

}  // namespace ls::abr
