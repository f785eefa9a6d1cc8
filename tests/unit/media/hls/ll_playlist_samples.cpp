// Prints every sample LL playlist as one JSON array of {name, skip, text} for
// tests/integration/ll_playlist_parser.test.js (a strict hls-parser pass).
#include <cstdio>
#include <string>

#include "ll_playlist_samples.hpp"

namespace {

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + '"';
}

const char* skipName(ls::hls::SkipRequest skip) {
  switch (skip) {
    case ls::hls::SkipRequest::kNone: return "";
    case ls::hls::SkipRequest::kYes: return "YES";
    case ls::hls::SkipRequest::kV2: return "v2";
  }
  return "";
}

// The init segment of every finished segment listed, in order.
std::string mapsOf(const ls::hls::testing::LlSample& sample) {
  const auto& p = sample.playlist;
  std::string out = "[";
  for (std::size_t i = ls::hls::skippedSegments(p, sample.skip); i < p.segments.size(); ++i) {
    if (out.size() > 1) out += ',';
    out += jsonString(p.segments[i].mapUri.empty() ? p.mapUri : p.segments[i].mapUri);
  }
  return out + "]";
}

}  // namespace

int main() {
  std::string out = "[";
  bool first = true;
  for (const auto& sample : ls::hls::testing::llSamples()) {
    if (!first) out += ",\n";
    first = false;
    out += "{\"name\":" + jsonString(sample.name) + ",\"skip\":\"" + skipName(sample.skip) + "\",\"skipped\":" +
           std::to_string(ls::hls::skippedSegments(sample.playlist, sample.skip)) +
           ",\"maps\":" + mapsOf(sample) +
           ",\"text\":" + jsonString(ls::hls::renderLlMediaPlaylist(sample.playlist, sample.skip)) + "}";
  }
  out += "]\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
