#include "media/hls/packager.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "media/ts/muxer.hpp"

namespace ls::hls {

namespace {

// Room for the 188-byte packets of a segment's PAT, PMT and first frames
// beyond what the previous segment needed.
constexpr std::size_t kReserveSlack = 16 * 188;
// The first segment's buffer (a 2 s segment at 2 Mbit/s); it grows by doubling.
constexpr std::size_t kFirstSegmentReserve = std::size_t{512} << 10;

}  // namespace

SegmenterOptions segmenterOptionsFor(SegmenterOptions options, bool hasVideo, bool hasAudio) {
  options.hasVideo = hasVideo;
  options.hasAudio = hasAudio;
  return options;
}

std::uint64_t firstMediaSequenceFor(const std::optional<std::uint64_t>& given, const Clock& clock) {
  if (given) return *given;
  return static_cast<std::uint64_t>(std::max<UnixMillis>(0, clock.now()) / 1000);
}

HlsPackager::HlsPackager(std::shared_ptr<StreamHls> stream, const Clock& clock, PackagerOptions options)
    : stream_(std::move(stream)),
      clock_(clock),
      options_(std::move(options)),
      muxer_(std::make_unique<ts::Muxer>(ts::MuxerOptions{options_.hasVideo, options_.hasAudio})),
      segmenter_(segmenterOptionsFor(options_.segmenter, options_.hasVideo, options_.hasAudio)),
      attachment_(stream_->attach(options_.rendition, firstMediaSequenceFor(options_.firstMediaSequence, clock_))) {
  if (attachment_.lease.continuing) {
    spdlog::info("hls {}/{}: publisher reconnected, continuing the playlist after a discontinuity", stream_->key(),
                 options_.rendition);
  }
  buffer_ = attachment_.rendition->takeBuffer(kFirstSegmentReserve);
}

HlsPackager::~HlsPackager() {
  if (!ended_) onEnd();
}

void HlsPackager::onVideoConfig(const media::VideoConfig& config) {
  if (ended_ || !options_.hasVideo) return;
  muxer_->setVideoConfig(config);
  videoConfig_ = config;
  publishVariant();
}

void HlsPackager::onAudioConfig(const media::AudioConfig& config) {
  if (ended_ || !options_.hasAudio) return;
  muxer_->setAudioConfig(config);
  audioConfig_ = config;
  publishVariant();
}

void HlsPackager::onVideoFrame(const media::VideoFrame& frame) {
  if (ended_) return;
  const SegmentDecision d = segmenter_.onVideo(frame.dts, frame.keyframe, frame.avcc.size());
  if (d.action == FrameAction::kDrop) {
    ++stats_.droppedFrames;
    return;
  }
  handle(d, segmenter_.segmentStart());
  if (!muxer_->writeVideo(frame, buffer_).isOk()) {
    ++stats_.muxErrors;
    return;
  }
  ++segmentFrames_;
}

void HlsPackager::onAudioFrame(const media::AudioFrame& frame) {
  if (ended_) return;
  const SegmentDecision d = segmenter_.onAudio(frame.pts, frame.raw.size());
  if (d.action == FrameAction::kDrop) {
    ++stats_.droppedFrames;
    return;
  }
  handle(d, segmenter_.segmentStart());
  if (!muxer_->writeAudio(frame, buffer_).isOk()) {
    ++stats_.muxErrors;
    return;
  }
  ++segmentFrames_;
}

void HlsPackager::onEnd() {
  if (ended_) return;
  ended_ = true;
  const auto lastDuration = segmenter_.finish();
  if (segmentOpen_ && lastDuration && segmentFrames_ > 0) closeSegment(*lastDuration);
  stream_->end(attachment_, clock_.now());
}

void HlsPackager::handle(const SegmentDecision& decision, std::int64_t segmentStart) {
  if (decision.action == FrameAction::kCutThenAppend) {
    noteCut(decision);
    if (segmentOpen_) closeSegment(decision.closedDurationMs);
    openSegment(segmentStart, decision.discontinuity);
  } else if (!segmentOpen_) {
    openSegment(segmentStart, false);
  }
}

void HlsPackager::openSegment(std::int64_t startTs, bool discontinuity) {
  if (!anchorWall_ || discontinuity) {
    anchorWall_ = clock_.now();
    anchorTs_ = startTs;
  }
  // Both timestamps come clamped from the segmenter: no overflow here.
  segmentDateTime_ = *anchorWall_ + (startTs - anchorTs_);
  segmentDiscontinuity_ = discontinuity;
  segmentFrames_ = 0;
  segmentOpen_ = true;
  muxer_->writeTables(buffer_);
}

void HlsPackager::closeSegment(std::int64_t durationMs) {
  segmentOpen_ = false;
  SegmentDraft draft;
  draft.bytes = std::move(buffer_);
  draft.durationMs = durationMs;
  draft.programDateTime = segmentDateTime_;
  if (options_.dateLike) {
    const auto twin = options_.dateLike->segmentBySequence(attachment_.rendition->nextSequence());
    if (twin && twin->programDateTime) draft.programDateTime = twin->programDateTime;
  }
  draft.discontinuity = segmentDiscontinuity_;
  const std::size_t size = draft.bytes.size();
  // The bytes now belong to the store. Publishing first lets the segment it
  // retires hand its buffer back, so the next segment starts in that memory
  // (already mapped, sized like this one): steady state neither grows nor
  // faults, and a stream holds one buffer beyond the segments it serves.
  if (!attachment_.rendition->publish(attachment_.lease, std::move(draft))) {
    // A newer packager took over this rendition; stop writing into it.
    spdlog::warn("hls {}/{}: superseded by a newer publisher", stream_->key(), options_.rendition);
    ended_ = true;
    return;
  }
  if (options_.latency != nullptr && options_.wallClock != nullptr) {
    options_.latency->record(options_.wallClock->now() - clock_.now());
  }
  buffer_ = attachment_.rendition->takeBuffer(size + size / 8 + kReserveSlack);
  ++stats_.segments;
  stats_.totalBytes += size;
  stats_.totalDurationMs += durationMs;
  // Peak over full-length segments only: a 40 ms segment closed by a
  // timestamp jump holding one keyframe would claim tens of Mbit/s.
  if (durationMs > 0 && durationMs * 2 >= segmenter_.options().targetMs) {
    const auto bits = static_cast<double>(size) * 8000.0 / static_cast<double>(durationMs);
    stats_.peakBitsPerSecond = std::max(stats_.peakBitsPerSecond, static_cast<std::uint64_t>(bits));
  }
  if (stats_.totalDurationMs > 0) {
    stats_.averageBitsPerSecond = static_cast<std::uint64_t>(static_cast<double>(stats_.totalBytes) * 8000.0 /
                                                             static_cast<double>(stats_.totalDurationMs));
  }
  publishVariant();
}

void HlsPackager::noteCut(const SegmentDecision& decision) {
  switch (decision.reason) {
    case CutReason::kOverlong:
      // Every segment of such a stream is overlong: say it once, count the rest.
      if (!loggedOverlong_) {
        loggedOverlong_ = true;
        spdlog::warn(
            "hls {}/{}: {} ms segment, keyframes are rarer than the {} ms target; set the encoder's keyframe "
            "interval to {} s",
            stream_->key(), options_.rendition, decision.closedDurationMs, segmenter_.options().targetMs,
            segmenter_.options().targetMs / 1000);
      }
      ++stats_.overlongSegments;
      break;
    case CutReason::kNoKeyframe:
    case CutReason::kSizeLimit:
      ++stats_.forcedCuts;
      spdlog::warn("hls {}/{}: segment cut without a keyframe ({}) after {} ms", stream_->key(), options_.rendition,
                   cutReasonName(decision.reason), decision.closedDurationMs);
      break;
    case CutReason::kTimestampJump:
      ++stats_.discontinuities;
      spdlog::info("hls {}/{}: timestamp jump, discontinuity", stream_->key(), options_.rendition);
      break;
    case CutReason::kVideoStalled:
    case CutReason::kTarget:
    case CutReason::kNone: break;
  }
}

std::optional<Variant> describeVariant(const VariantFacts& facts) {
  if (!facts.video && !facts.audio) return std::nullopt;
  Variant v;
  // Before any full-length segment, a short one's average is the best figure there is.
  v.bandwidth = std::max({facts.peakBitsPerSecond, facts.nominalBandwidth, facts.averageBitsPerSecond});
  if (v.bandwidth == 0) return std::nullopt;
  v.bandwidth = std::max(v.bandwidth, facts.bandwidthFloor);
  v.averageBandwidth = facts.averageBitsPerSecond;
  v.name = facts.name;
  if (facts.video) {
    v.width = facts.video->width;
    v.height = facts.video->height;
    v.frameRate = facts.video->frameRate;
    v.codecs = facts.video->codecString();
  }
  if (facts.audio) {
    if (!v.codecs.empty()) v.codecs += ',';
    v.codecs += facts.audio->codecString();
  }
  return v;
}

std::optional<Variant> HlsPackager::variant() const {
  return describeVariant({options_.rendition, options_.hasVideo && videoConfig_ ? &*videoConfig_ : nullptr,
                          options_.hasAudio && audioConfig_ ? &*audioConfig_ : nullptr, stats_.peakBitsPerSecond,
                          stats_.averageBitsPerSecond, options_.nominalBandwidth, options_.bandwidthFloor});
}

void HlsPackager::publishVariant() {
  if (auto v = variant()) stream_->setVariant(options_.rendition, std::move(*v));
}

}  // namespace ls::hls
