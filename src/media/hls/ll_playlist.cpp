#include "media/hls/ll_playlist.hpp"

#include <algorithm>
#include <limits>

#include "media/hls/playlist.hpp"

namespace ls::hls {

namespace {

// At most this many segments carry EXT-X-PART tags, the open one included:
// three target durations of ~target-long segments (§6.2.2), and what strict
// parsers (hls-parser) accept.
constexpr std::size_t kSegmentsWithParts = 3;

std::int64_t targetDurationMs(const LlMediaPlaylist& p) {
  return std::max<std::int64_t>(1, p.targetDurationSec) * 1000;
}

std::int64_t sumMs(std::int64_t a, std::int64_t b) {
  // Durations are non-negative; saturate rather than overflow on absurd input.
  if (b < 0) b = 0;
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  return a > kMax - b ? kMax : a + b;
}

bool rendersOpenSegment(const LlMediaPlaylist& p) { return !p.ended; }

// The open segment's parts: from the end of the last finished segment to the
// end of the Playlist.
std::int64_t openPartsMs(const LlMediaPlaylist& p) {
  std::int64_t total = 0;
  if (rendersOpenSegment(p)) {
    for (const LlPart& part : p.openParts) total = sumMs(total, part.durationMs);
  }
  return total;
}

void appendUnsigned(std::string& out, std::uint64_t v) { out += std::to_string(v); }

void appendSeconds(std::string& out, std::int64_t ms) { out += formatMillisAsSeconds(ms); }

void appendPart(std::string& out, const LlPart& part) {
  out += "#EXT-X-PART:DURATION=";
  appendSeconds(out, part.durationMs);
  out += ",URI=\"";
  out += part.uri;
  out += '"';
  if (part.independent) out += ",INDEPENDENT=YES";
  out += '\n';
}

// EXT-X-MAP when `map` is not the one in force (`current`), which it becomes.
void appendMap(std::string& out, const std::string& map, std::optional<std::string>& current) {
  if (current == map) return;
  current = map;
  out += "#EXT-X-MAP:URI=\"";
  out += map;
  out += "\"\n";
}

void appendSegmentTags(std::string& out, bool discontinuity, const std::string& map,
                       std::optional<std::string>& currentMap,
                       const std::optional<UnixMillis>& pdt) {
  if (discontinuity) out += "#EXT-X-DISCONTINUITY\n";
  appendMap(out, map, currentMap);
  if (pdt) {
    out += "#EXT-X-PROGRAM-DATE-TIME:";
    out += formatIso8601(*pdt);
    out += '\n';
  }
}

}  // namespace

std::int64_t partHoldBackMs(std::int64_t partTargetMs) { return 3 * std::max<std::int64_t>(1, partTargetMs); }

std::int64_t canSkipUntilMs(std::int64_t targetDurationSec) {
  return 6 * std::max<std::int64_t>(1, targetDurationSec) * 1000;
}

std::size_t skippedSegments(const LlMediaPlaylist& p, SkipRequest skip) {
  if (skip == SkipRequest::kNone || p.ended) return 0;
  const std::int64_t boundary = canSkipUntilMs(p.targetDurationSec);
  // Walk from the end: remaining = time from a segment's end to the end of the Playlist.
  std::int64_t remaining = openPartsMs(p);
  std::size_t kept = 0;
  for (auto it = p.segments.rbegin(); it != p.segments.rend(); ++it) {
    if (remaining > boundary) break;  // this segment and all before it lie beyond the boundary
    remaining = sumMs(remaining, it->durationMs);
    ++kept;
  }
  return p.segments.size() - kept;
}

std::size_t firstSegmentWithListedParts(const LlMediaPlaylist& p) {
  const std::int64_t window = 3 * targetDurationMs(p);
  const std::size_t maxFinished = kSegmentsWithParts - (rendersOpenSegment(p) ? 1 : 0);
  std::int64_t fromEnd = openPartsMs(p);  // from the start of the segment looked at to the end
  std::size_t first = p.segments.size();
  for (std::size_t listed = 0; first > 0 && listed < maxFinished; ++listed) {
    fromEnd = sumMs(fromEnd, p.segments[first - 1].durationMs);
    if (fromEnd >= window) break;  // the segment reaches 3 target durations back or further
    --first;
  }
  return first;
}

std::string renderLlMediaPlaylist(const LlMediaPlaylist& p, SkipRequest skip) {
  const std::size_t skipped = skippedSegments(p, skip);
  const std::size_t firstWithParts = firstSegmentWithListedParts(p);
  std::string out;
  out.reserve(400 + (p.segments.size() - skipped) * 100 + (p.openParts.size() + 30) * 60);
  out += "#EXTM3U\n#EXT-X-VERSION:";
  out += std::to_string(kLlPlaylistVersion);
  out += "\n#EXT-X-TARGETDURATION:";
  out += std::to_string(std::max<std::int64_t>(1, p.targetDurationSec));
  out += "\n#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=";
  appendSeconds(out, canSkipUntilMs(p.targetDurationSec));
  out += ",PART-HOLD-BACK=";
  appendSeconds(out, partHoldBackMs(p.partTargetMs));
  out += "\n#EXT-X-PART-INF:PART-TARGET=";
  appendSeconds(out, std::max<std::int64_t>(1, p.partTargetMs));
  out += "\n#EXT-X-MEDIA-SEQUENCE:";
  appendUnsigned(out, p.mediaSequence);
  // Always present, as in renderMediaPlaylist: a reconnect can add a
  // discontinuity at any time (RFC 8216bis §6.2.2).
  out += "\n#EXT-X-DISCONTINUITY-SEQUENCE:";
  appendUnsigned(out, p.discontinuitySequence);
  out += '\n';
  if (skipped > 0) {
    out += "#EXT-X-SKIP:SKIPPED-SEGMENTS=";
    appendUnsigned(out, skipped);
    if (skip == SkipRequest::kV2) out += ",RECENTLY-REMOVED-DATERANGES=\"\"";
    out += '\n';
  }
  // EXT-X-MAP before the first segment listed, then wherever the init segment changes.
  std::optional<std::string> currentMap;
  const bool listsOpenParts = rendersOpenSegment(p) && !p.openParts.empty();
  if (skipped == p.segments.size() && !listsOpenParts) appendMap(out, p.mapUri, currentMap);
  for (std::size_t i = skipped; i < p.segments.size(); ++i) {
    const LlSegment& s = p.segments[i];
    appendSegmentTags(out, s.discontinuityBefore, s.mapUri.empty() ? p.mapUri : s.mapUri, currentMap,
                      s.programDateTime);
    if (i >= firstWithParts) {
      for (const LlPart& part : s.parts) appendPart(out, part);
    }
    out += "#EXTINF:";
    appendSeconds(out, s.durationMs);
    out += ",\n";
    out += s.uri;
    out += '\n';
  }
  if (rendersOpenSegment(p)) {
    if (listsOpenParts) {
      appendSegmentTags(out, p.openDiscontinuityBefore, p.mapUri, currentMap, p.openProgramDateTime);
    }
    for (const LlPart& part : p.openParts) appendPart(out, part);
    if (p.preloadHintUri) {
      out += "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"";
      out += *p.preloadHintUri;
      out += "\"\n";
    }
  } else {
    out += "#EXT-X-ENDLIST\n";
  }
  for (const RenditionReport& r : p.renditionReports) {
    out += "#EXT-X-RENDITION-REPORT:URI=\"";
    out += r.uri;
    out += "\",LAST-MSN=";
    appendUnsigned(out, r.lastMsn);
    if (r.lastPart) {
      out += ",LAST-PART=";
      appendUnsigned(out, *r.lastPart);
    }
    out += '\n';
  }
  return out;
}

}  // namespace ls::hls
