#include "media/hls/cmaf_packager.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "media/fmp4/fragment_builder.hpp"
#include "media/fmp4/init_segment.hpp"

namespace ls::hls {

CmafPackager::CmafPackager(std::shared_ptr<StreamHls> stream, const Clock& clock, CmafPackagerOptions options)
    : stream_(std::move(stream)),
      clock_(clock),
      options_(std::move(options)),
      segmenter_(segmenterOptionsFor(options_.segmenter, options_.hasVideo, options_.hasAudio)),
      cutter_(PartCutterOptions{options_.partTargetMs, options_.hasVideo}),
      attachment_(stream_->ll().attach(options_.rendition, firstMediaSequenceFor(options_.firstMediaSequence, clock_),
                                       options_.partTargetMs, targetDurationFor(options_.segmenter.targetMs))) {}

CmafPackager::~CmafPackager() {
  if (!ended_) onEnd();
}

void CmafPackager::onVideoConfig(const media::VideoConfig& config) {
  if (ended_ || !options_.hasVideo) return;
  videoConfig_ = config;
  initStale_ = true;
  publishVariant();
}

void CmafPackager::onAudioConfig(const media::AudioConfig& config) {
  if (ended_ || !options_.hasAudio) return;
  audioConfig_ = config;
  initStale_ = true;
  publishVariant();
}

bool CmafPackager::refreshInit() {
  initStale_ = false;
  const media::VideoConfig* video = options_.hasVideo && videoConfig_ ? &*videoConfig_ : nullptr;
  const media::AudioConfig* audio = options_.hasAudio && audioConfig_ ? &*audioConfig_ : nullptr;
  if (video == nullptr && audio == nullptr) return false;
  auto init = fmp4::writeInitSegment(video, audio);
  if (!init.ok()) {
    if (stats_.initErrors++ == 0) {
      spdlog::warn("hls {}/{}: no fMP4 init segment for this configuration: {}", stream_->key(), options_.rendition,
                   init.status().message());
    }
    return false;
  }
  if (*init == init_) return false;
  init_ = std::move(*init);
  return true;
}

void CmafPackager::ensureBuilder() {
  if (!initStale_ && builder_) return;
  const bool hadBuilder = builder_ != nullptr;
  if (!refreshInit() && hadBuilder) return;  // nothing that matters changed
  if (init_.empty()) return;
  if (hadBuilder && segmentOpen_) {
    // New parameter sets need a new init segment, which applies from a
    // segment boundary: the segment so far ends here.
    ++stats_.reinits;
    const auto duration = segmenter_.finish();
    if (partHasSamples_ || segmentHasParts_) closePart(std::nullopt, duration.value_or(0));
    segmentOpen_ = false;
    segmentDiscontinuity_ = true;
    spdlog::info("hls {}/{}: codec configuration changed, new init segment", stream_->key(), options_.rendition);
  }
  const media::VideoConfig* video = options_.hasVideo && videoConfig_ ? &*videoConfig_ : nullptr;
  const media::AudioConfig* audio = options_.hasAudio && audioConfig_ ? &*audioConfig_ : nullptr;
  builder_ = std::make_unique<fmp4::FragmentBuilder>(video, audio);
  if (!attachment_.rendition->setInit(attachment_.lease, init_)) ended_ = true;  // superseded
}

void CmafPackager::onVideoFrame(const media::VideoFrame& frame) {
  if (ended_) return;
  if (initStale_ || !builder_) ensureBuilder();
  if (!builder_ || ended_) {
    ++stats_.droppedFrames;
    return;
  }
  const SegmentDecision d = segmenter_.onVideo(frame.dts, frame.keyframe, frame.avcc.size());
  if (d.action == FrameAction::kDrop) {
    ++stats_.droppedFrames;
    return;
  }
  beforeFrame(d, frame.dts, true);
  if (ended_) return;
  if (builder_->addVideo(frame)) {
    partHasSamples_ = true;
  } else {
    ++stats_.refusedFrames;
  }
}

void CmafPackager::onAudioFrame(const media::AudioFrame& frame) {
  if (ended_) return;
  if (initStale_ || !builder_) ensureBuilder();
  if (!builder_ || ended_) {
    ++stats_.droppedFrames;
    return;
  }
  const SegmentDecision d = segmenter_.onAudio(frame.pts, frame.raw.size());
  if (d.action == FrameAction::kDrop) {
    ++stats_.droppedFrames;
    return;
  }
  beforeFrame(d, frame.pts, false);
  if (ended_) return;
  if (builder_->addAudio(frame)) {
    partHasSamples_ = true;
  } else {
    ++stats_.refusedFrames;
  }
}

void CmafPackager::beforeFrame(const SegmentDecision& decision, std::int64_t ts, bool video) {
  if (decision.action == FrameAction::kCutThenAppend) {
    if (segmentOpen_) closePart(ts, decision.closedDurationMs);
    if (decision.discontinuity) {
      ++stats_.discontinuities;
      builder_->reset();  // decode times restart on the new timeline
    }
    openSegment(segmenter_.segmentStart(), decision.discontinuity);
  } else if (!segmentOpen_) {
    openSegment(segmenter_.segmentStart(), false);
  }
  // Asked for every frame so the cutter knows the frame intervals; a part
  // that has no sample yet is never cut.
  const bool cut = video ? cutter_.cutBeforeVideo(ts) : cutter_.cutBeforeAudio(ts);
  if (cut && partHasSamples_) closePart(ts, std::nullopt);
}

void CmafPackager::settlePartTarget() {
  partTargetSettled_ = true;
  double interval = 0;
  if (options_.hasVideo) {
    if (videoConfig_) interval = videoFrameIntervalMs(videoConfig_->frameRate);
  } else if (audioConfig_) {
    interval = aacFrameIntervalMs(audioConfig_->sampleRate);
  }
  const std::int64_t proposed = declaredPartTargetMs(options_.partTargetMs, interval);
  // The first rendition of the stream to get here decides for all (the
  // ladder has the original's frame rate and timestamps; a reconnect keeps
  // the playlist's PART-TARGET, which must not change).
  const std::int64_t declared = stream_->ll().settlePartTarget(proposed);
  if (declared != proposed) {
    spdlog::info("hls {}/{}: part target stays {} ms (this input's frame rate would give {} ms)", stream_->key(),
                 options_.rendition, declared, proposed);
  }
  cutter_ = PartCutter(PartCutterOptions{declared, options_.hasVideo});
  if (!attachment_.rendition->setPartTarget(attachment_.lease, declared)) ended_ = true;  // superseded
}

void CmafPackager::openSegment(std::int64_t startTs, bool discontinuity) {
  if (!partTargetSettled_) settlePartTarget();
  if (!anchorWall_ || discontinuity) {
    anchorWall_ = clock_.now();
    anchorTs_ = startTs;
  }
  segmentDateTime_ = *anchorWall_ + (startTs - anchorTs_);
  segmentDiscontinuity_ = segmentDiscontinuity_ || discontinuity;
  segmentOpen_ = true;
  segmentHasParts_ = false;
  partHasSamples_ = false;
  partStartTs_ = startTs;
  cutter_.segmentStarted(startTs);
}

void CmafPackager::closePart(std::optional<std::int64_t> endMs, std::optional<std::int64_t> closesSegmentMs) {
  fmp4::Fragment fragment;
  if (partHasSamples_) fragment = builder_->flush(endMs, ++fragmentSequence_);
  partHasSamples_ = false;
  if (fragment.bytes.empty() && !closesSegmentMs) return;
  LlPartDraft draft;
  draft.bytes = fragment.bytes;
  // At the end of the stream the builder's estimate (the last frame lasts as
  // long as the one before it) is all there is.
  draft.durationMs = endMs ? std::max<std::int64_t>(0, *endMs - partStartTs_) : fragment.durationMs;
  if (endMs) partStartTs_ = *endMs;
  draft.independent = fragment.independent;
  draft.closesSegmentMs = closesSegmentMs;
  if (!segmentHasParts_) {
    draft.programDateTime = segmentDateTime_;
    draft.discontinuity = segmentDiscontinuity_;
  }
  if (fragment.bytes.empty() && !segmentHasParts_) return;  // an empty segment: nothing to list
  const auto msn = attachment_.rendition->publishPart(attachment_.lease, draft);
  if (!msn) {
    spdlog::warn("hls {}/{}: LL rendition superseded by a newer publisher", stream_->key(), options_.rendition);
    ended_ = true;
    return;
  }
  segmentHasParts_ = true;
  segmentDiscontinuity_ = false;
  if (!fragment.bytes.empty()) {
    ++stats_.parts;
    stats_.longestPartMs = std::max(stats_.longestPartMs, draft.durationMs);
    stats_.totalBytes += fragment.bytes.size();
  }
  if (!closesSegmentMs) return;
  segmentOpen_ = false;
  ++stats_.segments;
  const std::int64_t durationMs = *closesSegmentMs;
  stats_.totalDurationMs += durationMs;
  // As HlsPackager: the peak over full-length segments only.
  const std::uint64_t segmentBytes = stats_.totalBytes - segmentBytesBefore_;
  segmentBytesBefore_ = stats_.totalBytes;
  if (durationMs > 0 && durationMs * 2 >= segmenter_.options().targetMs) {
    const auto bits = static_cast<double>(segmentBytes) * 8000.0 / static_cast<double>(durationMs);
    stats_.peakBitsPerSecond = std::max(stats_.peakBitsPerSecond, static_cast<std::uint64_t>(bits));
  }
  if (stats_.totalDurationMs > 0) {
    stats_.averageBitsPerSecond = static_cast<std::uint64_t>(static_cast<double>(stats_.totalBytes) * 8000.0 /
                                                             static_cast<double>(stats_.totalDurationMs));
  }
  publishVariant();
}

void CmafPackager::onEnd() {
  if (ended_) return;
  const auto lastDuration = segmenter_.finish();
  if (segmentOpen_ && builder_ && (partHasSamples_ || segmentHasParts_)) {
    closePart(std::nullopt, lastDuration.value_or(0));
  }
  ended_ = true;
  stream_->ll().end(attachment_, clock_.now());
}

std::optional<Variant> CmafPackager::variant() const {
  return describeVariant({options_.rendition, options_.hasVideo && videoConfig_ ? &*videoConfig_ : nullptr,
                          options_.hasAudio && audioConfig_ ? &*audioConfig_ : nullptr, stats_.peakBitsPerSecond,
                          stats_.averageBitsPerSecond, options_.nominalBandwidth, options_.bandwidthFloor});
}

void CmafPackager::publishVariant() {
  if (auto v = variant()) stream_->ll().setVariant(options_.rendition, std::move(*v));
}

// ---------------------------------------------------------------- RenditionPackagers

void RenditionPackagers::onVideoConfig(const media::VideoConfig& config) {
  ts_->onVideoConfig(config);
  if (cmaf_) cmaf_->onVideoConfig(config);
}

void RenditionPackagers::onAudioConfig(const media::AudioConfig& config) {
  ts_->onAudioConfig(config);
  if (cmaf_) cmaf_->onAudioConfig(config);
}

void RenditionPackagers::onVideoFrame(const media::VideoFrame& frame) {
  ts_->onVideoFrame(frame);
  if (cmaf_) cmaf_->onVideoFrame(frame);
}

void RenditionPackagers::onAudioFrame(const media::AudioFrame& frame) {
  ts_->onAudioFrame(frame);
  if (cmaf_) cmaf_->onAudioFrame(frame);
}

void RenditionPackagers::onEnd() {
  ts_->onEnd();
  if (cmaf_) cmaf_->onEnd();
}

}  // namespace ls::hls
