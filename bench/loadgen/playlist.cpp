#include "loadgen/playlist.hpp"

#include <charconv>

namespace ls::loadgen {

namespace {

std::string_view trimLine(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

double toDouble(std::string_view s) {
  double v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::uint64_t toUint(std::string_view s) {
  std::uint64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

void parseMediaPlaylist(std::string_view text, MediaPlaylist& out) {
  out.valid = false;
  out.targetDurationS = 0;
  out.mediaSequence = 0;
  out.ended = false;
  out.segments.clear();
  double pendingDuration = 0;
  bool first = true;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = trimLine(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (first) {
      first = false;
      if (line != "#EXTM3U") return;
      out.valid = true;
      continue;
    }
    if (line.empty()) continue;
    if (line.front() != '#') {
      out.segments.push_back({out.mediaSequence + out.segments.size(), pendingDuration, std::string(line)});
      pendingDuration = 0;
    } else if (line.starts_with("#EXTINF:")) {
      const std::string_view v = line.substr(8);
      pendingDuration = toDouble(v.substr(0, v.find(',')));
    } else if (line.starts_with("#EXT-X-TARGETDURATION:")) {
      out.targetDurationS = toDouble(line.substr(22));
    } else if (line.starts_with("#EXT-X-MEDIA-SEQUENCE:")) {
      out.mediaSequence = toUint(line.substr(22));
    } else if (line == "#EXT-X-ENDLIST") {
      out.ended = true;
    }
  }
}

}  // namespace ls::loadgen
