#include "media/hls/ll_request.hpp"

#include <charconv>
#include <string>

#include "core/percent_encoding.hpp"

namespace ls::hls {

namespace {

Status parseInteger(std::string_view name, std::string_view text, std::optional<std::uint64_t>& out) {
  if (out) return invalidArgument(std::string(name) + " is given more than once");
  const bool digitsOnly = !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
  if (!digitsOnly) return invalidArgument(std::string(name) + " must be a decimal integer");
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    return invalidArgument(std::string(name) + " is out of range (0 to 18446744073709551615)");
  }
  out = value;
  return Status::ok();
}

}  // namespace

Result<BlockingRequest> parseBlockingRequest(std::string_view rawQuery) {
  BlockingRequest request;
  bool skipSeen = false;
  while (!rawQuery.empty()) {
    const std::size_t amp = rawQuery.find('&');
    const std::string_view piece = rawQuery.substr(0, amp);
    rawQuery = amp == std::string_view::npos ? std::string_view{} : rawQuery.substr(amp + 1);
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    const std::string key = percentDecode(piece.substr(0, eq), true);
    const std::string value =
        percentDecode(eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1), true);
    if (key == "_HLS_msn") {
      LS_RETURN_IF_ERROR(parseInteger(key, value, request.msn));
    } else if (key == "_HLS_part") {
      LS_RETURN_IF_ERROR(parseInteger(key, value, request.part));
    } else if (key == "_HLS_skip") {
      if (skipSeen) return invalidArgument("_HLS_skip is given more than once");
      skipSeen = true;
      if (value == "YES") {
        request.skip = SkipRequest::kYes;
      } else if (value == "v2") {
        request.skip = SkipRequest::kV2;
      } else {
        return invalidArgument("_HLS_skip must be YES or v2");
      }
    }
  }
  if (request.part && !request.msn) return invalidArgument("_HLS_part requires _HLS_msn");
  return request;
}

std::uint64_t advancePartLimit(std::int64_t partTargetMs) {
  // 3 / (part target in s) when it is under 1 s, else 3; rounded up to whole parts.
  if (partTargetMs >= 1000) return 3;
  if (partTargetMs < 1) partTargetMs = 1;
  const auto target = static_cast<std::uint64_t>(partTargetMs);
  return (3000 + target - 1) / target;
}

BlockingVerdict judgeBlockingRequest(const BlockingRequest& request, const LivePosition& position) {
  if (position.ended || !request.msn) return BlockingVerdict::kReady;
  const std::uint64_t msn = *request.msn;
  const std::uint64_t last = position.lastMsn;
  if (msn < last) return BlockingVerdict::kReady;
  const std::uint64_t limit = advancePartLimit(position.partTargetMs);
  if (msn == last) {
    if (!request.part) return position.lastMsnComplete ? BlockingVerdict::kReady : BlockingVerdict::kWait;
    const std::uint64_t part = *request.part;
    if (position.lastPart && part <= *position.lastPart) return BlockingVerdict::kReady;
    // A part past the last one of a finished segment is part 0 of the next
    // segment: one part ahead.
    if (position.lastMsnComplete) return limit <= 1 ? BlockingVerdict::kTooFarAhead : BlockingVerdict::kWait;
    // How many parts ahead of the newest one (index -1 when the segment has none yet).
    const bool tooFar = position.lastPart ? part - *position.lastPart >= limit : part >= limit - 1;
    return tooFar ? BlockingVerdict::kTooFarAhead : BlockingVerdict::kWait;
  }
  const std::uint64_t segmentsAhead = msn - last;
  if (segmentsAhead > 2) return BlockingVerdict::kTooFarAhead;
  if (!request.part) return BlockingVerdict::kWait;
  // At least part + segmentsAhead parts ahead of the newest: the rest of
  // segment `last` may be empty, every segment in between has at least one part.
  const std::uint64_t part = *request.part;
  if (part >= limit || part + segmentsAhead >= limit) return BlockingVerdict::kTooFarAhead;
  return BlockingVerdict::kWait;
}

}  // namespace ls::hls
