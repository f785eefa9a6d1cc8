#include "media/hls/playlist.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace ls::hls {

namespace {

template <typename Int>
void appendInt(std::string& out, Int value) {
  std::array<char, 24> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  (void)ec;  // 24 chars hold any 64-bit integer
  // Pointer + length, not the iterator-pair overload: that one goes through
  // replace(), where GCC 12 at -O3 reports a bogus -Wrestrict (GCC bug 105329).
  out.append(buf.data(), static_cast<std::size_t>(end - buf.data()));
}

void appendSeconds(std::string& out, std::int64_t ms) {
  if (ms < 0) ms = 0;
  appendInt(out, ms / 1000);
  const auto frac = static_cast<int>(ms % 1000);
  out.push_back('.');
  out.push_back(static_cast<char>('0' + frac / 100));
  out.push_back(static_cast<char>('0' + frac / 10 % 10));
  out.push_back(static_cast<char>('0' + frac % 10));
}

}  // namespace

std::int64_t targetDurationFor(std::int64_t durationMs) {
  // RFC 8216 §4.3.3.1: each EXTINF rounded to the nearest integer must not
  // exceed the target. Rounding (not ceiling) keeps a 2.023 s segment at
  // target 2, which matters: players start and stay target-multiples behind
  // the live edge.
  if (durationMs < 1500) return 1;
  return (durationMs + 500) / 1000;
}

std::string formatMillisAsSeconds(std::int64_t ms) {
  std::string out;
  appendSeconds(out, ms);
  return out;
}

std::string renderMediaPlaylist(const MediaPlaylist& playlist) {
  std::string out;
  // Header ~150 bytes; each segment ~70 bytes with its date-time line.
  out.reserve(160 + playlist.segments.size() * 96);
  out += "#EXTM3U\n#EXT-X-VERSION:";
  appendInt(out, playlist.version);
  out += "\n#EXT-X-TARGETDURATION:";
  appendInt(out, playlist.targetDurationSec < 1 ? std::int64_t{1} : playlist.targetDurationSec);
  out += "\n#EXT-X-MEDIA-SEQUENCE:";
  appendInt(out, playlist.mediaSequence);
  // Always present: RFC 8216 §6.2.2 requires it once a segment that follows an
  // EXT-X-DISCONTINUITY may slide out, and a reconnect can add one at any time.
  out += "\n#EXT-X-DISCONTINUITY-SEQUENCE:";
  appendInt(out, playlist.discontinuitySequence);
  out += '\n';
  for (const PlaylistSegment& s : playlist.segments) {
    if (s.discontinuityBefore) out += "#EXT-X-DISCONTINUITY\n";
    if (s.programDateTime) {
      out += "#EXT-X-PROGRAM-DATE-TIME:";
      out += formatIso8601(*s.programDateTime);
      out += '\n';
    }
    out += "#EXTINF:";
    appendSeconds(out, s.durationMs);
    out += ",\n";
    out += s.uri;
    out += '\n';
  }
  if (playlist.ended) out += "#EXT-X-ENDLIST\n";
  return out;
}

std::string renderMasterPlaylist(const std::vector<Variant>& variants) {
  std::string out;
  out.reserve(32 + variants.size() * 160);
  out += "#EXTM3U\n#EXT-X-VERSION:";
  appendInt(out, kPlaylistVersion);
  out += '\n';
  for (const Variant& v : variants) {
    out += "#EXT-X-STREAM-INF:BANDWIDTH=";
    appendInt(out, v.bandwidth);
    if (v.averageBandwidth > 0) {
      out += ",AVERAGE-BANDWIDTH=";
      appendInt(out, v.averageBandwidth);
    }
    if (v.width > 0 && v.height > 0) {
      out += ",RESOLUTION=";
      appendInt(out, v.width);
      out += 'x';
      appendInt(out, v.height);
    }
    if (!v.codecs.empty()) {
      out += ",CODECS=\"";
      out += v.codecs;
      out += '"';
    }
    // RFC 8216 §4.3.4.2: decimal-floating-point rounded to three decimals.
    // Values outside any real camera's range come from a broken SPS/metadata.
    if (std::isfinite(v.frameRate) && v.frameRate > 0 && v.frameRate < 1000) {
      std::array<char, 32> buf{};
      auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v.frameRate, std::chars_format::fixed, 3);
      if (ec == std::errc{}) {
        out += ",FRAME-RATE=";
        out.append(buf.data(), end);
      }
    }
    out += '\n';
    out += v.uri;
    out += '\n';
  }
  return out;
}

std::vector<Variant> masterVariants(std::vector<MasterCandidate> candidates) {
  const bool anyLive =
      std::any_of(candidates.begin(), candidates.end(), [](const MasterCandidate& c) { return c.live; });
  std::vector<Variant> variants;
  variants.reserve(candidates.size());
  for (MasterCandidate& c : candidates) {
    if (!anyLive || c.live) variants.push_back(std::move(c.variant));
  }
  std::stable_sort(variants.begin(), variants.end(), [](const Variant& a, const Variant& b) {
    const std::uint64_t pixelsA = std::uint64_t{a.width} * a.height;
    const std::uint64_t pixelsB = std::uint64_t{b.width} * b.height;
    if (pixelsA != pixelsB) return pixelsA > pixelsB;
    return a.bandwidth > b.bandwidth;
  });
  return variants;
}

}  // namespace ls::hls
