// The byte layout the ts_mux_input fuzz target decodes, and an encoder for
// building seeds from real streams (tests/unit/media/ts/fuzz_seeds_test.cpp).
// Integers are big-endian; a length larger than what is left is clamped.
//
//   u8 options: bit 0 = muxer without video, bit 1 = muxer without audio
//   video config: u8 naluLengthSize, u16 length + SPS, u16 length + PPS
//   audio config: u8 objectType, u8 sampleRateIndex, u8 channels
//   ops until the end, each a u8 kind:
//     0 video frame: u8 keyframe, i32 dts, i32 compositionOffset, u32 length + AVCC
//     1 audio frame: i32 pts, u32 length + raw
//     2 tables
//     3 video config (as above)
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "media/core/frame.hpp"

namespace ls::fuzz::ts_mux_input {

enum Op : std::uint8_t { kVideo = 0, kAudio = 1, kTables = 2, kVideoConfig = 3, kOpCount = 4 };

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> data) : data_(data) {}
  [[nodiscard]] bool empty() const { return pos_ >= data_.size(); }
  std::uint32_t u(int bytes) {
    std::uint32_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | (pos_ < data_.size() ? data_[pos_++] : 0U);
    return v;
  }
  std::span<const std::uint8_t> bytes(std::uint32_t n) {
    const std::size_t take = std::min<std::size_t>(n, data_.size() - std::min(pos_, data_.size()));
    auto out = data_.subspan(std::min(pos_, data_.size()), take);
    pos_ += take;
    return out;
  }
  media::VideoConfig videoConfig() {
    media::VideoConfig c;
    c.naluLengthSize = static_cast<std::uint8_t>(u(1));
    const auto sps = bytes(u(2));
    c.sps.emplace_back(sps.begin(), sps.end());
    const auto pps = bytes(u(2));
    c.pps.emplace_back(pps.begin(), pps.end());
    return c;
  }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
};

class Writer {
 public:
  void u(std::uint32_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void bytes(std::span<const std::uint8_t> b, int lengthBytes) {
    u(static_cast<std::uint32_t>(b.size()), lengthBytes);
    out.insert(out.end(), b.begin(), b.end());
  }
  void videoConfig(const media::VideoConfig& c) {
    u(c.naluLengthSize, 1);
    bytes(c.sps.empty() ? std::span<const std::uint8_t>() : std::span<const std::uint8_t>(c.sps[0]), 2);
    bytes(c.pps.empty() ? std::span<const std::uint8_t>() : std::span<const std::uint8_t>(c.pps[0]), 2);
  }
  void header(bool video, bool audio, const media::VideoConfig& v, const media::AudioConfig& a) {
    u((video ? 0U : 1U) | (audio ? 0U : 2U), 1);
    videoConfig(v);
    u(a.objectType, 1);
    u(a.sampleRateIndex, 1);
    u(a.channels, 1);
  }
  void videoFrame(const media::VideoFrame& f) {
    u(kVideo, 1);
    u(f.keyframe ? 1U : 0U, 1);
    u(static_cast<std::uint32_t>(f.dts), 4);
    u(static_cast<std::uint32_t>(f.compositionOffset), 4);
    bytes(f.avcc, 4);
  }
  void audioFrame(const media::AudioFrame& f) {
    u(kAudio, 1);
    u(static_cast<std::uint32_t>(f.pts), 4);
    bytes(f.raw, 4);
  }
  void tables() { u(kTables, 1); }

  std::vector<std::uint8_t> out;
};

}  // namespace ls::fuzz::ts_mux_input
