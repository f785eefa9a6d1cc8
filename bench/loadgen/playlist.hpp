// The few fields of an HLS media playlist (RFC 8216 section 4.3) a polling
// viewer needs: target duration, media sequence, and the segments in order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ls::loadgen {

struct PlaylistSegment {
  std::uint64_t sequence = 0;  // EXT-X-MEDIA-SEQUENCE + position
  double durationS = 0;        // EXTINF
  std::string uri;
};

struct MediaPlaylist {
  bool valid = false;  // starts with #EXTM3U
  double targetDurationS = 0;
  std::uint64_t mediaSequence = 0;
  bool ended = false;  // EXT-X-ENDLIST
  std::vector<PlaylistSegment> segments;
};

// Lenient: unknown tags are skipped, a malformed number reads as 0.
// `out` is reused across polls so its vectors keep their capacity.
void parseMediaPlaylist(std::string_view text, MediaPlaylist& out);

}  // namespace ls::loadgen
