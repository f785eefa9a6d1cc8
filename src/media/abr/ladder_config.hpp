// The ABR ladder's configuration (SPEC §5): the rungs a media server offers
// besides "original", their syntax in the config file, and the transcoding
// options. Header-only and free of FFmpeg on purpose: the app's config
// parser (and its fuzz target, which links only `core`) validates the abr.*
// keys with it without linking the transcoder.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace ls::abr {

// One configured rung: "720p:1280x720:3000k".
struct RenditionSpec {
  std::string name;            // playlist directory: /hls/<key>/<name>/index.m3u8
  std::uint32_t maxWidth = 0;  // the box the picture must fit in; the width is
  std::uint32_t height = 0;    // normally height x the input's aspect ratio
  std::uint64_t bitrate = 0;   // video bits/s handed to x264 (VBV max rate too)

  friend bool operator==(const RenditionSpec&, const RenditionSpec&) = default;
};

// 1080p 5 Mbit/s, 720p 3 Mbit/s, 480p 1.2 Mbit/s, 360p 0.8 Mbit/s (SPEC §5).
inline std::vector<RenditionSpec> defaultLadder();

// "name:WxH:bitrate, ..." with bitrate as bits/s or with a k/M suffix
// ("5000k", "5M"). Names are 1..32 of [A-Za-z0-9_-] and not "original";
// W and H are even, 32..7680 and 32..4320; at most 8 rungs with distinct
// names. Errors say which entry is wrong and why.
inline Result<std::vector<RenditionSpec>> parseLadder(std::string_view text);
// The inverse, in the same syntax ("720p:1280x720:3M").
inline std::string formatLadder(const std::vector<RenditionSpec>& ladder);

// What x264's presets are called; "veryfast" is ours by default.
inline bool isX264Preset(std::string_view preset);

// Transcoding settings of a media server (config keys abr.*).
struct AbrOptions {
  bool enabled = true;
  std::vector<RenditionSpec> ladder = defaultLadder();
  std::string x264Preset = "veryfast";
  // A transcoder whose frames wait in its queue longer than this (the
  // machine cannot keep up) drops its most expensive rendition; again after
  // each further maxLagMs if it is still behind.
  std::int64_t maxLagMs = 2000;
  // Bound of the queue between the media loop and the transcoder thread.
  std::size_t queueBytes = std::size_t{4} << 20;
  std::size_t queueItems = 1024;
};

// ---------------------------------------------------------------- details

namespace ladder_detail {

inline constexpr std::size_t kMaxRungs = 8;
inline constexpr std::size_t kMaxNameLength = 32;
inline constexpr std::uint32_t kMinSide = 32;
inline constexpr std::uint32_t kMaxWidth = 7680;
inline constexpr std::uint32_t kMaxHeight = 4320;
inline constexpr std::uint64_t kMinBitrate = 64'000;
inline constexpr std::uint64_t kMaxBitrate = 100'000'000;

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

inline bool parseUnsigned(std::string_view text, std::uint64_t& out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

inline Status parseName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return invalidArgument("name must be 1 to 32 characters");
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return invalidArgument("name '" + std::string(name) + "' may use only letters, digits, '_' and '-'");
  }
  // The input's own rendition (SPEC §5).
  if (name == "original") return invalidArgument("'original' is the input's own rendition");
  return Status::ok();
}

inline Status parseSize(std::string_view text, RenditionSpec& spec) {
  const std::size_t x = text.find('x');
  std::uint64_t w = 0;
  std::uint64_t h = 0;
  if (x == std::string_view::npos || !parseUnsigned(text.substr(0, x), w) || !parseUnsigned(text.substr(x + 1), h)) {
    return invalidArgument("size '" + std::string(text) + "' is not WIDTHxHEIGHT");
  }
  if (w < kMinSide || w > kMaxWidth || h < kMinSide || h > kMaxHeight) {
    return invalidArgument("size " + std::string(text) + " is outside 32x32..7680x4320");
  }
  // 4:2:0 chroma halves both dimensions.
  if (w % 2 != 0 || h % 2 != 0) return invalidArgument("size " + std::string(text) + " must have even sides");
  spec.maxWidth = static_cast<std::uint32_t>(w);
  spec.height = static_cast<std::uint32_t>(h);
  return Status::ok();
}

inline Status parseBitrate(std::string_view text, std::uint64_t& out) {
  std::uint64_t multiplier = 1;
  std::string_view digits = text;
  if (!digits.empty() && (digits.back() == 'k' || digits.back() == 'K')) {
    multiplier = 1000;
    digits.remove_suffix(1);
  } else if (!digits.empty() && digits.back() == 'M') {
    multiplier = 1'000'000;
    digits.remove_suffix(1);
  }
  std::uint64_t value = 0;
  if (!parseUnsigned(digits, value) || value > kMaxBitrate) {
    return invalidArgument("bitrate '" + std::string(text) + "' is not a number of bits/s (e.g. 3000k or 3M)");
  }
  value *= multiplier;
  if (value < kMinBitrate || value > kMaxBitrate) {
    return invalidArgument("bitrate " + std::string(text) + " is outside 64k..100M");
  }
  out = value;
  return Status::ok();
}

inline Result<RenditionSpec> parseRung(std::string_view item) {
  const std::size_t first = item.find(':');
  const std::size_t second = first == std::string_view::npos ? first : item.find(':', first + 1);
  if (second == std::string_view::npos || item.find(':', second + 1) != std::string_view::npos) {
    return invalidArgument("expected name:WIDTHxHEIGHT:bitrate");
  }
  RenditionSpec spec;
  const std::string_view name = trim(item.substr(0, first));
  LS_RETURN_IF_ERROR(parseName(name));
  spec.name = std::string(name);
  LS_RETURN_IF_ERROR(parseSize(trim(item.substr(first + 1, second - first - 1)), spec));
  LS_RETURN_IF_ERROR(parseBitrate(trim(item.substr(second + 1)), spec.bitrate));
  return spec;
}

}  // namespace ladder_detail

inline std::vector<RenditionSpec> defaultLadder() {
  return {
      {"1080p", 1920, 1080, 5'000'000},
      {"720p", 1280, 720, 3'000'000},
      {"480p", 854, 480, 1'200'000},
      {"360p", 640, 360, 800'000},
  };
}

inline Result<std::vector<RenditionSpec>> parseLadder(std::string_view text) {
  std::vector<RenditionSpec> out;
  text = ladder_detail::trim(text);
  if (text.empty()) {
    return invalidArgument("lists no rendition (turn ABR off with abr.enabled = false instead)");
  }
  std::size_t index = 0;
  while (true) {
    ++index;
    const std::size_t comma = text.find(',');
    const std::string_view item = ladder_detail::trim(text.substr(0, comma));
    auto rung = ladder_detail::parseRung(item);
    if (!rung.ok()) {
      return invalidArgument("entry " + std::to_string(index) + " '" + std::string(item) +
                             "': " + rung.status().message());
    }
    for (const RenditionSpec& existing : out) {
      if (existing.name == rung->name) return invalidArgument("rendition name '" + rung->name + "' appears twice");
    }
    out.push_back(std::move(*rung));
    if (out.size() > ladder_detail::kMaxRungs) return invalidArgument("at most 8 renditions");
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

inline std::string formatLadder(const std::vector<RenditionSpec>& ladder) {
  std::string out;
  for (const RenditionSpec& spec : ladder) {
    if (!out.empty()) out += ", ";
    out += spec.name + ":" + std::to_string(spec.maxWidth) + "x" + std::to_string(spec.height) + ":";
    if (spec.bitrate % 1'000'000 == 0) {
      out += std::to_string(spec.bitrate / 1'000'000) + "M";
    } else if (spec.bitrate % 1000 == 0) {
      out += std::to_string(spec.bitrate / 1000) + "k";
    } else {
      out += std::to_string(spec.bitrate);
    }
  }
  return out;
}

inline bool isX264Preset(std::string_view preset) {
  for (std::string_view known :
       {"ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"}) {
    if (preset == known) return true;
  }
  return false;
}

}  // namespace ls::abr
