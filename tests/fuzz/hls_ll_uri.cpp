// LL-HLS media URIs from the request path (init.mp4, seg<N>.m4s,
// seg<N>.<P>.m4s): parseLlUri on arbitrary bytes must not crash, and what it
// accepts must be the one canonical spelling (it renders back to the input).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "media/hls/ll_store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view uri(reinterpret_cast<const char*>(data), size);
  const auto parsed = ls::hls::parseLlUri(uri);
  if (!parsed) return 0;
  std::string back;
  switch (parsed->kind) {
    case ls::hls::LlUri::Kind::kInit:
      back = parsed->numbered ? "init" + std::to_string(parsed->msn) + ".mp4" : "init.mp4";
      break;
    case ls::hls::LlUri::Kind::kSegment: back = ls::hls::llSegmentUri(parsed->msn); break;
    case ls::hls::LlUri::Kind::kPart: back = ls::hls::llPartUri(parsed->msn, parsed->part); break;
  }
  if (back != uri) std::abort();
  return 0;
}
