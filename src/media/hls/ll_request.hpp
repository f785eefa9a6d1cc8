// LL-HLS delivery directives on a media playlist request (RFC 8216bis §6.2.5):
// blocking playlist reload (_HLS_msn, _HLS_part) and delta updates (_HLS_skip).
// Parsing works on the raw query string (no dependency on the http layer) and
// judging is a pure function of where the rendition is: no clocks; the caller
// parks a kWait request and answers 503 after three target durations (§6.2.5.2).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/status.hpp"
#include "media/hls/ll_playlist.hpp"

namespace ls::hls {

struct BlockingRequest {
  std::optional<std::uint64_t> msn;
  std::optional<std::uint64_t> part;
  SkipRequest skip = SkipRequest::kNone;
};

// The query string after '?', still percent-encoded. Other parameters (cache
// busters) are ignored. Errors (kInvalidArgument, meant for a 400 body):
// _HLS_part without _HLS_msn (§6.2.5.2), a value that is not a decimal-integer
// (§4.2: digits only) or is out of its range (0 .. 2^64-1), _HLS_skip other
// than YES or v2 (§6.2.5.1), a directive given twice.
Result<BlockingRequest> parseBlockingRequest(std::string_view rawQuery);

struct LivePosition {
  std::uint64_t lastMsn = 0;              // segment holding the newest part (open segment if it has parts)
  std::optional<std::uint64_t> lastPart;  // index of the newest part in lastMsn; nullopt: none
  bool lastMsnComplete = false;           // lastMsn is a finished segment
  bool ended = false;
  std::int64_t partTargetMs = 200;
};

enum class BlockingVerdict {
  kReady,        // answer now with the current playlist
  kWait,         // park until the playlist changes, then judge again
  kTooFarAhead,  // 400 (§6.2.5.2 SHOULD)
};

// §6.2.5.2: ready once the Playlist contains segment msn (no _HLS_part) or
// part `part` of segment msn, or anything later; a part index past the last
// part of a finished segment is part 0 of the next one. _HLS_msn and _HLS_part
// are ignored once the playlist has EXT-X-ENDLIST. Too far ahead: msn more than
// 2 past the last segment, or a part at least the Advance Part Limit (3 / part
// target in seconds when it is under 1 s, else 3) past the last part.
BlockingVerdict judgeBlockingRequest(const BlockingRequest& request, const LivePosition& position);

// The Advance Part Limit of §6.2.5.2 in whole parts: a request this many parts
// or more past the newest part is too far ahead.
std::uint64_t advancePartLimit(std::int64_t partTargetMs);

}  // namespace ls::hls
