// Real H.264 for the transcoder tests, made with libavcodec + libx264 the way
// a publisher's encoder makes it (B-frames, a fixed GOP, AVCC access units
// and an avcC-style config), from synthetic moving pictures.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
}

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "media/abr/annexb.hpp"
#include "media/core/frame.hpp"

namespace ls::abr::testing {

struct SourceFrame {
  std::int64_t dts = 0;
  std::int32_t compositionOffset = 0;
  bool keyframe = false;
  std::vector<std::uint8_t> avcc;
  [[nodiscard]] std::int64_t pts() const { return dts + compositionOffset; }
  [[nodiscard]] media::VideoFrame view() const { return {dts, compositionOffset, keyframe, avcc}; }
};

struct SourceOptions {
  int width = 320;
  int height = 180;
  int fps = 30;
  int gop = 15;  // frames between keyframes
  int bframes = 2;
};

class H264TestSource {
 public:
  explicit H264TestSource(SourceOptions o) : o_(o) {
    av_log_set_level(AV_LOG_ERROR);  // x264's statistics at every close are noise here
    const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
    if (codec == nullptr) throw std::runtime_error("no libx264");
    ctx_ = avcodec_alloc_context3(codec);
    ctx_->width = o.width;
    ctx_->height = o.height;
    ctx_->pix_fmt = AV_PIX_FMT_YUV420P;
    ctx_->time_base = AVRational{1, 1000};
    ctx_->framerate = AVRational{o.fps, 1};
    ctx_->gop_size = o.gop;
    ctx_->keyint_min = o.gop;
    ctx_->max_b_frames = o.bframes;
    ctx_->bit_rate = 400'000;
    ctx_->thread_count = 1;
    ctx_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av_opt_set(ctx_->priv_data, "preset", "ultrafast", 0);
    av_opt_set(ctx_->priv_data, "x264-params", o.bframes > 0 ? "scenecut=0:bframes=2:b-adapt=0" : "scenecut=0", 0);
    if (avcodec_open2(ctx_, codec, nullptr) < 0) throw std::runtime_error("cannot open libx264");
    auto config = videoConfigFromAnnexB({ctx_->extradata, static_cast<std::size_t>(ctx_->extradata_size)});
    if (!config.ok()) throw std::runtime_error(config.status().message());
    config_ = *config;
    config_.frameRate = o.fps;
    frame_ = av_frame_alloc();
    frame_->format = AV_PIX_FMT_YUV420P;
    frame_->width = o.width;
    frame_->height = o.height;
    av_frame_get_buffer(frame_, 0);
    packet_ = av_packet_alloc();
  }
  ~H264TestSource() {
    av_packet_free(&packet_);
    av_frame_free(&frame_);
    avcodec_free_context(&ctx_);
  }
  H264TestSource(const H264TestSource&) = delete;
  H264TestSource& operator=(const H264TestSource&) = delete;

  [[nodiscard]] const media::VideoConfig& config() const { return config_; }

  // Encodes `count` more pictures starting at `startMs`; returns every access
  // unit x264 gave back (in decode order), all of them when flush is set.
  std::vector<SourceFrame> encode(int count, std::int64_t startMs, bool flush = true) {
    std::vector<SourceFrame> out;
    for (int i = 0; i < count; ++i) {
      av_frame_make_writable(frame_);
      const int n = picture_++;
      for (int y = 0; y < o_.height; ++y) {
        for (int x = 0; x < o_.width; ++x) {
          frame_->data[0][y * frame_->linesize[0] + x] = static_cast<std::uint8_t>((x + y + 3 * n) & 0xff);
        }
      }
      for (int p = 1; p <= 2; ++p) {
        for (int y = 0; y < o_.height / 2; ++y) {
          for (int x = 0; x < o_.width / 2; ++x) {
            frame_->data[p][y * frame_->linesize[p] + x] = static_cast<std::uint8_t>(128 + ((x * p + n) & 31));
          }
        }
      }
      frame_->pts = startMs + (std::int64_t{i} * 1000 + o_.fps / 2) / o_.fps;
      frame_->pict_type = AV_PICTURE_TYPE_NONE;
      EXPECT_GE(avcodec_send_frame(ctx_, frame_), 0);
      drain(out);
    }
    if (flush) {
      avcodec_send_frame(ctx_, nullptr);
      drain(out);
    }
    return out;
  }

 private:
  void drain(std::vector<SourceFrame>& out) {
    while (avcodec_receive_packet(ctx_, packet_) >= 0) {
      SourceFrame f;
      f.dts = packet_->dts;
      f.compositionOffset = static_cast<std::int32_t>(packet_->pts - packet_->dts);
      f.keyframe = (packet_->flags & AV_PKT_FLAG_KEY) != 0;
      annexBToAvcc({packet_->data, static_cast<std::size_t>(packet_->size)}, f.avcc);
      out.push_back(std::move(f));
      av_packet_unref(packet_);
    }
  }

  SourceOptions o_;
  AVCodecContext* ctx_ = nullptr;
  AVFrame* frame_ = nullptr;
  AVPacket* packet_ = nullptr;
  media::VideoConfig config_;
  int picture_ = 0;
};

}  // namespace ls::abr::testing
