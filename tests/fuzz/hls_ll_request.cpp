// parseBlockingRequest on arbitrary query strings, judgeBlockingRequest
// against an arbitrary live position, and renderLlMediaPlaylist for the skip
// the request asked. Must never crash; parse errors are kInvalidArgument with
// a message; verdicts follow RFC 8216bis §6.2.5.2 where they are unambiguous.
//
// Input: 16 bytes of position (bytes 0-7 lastMsn, 8-9 lastPart, byte 10 flags:
// bit 0 lastPart present, bit 1 complete, bit 2 ended; bytes 11-12 part target;
// bytes 13-15 playlist shape), then the raw query string.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "media/hls/ll_playlist.hpp"
#include "media/hls/ll_request.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

std::uint64_t readU64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | p[i];
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ls::hls;
  if (size < 16) return 0;
  ls::hls::LivePosition pos;
  pos.lastMsn = readU64(data);
  if (data[10] & 1) pos.lastPart = std::uint64_t{data[8]} << 8 | data[9];
  pos.lastMsnComplete = (data[10] & 2) != 0;
  pos.ended = (data[10] & 4) != 0;
  pos.partTargetMs = static_cast<std::int64_t>(std::uint64_t{data[11]} << 8 | data[12]) - 100;  // may be <= 0
  const std::string_view query(reinterpret_cast<const char*>(data + 16), size - 16);

  auto parsed = parseBlockingRequest(query);
  if (!parsed.ok()) {
    check(parsed.status().code() == ls::Code::kInvalidArgument);
    check(!parsed.status().message().empty());
    return 0;
  }
  const BlockingRequest& request = *parsed;
  check(!request.part || request.msn);
  const BlockingVerdict verdict = judgeBlockingRequest(request, pos);
  if (pos.ended || !request.msn || *request.msn < pos.lastMsn) check(verdict == BlockingVerdict::kReady);
  if (!pos.ended && request.msn && *request.msn > pos.lastMsn && *request.msn - pos.lastMsn > 2) {
    check(verdict == BlockingVerdict::kTooFarAhead);
  }
  if (!pos.ended && request.msn && *request.msn == pos.lastMsn && request.part && pos.lastPart &&
      *request.part <= *pos.lastPart) {
    check(verdict == BlockingVerdict::kReady);
  }
  check(advancePartLimit(pos.partTargetMs) >= 3);

  // A playlist shaped by bytes 13-15, rendered as the delta update asked.
  LlMediaPlaylist p;
  p.targetDurationSec = 1 + data[13] % 8;
  p.partTargetMs = 100 + data[14] % 8 * 100;
  p.mediaSequence = pos.lastMsn;
  p.ended = pos.ended;
  const std::size_t segments = data[15] % 16;
  for (std::size_t i = 0; i < segments; ++i) {
    LlSegment s{"seg" + std::to_string(i) + ".m4s", static_cast<std::int64_t>(data[i % 16]) * 40, std::nullopt,
                (data[(i + 3) % 16] & 1) != 0, {}, (data[(i + 7) % 16] & 2) != 0 ? "init" + std::to_string(i) + ".mp4" : ""};
    for (std::size_t k = 0; k < data[(i + 5) % 16] % 12; ++k) s.parts.push_back({"p.m4s", p.partTargetMs, k == 0});
    p.segments.push_back(std::move(s));
  }
  if (!p.ended) p.preloadHintUri = "hint.m4s";
  const std::size_t skipped = skippedSegments(p, request.skip);
  check(skipped <= p.segments.size());
  check(request.skip != SkipRequest::kNone || skipped == 0);
  check(firstSegmentWithListedParts(p) <= p.segments.size());
  check(p.segments.size() - firstSegmentWithListedParts(p) <= 3);
  const std::string text = renderLlMediaPlaylist(p, request.skip);
  check(text.starts_with("#EXTM3U\n#EXT-X-VERSION:9\n"));
  check((text.find("#EXT-X-SKIP:") != std::string::npos) == (skipped > 0));
  check((text.find("#EXT-X-PRELOAD-HINT") != std::string::npos) == !p.ended);
  return 0;
}
