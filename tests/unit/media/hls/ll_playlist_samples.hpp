// LL-HLS media playlists in the shapes the origin serves (live edge at
// several phases, a reconnect discontinuity, delta updates, the end), shared
// by the unit tests and ll_playlist_samples (which prints them for the strict
// hls-parser check in tests/integration/ll_playlist_parser.test.js).
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "media/hls/ll_playlist.hpp"
#include "media/hls/part_cutter.hpp"

namespace ls::hls::testing {

inline constexpr UnixMillis kLlT0 = 1768241558918;  // 2026-01-12T18:12:38.918Z

inline std::string partUri(std::uint64_t msn, std::size_t index) {
  return "seg" + std::to_string(msn) + "." + std::to_string(index) + ".m4s";
}

// `count` parts of `partMs` (the first independent), as the PartCutter cuts a
// segment of count x partMs that starts on a keyframe.
inline std::vector<LlPart> llParts(std::uint64_t msn, std::size_t count, std::int64_t partMs) {
  std::vector<LlPart> parts;
  for (std::size_t i = 0; i < count; ++i) parts.push_back({partUri(msn, i), partMs, i == 0});
  return parts;
}

// A live rendition: `finished` segments of 2 s from msn `first` (10 parts of
// 200 ms each), then an open segment with `openParts` parts, the preload hint
// naming the next part, and one rendition report.
inline LlMediaPlaylist llLive(std::uint64_t first, std::size_t finished, std::size_t openParts) {
  LlMediaPlaylist p;
  p.targetDurationSec = 2;
  p.partTargetMs = 200;
  p.mediaSequence = first;
  for (std::size_t i = 0; i < finished; ++i) {
    const std::uint64_t msn = first + i;
    p.segments.push_back({"seg" + std::to_string(msn) + ".m4s", 2000,
                          kLlT0 + static_cast<std::int64_t>(i) * 2000, false, llParts(msn, 10, 200), {}});
  }
  const std::uint64_t open = first + finished;
  p.openParts = llParts(open, openParts, 200);
  p.openProgramDateTime = kLlT0 + static_cast<std::int64_t>(finished) * 2000;
  p.preloadHintUri = partUri(open, openParts);
  const std::uint64_t lastPartOwner = openParts > 0 || finished == 0 ? open : open - 1;
  const std::uint64_t lastPart = openParts > 0 ? openParts - 1 : 9;
  p.renditionReports.push_back({"../720p/ll.m3u8", lastPartOwner, lastPart});
  return p;
}

// A live rendition cut by the PartCutter: frames (or AAC frames) at `rate` per
// second with whole-ms timestamps, a keyframe (segment) every 2 s, against the
// part target declared for the configured 200 ms; 8 finished segments and
// the open one's parts.
inline LlMediaPlaylist llCut(double rate, bool video) {
  const double interval = 1000.0 / rate;
  const std::int64_t declared = declaredPartTargetMs(200, interval);
  const int gop = static_cast<int>(2 * rate + 0.5);
  PartCutter cutter({declared, video});
  cutter.segmentStarted(0);
  LlMediaPlaylist p;
  p.targetDurationSec = 2;
  p.partTargetMs = declared;
  p.mediaSequence = 900;
  std::uint64_t msn = 900;
  std::int64_t partStart = 0;
  std::int64_t segmentStart = 0;
  const auto ts = [&](int i) { return static_cast<std::int64_t>(i * interval + 0.5); };
  const int frames = gop * 8 + gop / 2;
  for (int i = 1; i <= frames; ++i) {
    const std::int64_t t = ts(i);
    const bool segmentCut = i % gop == 0;
    const bool cut = segmentCut || (video ? cutter.cutBeforeVideo(t) : cutter.cutBeforeAudio(t));
    if (!cut) continue;
    p.openParts.push_back({partUri(msn, p.openParts.size()), t - partStart, p.openParts.empty() || !video});
    partStart = t;
    if (!segmentCut) continue;
    cutter.segmentStarted(t);
    p.segments.push_back({"seg" + std::to_string(msn) + ".m4s", t - segmentStart, std::nullopt, false,
                          std::move(p.openParts), {}});
    p.openParts.clear();
    segmentStart = t;
    ++msn;
  }
  p.preloadHintUri = partUri(msn, p.openParts.size());
  p.renditionReports.push_back({"../360p/ll.m3u8", msn, p.openParts.empty() ? 0 : p.openParts.size() - 1});
  return p;
}

struct LlSample {
  std::string name;
  LlMediaPlaylist playlist;
  SkipRequest skip = SkipRequest::kNone;
};

inline std::vector<LlSample> llSamples() {
  std::vector<LlSample> out;
  out.push_back({"first part of the first segment", llLive(500, 0, 1)});
  out.push_back({"hint only, right after a segment cut", llLive(500, 3, 0)});
  for (std::size_t open = 0; open <= 10; open += 5) {
    out.push_back({"ten segments, " + std::to_string(open) + " open parts", llLive(500, 10, open)});
  }
  out.push_back({"delta update YES", llLive(500, 10, 4), SkipRequest::kYes});
  out.push_back({"delta update v2", llLive(500, 10, 4), SkipRequest::kV2});
  LlMediaPlaylist reconnect = llLive(500, 6, 2);
  reconnect.segments[2].discontinuityBefore = true;
  reconnect.openDiscontinuityBefore = true;
  reconnect.discontinuitySequence = 3;
  reconnect.renditionReports.push_back({"../360p/ll.m3u8", 505, std::nullopt});
  out.push_back({"reconnect discontinuities", reconnect});
  LlMediaPlaylist ended = llLive(500, 6, 0);
  ended.ended = true;
  ended.preloadHintUri.reset();
  out.push_back({"ended", ended, SkipRequest::kYes});
  LlMediaPlaylist shortLast = llLive(500, 4, 3);
  shortLast.segments.back().parts.back().durationMs = 120;  // a keyframe came early: short last part
  shortLast.segments.back().durationMs = 1920;
  out.push_back({"short last part of a segment", shortLast});
  for (const auto& [name, rate, video] : {std::tuple{"30 fps", 30.0, true}, std::tuple{"29.97 fps", 30000.0 / 1001.0, true},
                                          std::tuple{"25 fps", 25.0, true}, std::tuple{"24 fps", 24.0, true},
                                          std::tuple{"60 fps", 60.0, true}, std::tuple{"59.94 fps", 60000.0 / 1001.0, true},
                                          std::tuple{"AAC 44.1 kHz", 44100.0 / 1024.0, false},
                                          std::tuple{"AAC 48 kHz", 48000.0 / 1024.0, false}}) {
    out.push_back({std::string("parts cut at ") + name, llCut(rate, video)});
  }
  // A codec change mid-stream: seg505 on use init505.mp4 after a discontinuity.
  LlMediaPlaylist reinit = llLive(500, 10, 3);
  for (std::size_t i = 0; i < reinit.segments.size(); ++i) {
    reinit.segments[i].mapUri = i < 5 ? "init.mp4" : "init505.mp4";
  }
  reinit.segments[5].discontinuityBefore = true;
  reinit.mapUri = "init505.mp4";
  out.push_back({"codec change: a map per segment", reinit});
  out.push_back({"codec change: delta update", reinit, SkipRequest::kYes});
  return out;
}

}  // namespace ls::hls::testing
