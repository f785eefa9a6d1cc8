#include "media/fmp4/box_reader.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace ls::fmp4 {
namespace {

constexpr int kMaxDepth = 16;
constexpr std::size_t kVisualSampleEntryFields = 78;  // after the box header, before avcC
constexpr std::size_t kAudioSampleEntryFields = 28;   // after the box header, before esds
constexpr std::uint32_t kTfhdBaseDataOffset = 0x000001;
constexpr std::uint32_t kTfhdDefaultBaseIsMoof = 0x020000;

Status malformed(const std::string& what) {
  return invalidArgument("malformed ISO BMFF: " + what);
}

std::string typeName(std::uint32_t type) {
  std::string name(4, ' ');
  for (int i = 0; i < 4; ++i) name[static_cast<std::size_t>(i)] = static_cast<char>(type >> (24 - 8 * i));
  return name;
}

bool isContainer(std::uint32_t type) {
  static constexpr std::array<std::uint32_t, 14> kContainers = {
      boxType("moov"), boxType("trak"), boxType("mdia"), boxType("minf"), boxType("dinf"),
      boxType("dref"), boxType("stbl"), boxType("stsd"), boxType("avc1"), boxType("mp4a"),
      boxType("mvex"), boxType("moof"), boxType("traf"), boxType("edts")};
  return std::find(kContainers.begin(), kContainers.end(), type) != kContainers.end();
}

Status checkLevel(std::span<const std::uint8_t> data, int depth) {
  if (depth > kMaxDepth) return malformed("boxes nested too deep");
  Result<std::vector<Box>> boxes = readBoxes(data);
  if (!boxes.ok()) return boxes.status();
  for (const Box& box : *boxes) {
    if (!isContainer(box.type)) continue;
    Result<std::vector<Box>> children = childBoxes(box);
    if (!children.ok()) return children.status();
    for (const Box& child : *children) {
      if (isContainer(child.type)) LS_RETURN_IF_ERROR(checkLevel(child.bytes, depth + 1));
    }
  }
  return Status::ok();
}

// The trun of one traf as a byte range relative to the moof start.
struct Run {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

Result<Run> readRun(const Box& traf) {
  Result<std::vector<Box>> children = childBoxes(traf);
  if (!children.ok()) return children.status();
  const Box* tfhd = nullptr;
  const Box* trun = nullptr;
  for (const Box& child : *children) {
    if (child.type == boxType("tfhd")) tfhd = &child;
    if (child.type == boxType("trun")) {
      if (trun != nullptr) return malformed("more than one trun in a traf");
      trun = &child;
    }
  }
  if (tfhd == nullptr || trun == nullptr) return malformed("traf without tfhd or trun");
  if (tfhd->body.size() < 8) return malformed("short tfhd");
  const std::uint32_t tfhdFlags = readU32(tfhd->body, 0) & 0xffffff;
  if ((tfhdFlags & kTfhdDefaultBaseIsMoof) == 0 || (tfhdFlags & kTfhdBaseDataOffset) != 0) {
    return malformed("tfhd without default-base-is-moof");
  }
  const std::span<const std::uint8_t> body = trun->body;
  if (body.size() < 8) return malformed("short trun");
  const std::uint32_t flags = readU32(body, 0) & 0xffffff;
  const std::uint32_t count = readU32(body, 4);
  if ((flags & 0x000001) == 0 || (flags & 0x000200) == 0) return malformed("trun without data offset or sizes");
  std::size_t at = 8;
  const auto dataOffset = static_cast<std::int32_t>(readU32(body, at));
  at += 4;
  if ((flags & 0x000004) != 0) at += 4;  // first_sample_flags
  std::size_t entry = 0;
  std::size_t sizeAt = 0;
  if ((flags & 0x000100) != 0) entry += 4;  // duration
  sizeAt = entry;
  entry += 4;  // size
  if ((flags & 0x000400) != 0) entry += 4;  // flags
  if ((flags & 0x000800) != 0) entry += 4;  // composition offset
  if (at > body.size() || (body.size() - at) / entry != count || (body.size() - at) % entry != 0) {
    return malformed("trun size does not match its sample count");
  }
  if (dataOffset < 0) return malformed("negative trun data offset");
  std::uint64_t total = 0;
  for (std::uint32_t i = 0; i < count; ++i) total += readU32(body, at + i * entry + sizeAt);
  return Run{.begin = static_cast<std::uint64_t>(dataOffset), .end = static_cast<std::uint64_t>(dataOffset) + total};
}

}  // namespace

std::uint32_t readU32(std::span<const std::uint8_t> data, std::size_t at) {
  if (at > data.size() || data.size() - at < 4) return 0;
  return (std::uint32_t{data[at]} << 24) | (std::uint32_t{data[at + 1]} << 16) | (std::uint32_t{data[at + 2]} << 8) |
         std::uint32_t{data[at + 3]};
}

std::uint64_t readU64(std::span<const std::uint8_t> data, std::size_t at) {
  if (at > data.size() || data.size() - at < 8) return 0;
  return (std::uint64_t{readU32(data, at)} << 32) | readU32(data, at + 4);
}

Result<std::vector<Box>> readBoxes(std::span<const std::uint8_t> data) {
  std::vector<Box> boxes;
  std::size_t at = 0;
  while (at < data.size()) {
    const std::size_t left = data.size() - at;
    if (left < 8) return malformed("truncated box header at offset " + std::to_string(at));
    std::uint64_t size = readU32(data, at);
    std::size_t header = 8;
    if (size == 1) {
      if (left < 16) return malformed("truncated largesize at offset " + std::to_string(at));
      size = readU64(data, at + 8);
      header = 16;
    } else if (size == 0) {
      size = left;
    }
    if (size < header || size > left) {
      return malformed("box '" + typeName(readU32(data, at + 4)) + "' of " + std::to_string(size) + " bytes at offset " +
                       std::to_string(at) + " with " + std::to_string(left) + " left");
    }
    const auto whole = data.subspan(at, static_cast<std::size_t>(size));
    boxes.push_back(Box{.type = readU32(data, at + 4), .offset = at, .bytes = whole, .body = whole.subspan(header)});
    at += static_cast<std::size_t>(size);
  }
  return boxes;
}

Result<std::vector<Box>> childBoxes(const Box& box) {
  std::size_t skip = 0;
  if (box.type == boxType("stsd") || box.type == boxType("dref")) skip = 8;
  if (box.type == boxType("avc1")) skip = kVisualSampleEntryFields;
  if (box.type == boxType("mp4a")) skip = kAudioSampleEntryFields;
  if (box.body.size() < skip) return malformed("short '" + typeName(box.type) + "'");
  return readBoxes(box.body.subspan(skip));
}

Status checkBoxTree(std::span<const std::uint8_t> data) {
  return checkLevel(data, 0);
}

std::optional<Box> findBox(std::span<const std::uint8_t> data, std::string_view path) {
  std::optional<Box> current;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    const std::string_view name = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    if (name.size() != 4) return std::nullopt;
    Result<std::vector<Box>> boxes = current ? childBoxes(*current) : readBoxes(data);
    if (!boxes.ok()) return std::nullopt;
    const std::uint32_t type = (std::uint32_t{static_cast<std::uint8_t>(name[0])} << 24) |
                               (std::uint32_t{static_cast<std::uint8_t>(name[1])} << 16) |
                               (std::uint32_t{static_cast<std::uint8_t>(name[2])} << 8) |
                               std::uint32_t{static_cast<std::uint8_t>(name[3])};
    const auto found = std::find_if(boxes->begin(), boxes->end(), [&](const Box& b) { return b.type == type; });
    if (found == boxes->end()) return std::nullopt;
    current = *found;
  }
  return current;
}

Status checkFragment(std::span<const std::uint8_t> fragment) {
  LS_RETURN_IF_ERROR(checkBoxTree(fragment));
  Result<std::vector<Box>> top = readBoxes(fragment);
  if (!top.ok()) return top.status();
  if (top->size() != 2 || (*top)[0].type != boxType("moof") || (*top)[1].type != boxType("mdat")) {
    return malformed("a fragment is one moof and one mdat");
  }
  const Box& moof = (*top)[0];
  const Box& mdat = (*top)[1];
  const std::uint64_t payloadBegin = mdat.offset + (mdat.bytes.size() - mdat.body.size()) - moof.offset;
  const std::uint64_t payloadEnd = payloadBegin + mdat.body.size();
  Result<std::vector<Box>> children = childBoxes(moof);
  if (!children.ok()) return children.status();
  if (children->empty() || children->front().type != boxType("mfhd")) return malformed("moof without mfhd first");
  std::vector<Run> runs;
  for (const Box& child : *children) {
    if (child.type != boxType("traf")) continue;
    Result<Run> run = readRun(child);
    if (!run.ok()) return run.status();
    if (run->begin < payloadBegin || run->end > payloadEnd) return malformed("trun data outside the mdat payload");
    runs.push_back(*run);
  }
  std::sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.begin < b.begin; });
  std::uint64_t next = payloadBegin;
  for (const Run& run : runs) {
    if (run.begin != next) return malformed("trun data overlaps or leaves a gap in the mdat payload");
    next = run.end;
  }
  if (next != payloadEnd) return malformed("mdat payload not covered by the truns");
  return Status::ok();
}

}  // namespace ls::fmp4
