#include "media/flv/tag_demuxer.hpp"

#include "media/flv/tag_parser.hpp"

namespace ls::flv {

Status demuxVideoTag(std::int64_t timestampMs, std::span<const std::uint8_t> body, media::MediaSink& sink) {
  auto tag = parseVideoTag(body, timestampMs);
  if (!tag.ok()) return tag.status();
  switch (tag->kind) {
    case VideoTagKind::kSequenceHeader: sink.onVideoConfig(tag->config); break;
    case VideoTagKind::kFrame: sink.onVideoFrame(tag->frame); break;
    case VideoTagKind::kEndOfSequence:
    case VideoTagKind::kInfo: break;
  }
  return Status::ok();
}

Status demuxAudioTag(std::int64_t timestampMs, std::span<const std::uint8_t> body, media::MediaSink& sink) {
  auto tag = parseAudioTag(body, timestampMs);
  if (!tag.ok()) return tag.status();
  if (tag->kind == AudioTagKind::kSequenceHeader) {
    sink.onAudioConfig(tag->config);
  } else {
    sink.onAudioFrame(tag->frame);
  }
  return Status::ok();
}

}  // namespace ls::flv
