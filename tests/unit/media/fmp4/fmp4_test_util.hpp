// Test configs and a trun decoder for the media_fmp4 tests.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "media/core/frame.hpp"
#include "media/fmp4/box_reader.hpp"

namespace ls::fmp4::testing {

inline media::VideoConfig videoConfig(std::uint8_t naluLengthSize = 4) {
  media::VideoConfig c;
  c.sps = {{0x67, 0x64, 0x00, 0x1f, 0xac, 0xd9}};
  c.pps = {{0x68, 0xeb, 0xe3, 0xcb}};
  c.naluLengthSize = naluLengthSize;
  c.profileIdc = 0x64;
  c.constraintFlags = 0x00;
  c.levelIdc = 0x1f;
  c.width = 320;
  c.height = 240;
  c.frameRate = 30;
  return c;
}

inline media::AudioConfig audioConfig() {
  return media::AudioConfig{.objectType = 2, .sampleRateIndex = 4, .sampleRate = 44100, .channels = 2};
}

struct TrunEntry {
  std::uint32_t duration = 0;
  std::uint32_t size = 0;
  std::uint32_t flags = 0;
  std::int32_t compositionOffset = 0;
};

struct Trun {
  std::uint8_t version = 0;
  std::uint32_t flags = 0;
  std::int32_t dataOffset = 0;
  std::vector<TrunEntry> entries;
};

// Decodes a trun written with data offset, duration, size, flags and optional composition offsets.
inline Trun decodeTrun(const Box& trun) {
  Trun t;
  t.version = trun.body[0];
  t.flags = readU32(trun.body, 0) & 0xffffff;
  const std::uint32_t count = readU32(trun.body, 4);
  t.dataOffset = static_cast<std::int32_t>(readU32(trun.body, 8));
  const bool cto = (t.flags & 0x800) != 0;
  std::size_t at = 12;
  for (std::uint32_t i = 0; i < count; ++i) {
    TrunEntry e;
    e.duration = readU32(trun.body, at);
    e.size = readU32(trun.body, at + 4);
    e.flags = readU32(trun.body, at + 8);
    at += 12;
    if (cto) {
      e.compositionOffset = static_cast<std::int32_t>(readU32(trun.body, at));
      at += 4;
    }
    t.entries.push_back(e);
  }
  return t;
}

// The trafs of a fragment's moof, in order.
inline std::vector<Box> trafs(std::span<const std::uint8_t> fragment) {
  std::vector<Box> out;
  const auto moof = findBox(fragment, "moof");
  if (!moof) return out;
  auto children = childBoxes(*moof);
  if (!children.ok()) return out;
  for (const Box& b : *children) {
    if (b.type == boxType("traf")) out.push_back(b);
  }
  return out;
}

inline Box child(const Box& parent, const char (&type)[5]) {
  auto children = childBoxes(parent);
  for (const Box& b : *children) {
    if (b.type == boxType(type)) return b;
  }
  return {};
}

}  // namespace ls::fmp4::testing
