// Low-latency HLS media playlists (RFC 8216bis, draft-pantos-hls-rfc8216bis)
// as a pure function of a description, like playlist.hpp for the MPEG-TS
// playlists: no state, no clock, no I/O; tests compare whole strings.
//
// Rules applied (section numbers of RFC 8216bis):
// - EXT-X-PART-INF:PART-TARGET (§4.4.3.7) is `partTargetMs`; every part must be
//   <= it and, except an INDEPENDENT part or the last part of a segment, at
//   least 85% of it (§4.4.4.9). The renderer prints what it is given; the
//   PartCutter is what keeps parts inside those bounds.
// - EXT-X-SERVER-CONTROL (§4.4.3.8): CAN-BLOCK-RELOAD=YES, PART-HOLD-BACK =
//   3 x PART-TARGET (MUST >= 2x, SHOULD >= 3x), CAN-SKIP-UNTIL = 6 x target
//   duration (the Skip Boundary MUST be >= 6x). HOLD-BACK is left out: its
//   absence means 3 x target duration.
// - Parts listed (§6.2.2: EXT-X-PART tags SHOULD be removed once they are more
//   than three target durations from the end of the Playlist): the parts of a
//   finished segment are listed while the whole segment lies within the last
//   3 target durations, and for at most the last 2 finished segments (3 when
//   ended), so at most three segments carry parts, counting the open one
//   (strict parsers such as hls-parser reject more). A segment's parts are
//   listed all or none. The open segment always lists its parts.
// - Delta updates (§6.2.5.1, §4.4.5.2): with _HLS_skip=YES|v2 the leading
//   segments that lie entirely more than CAN-SKIP-UNTIL before the end of the
//   Playlist (the end of its last part) are replaced by one
//   EXT-X-SKIP:SKIPPED-SEGMENTS=N; v2 adds RECENTLY-REMOVED-DATERANGES="" (we
//   have no date ranges). No EXT-X-SKIP when nothing is skipped, and none once
//   the playlist has EXT-X-ENDLIST (§6.2.5.1: the directive is then ignored).
// - EXT-X-PRELOAD-HINT:TYPE=PART (§4.4.5.3) for the next part; never with
//   EXT-X-ENDLIST. EXT-X-RENDITION-REPORT (§4.4.5.4) per other rendition, URI
//   relative to this playlist, LAST-PART only when that rendition has parts.
// - Tags that apply to a segment (EXT-X-DISCONTINUITY, EXT-X-MAP,
//   EXT-X-PROGRAM-DATE-TIME, in that order) come before its first EXT-X-PART
//   (§4.4.4.9). EXT-X-MAP (§4.4.4.5) before the first segment listed (after
//   EXT-X-SKIP in a delta update) and again before every segment whose init
//   segment differs from the one before it (a codec change mid-stream).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace ls::hls {

struct LlPart {
  std::string uri;  // "seg42.3.m4s"
  std::int64_t durationMs = 0;
  bool independent = false;  // starts with a keyframe (audio-only: always)
};

struct LlSegment {
  std::string uri;  // "seg42.m4s"
  std::int64_t durationMs = 0;
  std::optional<UnixMillis> programDateTime;
  bool discontinuityBefore = false;
  std::vector<LlPart> parts;  // all of them; the renderer lists only the recent ones
  std::string mapUri;         // its init segment ("init.mp4"); empty: the playlist's mapUri
};

struct RenditionReport {
  std::string uri;  // "../720p/ll.m3u8"
  std::uint64_t lastMsn = 0;
  std::optional<std::uint64_t> lastPart;
};

struct LlMediaPlaylist {
  std::int64_t targetDurationSec = 2;
  std::int64_t partTargetMs = 200;
  std::uint64_t mediaSequence = 0;  // of segments.front() (or of the open segment when none)
  std::uint64_t discontinuitySequence = 0;
  std::string mapUri = "init.mp4";  // the open segment's init segment (and any segment's without one)
  std::vector<LlSegment> segments;  // finished, oldest first
  // The segment being written: number mediaSequence + segments.size().
  std::vector<LlPart> openParts;
  std::optional<UnixMillis> openProgramDateTime;
  bool openDiscontinuityBefore = false;
  std::optional<std::string> preloadHintUri;  // next part's URI; none once ended
  std::vector<RenditionReport> renditionReports;
  // EXT-X-ENDLIST. The caller publishes the last segment before ending: openParts
  // and preloadHintUri are not rendered once ended.
  bool ended = false;
};

enum class SkipRequest { kNone, kYes, kV2 };

inline constexpr int kLlPlaylistVersion = 9;  // EXT-X-SKIP needs 9

std::int64_t partHoldBackMs(std::int64_t partTargetMs);       // 3 x part target
std::int64_t canSkipUntilMs(std::int64_t targetDurationSec);  // 6 x target duration
// How many leading segments a delta update for `skip` replaces by EXT-X-SKIP.
std::size_t skippedSegments(const LlMediaPlaylist& playlist, SkipRequest skip);
// Index of the first finished segment whose parts are listed (segments.size(): none).
std::size_t firstSegmentWithListedParts(const LlMediaPlaylist& playlist);
std::string renderLlMediaPlaylist(const LlMediaPlaylist& playlist, SkipRequest skip = SkipRequest::kNone);

}  // namespace ls::hls
