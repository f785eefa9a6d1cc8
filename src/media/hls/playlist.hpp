// Playlist text (RFC 8216) as a pure function of a description: no state, no
// clock, no I/O. The store keeps the description of each rendition's live
// window and calls these on every published segment; tests compare the
// returned text as whole strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace ls::hls {

// Floating-point EXTINF durations need protocol version 3 (RFC 8216 §7);
// nothing else we emit needs more.
inline constexpr int kPlaylistVersion = 3;

struct PlaylistSegment {
  std::string uri;  // relative to the media playlist, e.g. "seg42.ts"
  std::int64_t durationMs = 0;
  std::optional<UnixMillis> programDateTime;  // wall-clock time of the segment's first sample
  bool discontinuityBefore = false;           // EXT-X-DISCONTINUITY precedes this segment
};

struct MediaPlaylist {
  int version = kPlaylistVersion;
  std::int64_t targetDurationSec = 1;
  std::uint64_t mediaSequence = 0;          // sequence number of segments.front()
  std::uint64_t discontinuitySequence = 0;  // discontinuities removed from the head so far
  std::vector<PlaylistSegment> segments;
  bool ended = false;  // EXT-X-ENDLIST: no segment will be added
};

// The EXT-X-TARGETDURATION a segment of `durationMs` needs: whole seconds,
// rounded to the nearest integer, at least 1 — exactly what RFC 8216
// §4.3.3.1 requires of each EXTINF. Rounding up instead would announce 3 s for
// the usual 2.0x s segments and push every player a second further behind.
std::int64_t targetDurationFor(std::int64_t durationMs);

// "#EXTINF" style seconds with exactly three decimals from integer milliseconds
// (no floating point, so 2000 ms is always "2.000"); negative values print 0.
std::string formatMillisAsSeconds(std::int64_t ms);

std::string renderMediaPlaylist(const MediaPlaylist& playlist);

// One EXT-X-STREAM-INF entry of a master playlist.
struct Variant {
  std::string uri;                     // relative to the master, e.g. "720p/index.m3u8"
  std::uint64_t bandwidth = 0;         // peak segment bit rate, bits/s
  std::uint64_t averageBandwidth = 0;  // 0: omitted
  std::uint32_t width = 0;             // 0 (audio-only): RESOLUTION omitted
  std::uint32_t height = 0;
  std::string codecs;    // RFC 6381, comma-separated; empty: omitted
  double frameRate = 0;  // 0 or not finite: FRAME-RATE omitted
  std::string name;      // the rendition's name ("original", "720p"); not rendered

  friend bool operator==(const Variant&, const Variant&) = default;
};

std::string renderMasterPlaylist(const std::vector<Variant>& variants);

// The variants a master lists, from each rendition's (live, variant): the live
// renditions only, unless none is live (an ended stream's final playlists stay
// playable during its linger); highest resolution first, then highest
// bandwidth, whatever the attach order (a reconnect with a larger input adds
// ladder renditions after the smaller ones it kept), so players that start
// with the first variant (Apple's) start with the best one.
struct MasterCandidate {
  bool live = false;
  Variant variant;
};
std::vector<Variant> masterVariants(std::vector<MasterCandidate> candidates);

}  // namespace ls::hls
