#include "loadgen/flv_media.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "media/flv/flv_file.hpp"

namespace ls::loadgen {

namespace {

constexpr std::uint8_t kAvcCodecId = 7;
constexpr std::uint8_t kAacSoundFormat = 10;

bool isSequenceHeader(std::uint8_t type, std::span<const std::uint8_t> body) {
  if (body.size() < 2) return false;
  if (type == flv::kTagTypeVideo) return (body[0] & 0x0F) == kAvcCodecId && body[1] == 0;
  return (body[0] >> 4) == kAacSoundFormat && body[1] == 0;
}

bool isKeyframe(std::span<const std::uint8_t> body) {
  return body.size() >= 2 && (body[0] >> 4) == 1 && (body[0] & 0x0F) == kAvcCodecId && body[1] == 1;
}

// The usual spacing of consecutive tags of one type: the frame interval.
std::int64_t lastInterval(const std::vector<MediaTag>& tags, std::uint8_t type) {
  std::int64_t last = -1;
  std::int64_t previous = -1;
  for (const MediaTag& t : tags) {
    if (t.type != type) continue;
    previous = last;
    last = t.timeMs;
  }
  return previous >= 0 && last > previous ? last - previous : 0;
}

}  // namespace

Result<FlvMedia> FlvMedia::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalidArgument("cannot open FLV file " + path.string());
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return fromBytes(std::move(bytes));
}

Result<FlvMedia> FlvMedia::fromBytes(std::vector<std::uint8_t> bytes) {
  FlvMedia media;
  media.bytes_ = std::move(bytes);
  flv::FlvFileReader reader;
  std::span<const std::uint8_t> rest(media.bytes_);
  std::int64_t firstMs = -1;
  while (!rest.empty()) {
    auto event = reader.next(rest);
    if (!event.ok()) return event.status();
    if (event->kind == flv::FlvFileReader::EventKind::kNeedMore) break;  // a truncated last tag is ignored
    if (event->kind == flv::FlvFileReader::EventKind::kTag) {
      const flv::FlvTag& tag = event->tag;
      const auto offset = static_cast<std::size_t>(tag.body.data() - media.bytes_.data());
      if (tag.type == flv::kTagTypeScriptData && media.metaSize_ == 0) {
        media.metaOffset_ = offset;
        media.metaSize_ = tag.body.size();
      } else if (tag.type == flv::kTagTypeAudio || tag.type == flv::kTagTypeVideo) {
        MediaTag m{tag.type, tag.timestamp, false, offset, tag.body.size()};
        if (isSequenceHeader(tag.type, tag.body)) {
          // Only the first of each kind: a mid-file repeat would be sent once per loop otherwise.
          const bool seen = std::any_of(media.headers_.begin(), media.headers_.end(),
                                        [&](const MediaTag& h) { return h.type == tag.type; });
          if (!seen) media.headers_.push_back(m);
        } else {
          if (firstMs < 0) firstMs = m.timeMs;
          m.keyframe = tag.type == flv::kTagTypeVideo && isKeyframe(tag.body);
          media.tags_.push_back(m);
        }
      }
    }
    rest = rest.subspan(event->consumed);
  }
  if (media.tags_.empty()) return invalidArgument("the FLV file holds no audio or video frames");
  std::int64_t lastMs = 0;
  for (MediaTag& t : media.tags_) {
    // Files cut from a longer recording start late; B-frame reordering never
    // makes an FLV (DTS) timestamp go below the first one, but be safe.
    t.timeMs = std::max<std::int64_t>(0, t.timeMs - firstMs);
    lastMs = std::max(lastMs, t.timeMs);
    media.loopBytes_ += t.size;
  }
  const std::int64_t interval =
      std::max(lastInterval(media.tags_, flv::kTagTypeVideo), lastInterval(media.tags_, flv::kTagTypeAudio));
  media.loopMs_ = lastMs + std::max<std::int64_t>(interval, 1);
  return media;
}

bool FlvMedia::startsWithKeyframe() const noexcept {
  for (const MediaTag& t : tags_) {
    if (t.type == flv::kTagTypeVideo) return t.keyframe;
  }
  return true;  // audio only
}

}  // namespace ls::loadgen
