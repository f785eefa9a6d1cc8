// The sans-IO FLV file reader on arbitrary bytes, fed whole and then in
// pieces as a socket would deliver them; both ways must yield the same
// tags, every body inside the input. Tags are also run through the tag parser.
#include "media/flv/flv_file.hpp"

#include <cstdint>
#include <span>
#include <vector>

#include "media/flv/tag_parser.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

struct Seen {
  std::uint8_t type;
  std::uint32_t timestamp;
  const std::uint8_t* body;
  std::size_t size;
  bool operator==(const Seen&) const = default;
};

// Feeds input[0..end) growing by `step` bytes per call; returns the tags read.
std::vector<Seen> readAll(std::span<const std::uint8_t> input, std::size_t step) {
  ls::flv::FlvFileReader reader;
  std::vector<Seen> seen;
  std::size_t start = 0;
  std::size_t end = std::min(step, input.size());
  for (;;) {
    auto event = reader.next(input.subspan(start, end - start));
    if (!event.ok()) break;
    if (event->kind == ls::flv::FlvFileReader::EventKind::kNeedMore) {
      check(event->needed > end - start);
      if (end == input.size()) break;
      end = std::min(end + step, input.size());
      continue;
    }
    check(event->consumed > 0 && event->consumed <= end - start);
    if (event->kind == ls::flv::FlvFileReader::EventKind::kTag) {
      const auto& tag = event->tag;
      check(tag.body.empty() ||
            (tag.body.data() >= input.data() + start && tag.body.data() + tag.body.size() <= input.data() + end));
      seen.push_back({tag.type, tag.timestamp, tag.body.data(), tag.body.size()});
      if (tag.type == ls::flv::kTagTypeVideo) (void)ls::flv::parseVideoTag(tag.body, tag.timestamp);
      if (tag.type == ls::flv::kTagTypeAudio) (void)ls::flv::parseAudioTag(tag.body, tag.timestamp);
    }
    start += event->consumed;
  }
  return seen;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  const std::vector<Seen> whole = readAll(input, size == 0 ? 1 : size);
  const std::vector<Seen> pieces = readAll(input, 1 + size % 61);
  check(whole == pieces);
  return 0;
}
