#include "media/server/live_source.hpp"

#include "media/flv/tag_parser.hpp"

namespace ls::media_server {

void LiveSource::addSink(std::unique_ptr<media::MediaSink> sink) {
  if (videoConfig_) sink->onVideoConfig(*videoConfig_);
  if (audioConfig_) sink->onAudioConfig(*audioConfig_);
  sinks_.push_back(std::move(sink));
}

void LiveSource::createSinksOnce() {
  if (sinksCreated_) return;
  sinksCreated_ = true;
  if (factory_) factory_(*this, videoConfig_.has_value(), audioConfig_.has_value());
}

Status LiveSource::pushVideoTag(std::int64_t timestampMs, std::span<const std::uint8_t> body) {
  if (ended_) return Status::ok();
  auto tag = flv::parseVideoTag(body, timestampMs);
  if (!tag.ok()) {
    ++stats_.rejectedTags;
    return tag.status();
  }
  switch (tag->kind) {
    case flv::VideoTagKind::kSequenceHeader:
      videoConfig_ = tag->config;
      for (auto& sink : sinks_) sink->onVideoConfig(*videoConfig_);
      break;
    case flv::VideoTagKind::kFrame:
      ++stats_.videoFrames;
      createSinksOnce();
      for (auto& sink : sinks_) sink->onVideoFrame(tag->frame);
      break;
    case flv::VideoTagKind::kEndOfSequence:
    case flv::VideoTagKind::kInfo:
      break;
  }
  return Status::ok();
}

Status LiveSource::pushAudioTag(std::int64_t timestampMs, std::span<const std::uint8_t> body) {
  if (ended_) return Status::ok();
  auto tag = flv::parseAudioTag(body, timestampMs);
  if (!tag.ok()) {
    ++stats_.rejectedTags;
    return tag.status();
  }
  if (tag->kind == flv::AudioTagKind::kSequenceHeader) {
    audioConfig_ = tag->config;
    for (auto& sink : sinks_) sink->onAudioConfig(*audioConfig_);
  } else {
    ++stats_.audioFrames;
    createSinksOnce();
    for (auto& sink : sinks_) sink->onAudioFrame(tag->frame);
  }
  return Status::ok();
}

void LiveSource::end() {
  if (ended_) return;
  ended_ = true;
  for (auto& sink : sinks_) sink->onEnd();
}

}  // namespace ls::media_server
