// An FLV file loaded once and shared by every publisher of a run: the tags in
// file order, classified once (sequence headers, keyframes, metadata), and the
// length of one loop of the timeline so publishers can replay it forever with
// increasing timestamps.
//
// Threading: immutable after load(); read from the load generator's one loop.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "core/status.hpp"

namespace ls::loadgen {

struct MediaTag {
  std::uint8_t type = 0;    // flv::kTagTypeAudio / kTagTypeVideo
  std::int64_t timeMs = 0;  // from the file's first media tag (0-based)
  bool keyframe = false;    // H.264 IDR frame (FrameType 1, AVCPacketType 1)
  std::size_t offset = 0;   // body bytes inside FlvMedia::bytes()
  std::size_t size = 0;
};

class FlvMedia {
 public:
  // Reads the whole file. Sequence headers (AVC and AAC) are kept apart and
  // sent once per connection; the remaining audio and video tags form the loop.
  static Result<FlvMedia> load(const std::filesystem::path& path);
  // The same from bytes already in memory (tests).
  static Result<FlvMedia> fromBytes(std::vector<std::uint8_t> bytes);

  [[nodiscard]] std::span<const std::uint8_t> body(const MediaTag& tag) const {
    return {bytes_.data() + tag.offset, tag.size};
  }
  [[nodiscard]] const std::vector<MediaTag>& tags() const noexcept { return tags_; }
  [[nodiscard]] const std::vector<MediaTag>& sequenceHeaders() const noexcept { return headers_; }
  // The onMetaData script tag body (AMF0 "onMetaData" + array), empty if none.
  [[nodiscard]] std::span<const std::uint8_t> metadata() const { return {bytes_.data() + metaOffset_, metaSize_}; }
  // Timeline length of one loop: the last tag's time plus one frame interval,
  // so the first tag of loop k+1 follows the last tag of loop k by one frame.
  [[nodiscard]] std::int64_t loopDurationMs() const noexcept { return loopMs_; }
  [[nodiscard]] std::uint64_t loopBytes() const noexcept { return loopBytes_; }
  [[nodiscard]] bool startsWithKeyframe() const noexcept;

 private:
  std::vector<std::uint8_t> bytes_;
  std::vector<MediaTag> tags_;
  std::vector<MediaTag> headers_;
  std::size_t metaOffset_ = 0;
  std::size_t metaSize_ = 0;
  std::int64_t loopMs_ = 0;
  std::uint64_t loopBytes_ = 0;
};

}  // namespace ls::loadgen
