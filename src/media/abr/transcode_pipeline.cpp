#include "media/abr/transcode_pipeline.hpp"

extern "C" {
#include <libavutil/frame.h>
}

#include <spdlog/spdlog.h>

#include <algorithm>

namespace ls::abr {

namespace {

// An AAC track's rate when the publisher did not declare one (a common
// encoder default), so a rendition's BANDWIDTH counts some audio.
constexpr std::uint64_t kAssumedAudioBitsPerSecond = 128'000;

// A rendition's BANDWIDTH never goes below its configured video rate (x264's
// VBV max rate) plus the shared audio, with TS overhead.
std::uint64_t bandwidthFloor(const PipelineOptions& options, std::uint64_t videoBitsPerSecond) {
  std::uint64_t audio = 0;
  if (options.hasAudio)
    audio = options.audioBitsPerSecond > 0 ? options.audioBitsPerSecond : kAssumedAudioBitsPerSecond;
  return hls::withTsOverhead(videoBitsPerSecond + audio);
}

// Audio waits for video at most this far behind the newest video input: a
// camera switched off must not hold the sound back forever.
constexpr std::int64_t kVideoStallMs = 1000;
// ~20 s of 48 kHz AAC frames, or 512 KiB of them.
constexpr std::size_t kPendingAudioBytes = std::size_t{512} << 10;
constexpr std::size_t kPendingAudioItems = 1024;

bool sameParameterSets(const media::VideoConfig& a, const media::VideoConfig& b) {
  return a.sps == b.sps && a.pps == b.pps && a.naluLengthSize == b.naluLengthSize;
}

}  // namespace

TranscodePipeline::TranscodePipeline(PipelineOptions options, TranscoderStats& stats)
    : options_(std::move(options)), stats_(stats), pendingAudio_(kPendingAudioBytes, kPendingAudioItems) {}

TranscodePipeline::~TranscodePipeline() {
  finish(false);
}

const std::string& TranscodePipeline::key() const {
  return options_.stream->key();
}

double TranscodePipeline::inputFrameRate() const {
  return videoConfig_ ? videoConfig_->frameRate : 0.0;
}

bool TranscodePipeline::idle() const {
  return planned_ && activeRenditions() == 0;
}

std::size_t TranscodePipeline::activeRenditions() const {
  return static_cast<std::size_t>(
      std::count_if(renditions_.begin(), renditions_.end(), [](const Rendition& r) { return r.active; }));
}

// ---------------------------------------------------------------- input

void TranscodePipeline::onVideoConfig(const media::VideoConfig& config) {
  if (finished_) return;
  // Encoders resend their sequence header (OBS on reconnecting its output);
  // the same parameter sets need no new decoder.
  if (videoConfig_ && sameParameterSets(*videoConfig_, config) && decoder_) return;
  videoConfig_ = config;
  if (!planned_ && config.width > 0 && config.height > 0 &&
      planLadder(options_.ladder, config.width, config.height).empty()) {
    // Known from the SPS already: nothing to decode for this stream.
    plan(config.width, config.height);
  }
  if (idle()) {
    decoder_.reset();
    return;
  }
  if (decoder_) {
    // Pictures the old decoder still holds belong to the old parameter sets.
    decoder_->flush();
    decodeAvailable();
  }
  auto decoder = VideoDecoder::open(config);
  sawKeyframe_ = false;
  keyframes_.clear();
  if (!decoder.ok()) {
    spdlog::warn("abr {}: cannot decode the input: {}", key(), decoder.status().message());
    decoder_.reset();
    return;
  }
  decoder_ = std::move(*decoder);
}

void TranscodePipeline::onAudioConfig(const media::AudioConfig& config) {
  if (finished_ || !options_.hasAudio) return;
  audioConfig_ = config;
  for (Rendition& r : renditions_) {
    if (!r.active) continue;
    // Frames still pending were coded with the previous configuration.
    deliverAudio(r, 0, true);
    r.packager->onAudioConfig(config);
  }
  trimAudio();
}

void TranscodePipeline::onVideoFrame(std::int64_t dts, std::int32_t compositionOffset, bool keyframe,
                                     std::span<const std::uint8_t> avcc, std::int64_t arrivedAt) {
  if (finished_ || idle() || !decoder_) return;
  // Like the original's segmenter: nothing before the first keyframe decodes.
  if (!sawKeyframe_ && !keyframe) return;
  sawKeyframe_ = true;
  const std::int64_t pts = dts + compositionOffset;
  if (keyframe) keyframes_.push({pts, dts});
  inputTimes_.push({dts, arrivedAt});
  lastVideoInputPts_ = std::max(pts, lastVideoInputPts_.value_or(pts));
  if (Status s = decoder_->send(avcc, dts, pts, keyframe); !s.isOk()) {
    // Corrupt input: the decoder recovers at the next keyframe; say so rarely.
    if (decodeErrors_++ % 100 == 0) spdlog::warn("abr {}: {} ({} so far)", key(), s.message(), decodeErrors_);
  }
  decodeAvailable();
}

void TranscodePipeline::onAudioFrame(std::int64_t pts, std::span<const std::uint8_t> raw, std::int64_t arrivedAt) {
  if (finished_ || idle() || !options_.hasAudio) return;
  pushPendingAudio(pts, raw, arrivedAt);
  // Video stalled (camera off): let audio through with a bounded delay.
  if (lastVideoInputPts_ && pts - *lastVideoInputPts_ > kVideoStallMs) {
    for (Rendition& r : renditions_) {
      if (r.active) deliverAudio(r, pts - kVideoStallMs, false);
    }
  }
  trimAudio();
}

// ---------------------------------------------------------------- pictures

void TranscodePipeline::decodeAvailable() {
  while (const AVFrame* picture = decoder_->receive()) {
    stats_.framesDecoded.fetch_add(1, std::memory_order_relaxed);
    onPicture(*picture);
    if (idle()) break;
  }
}

std::optional<std::int64_t> TranscodePipeline::takeInputKeyframe(std::int64_t pts) {
  // Pictures come out in presentation order: keyframe times already passed
  // belong to pictures the decoder dropped.
  while (!keyframes_.empty() && keyframes_.front().pts < pts) keyframes_.pop();
  if (keyframes_.empty() || keyframes_.front().pts != pts) return std::nullopt;
  const std::int64_t dts = keyframes_.front().dts;
  keyframes_.pop();
  return dts;
}

TranscodePipeline::InputTimes TranscodePipeline::assignInputTimes(std::int64_t pts,
                                                                  std::optional<std::int64_t> keyframeDts) {
  // A picture the decoder dropped leaves its times behind; a keyframe, whose
  // own dts is known, puts the sequence back in step.
  if (keyframeDts) {
    while (!inputTimes_.empty() && inputTimes_.front().dts < *keyframeDts) inputTimes_.pop();
  }
  if (inputTimes_.empty()) return {pts, options_.clock->now()};
  InputTimes times = inputTimes_.front();
  inputTimes_.pop();
  times.dts = std::min(times.dts, pts);
  return times;
}

void TranscodePipeline::onPicture(const AVFrame& picture) {
  const auto width = static_cast<std::uint32_t>(std::max(0, picture.width));
  const auto height = static_cast<std::uint32_t>(std::max(0, picture.height));
  if (!planned_) {
    plan(width, height);
  } else if (width != inputWidth_ || height != inputHeight_) {
    resize(width, height);
  }
  const std::optional<std::int64_t> keyframeDts = takeInputKeyframe(picture.pts);
  const InputTimes times = assignInputTimes(picture.pts, keyframeDts);
  for (Rendition& r : renditions_) {
    if (r.active) encode(r, picture, times, keyframeDts.has_value());
  }
  trimAudio();
}

void TranscodePipeline::plan(std::uint32_t width, std::uint32_t height) {
  planned_ = true;
  if (options_.stream) usage_ = options_.stream->usage();
  inputWidth_ = width;
  inputHeight_ = height;
  std::string summary;
  for (const PlannedRendition& p : planLadder(options_.ladder, width, height)) {
    const std::size_t index = stats_.addRendition(p.spec.name, p.width, p.height);
    auto encoder = RenditionEncoder::open({p.width, p.height, p.spec.bitrate, options_.x264Preset, inputFrameRate()});
    if (!encoder.ok()) {
      spdlog::warn("abr {}: rendition {} unavailable: {}", key(), p.spec.name, encoder.status().message());
      stats_.setState(index, RenditionState::kFailed);
      continue;
    }
    hls::PackagerOptions po;
    po.rendition = p.spec.name;
    po.hasVideo = true;
    po.hasAudio = options_.hasAudio;
    po.segmenter = options_.segmenter;
    po.firstMediaSequence = options_.firstMediaSequence;
    po.dateLike = options_.stream->rendition("original");
    po.bandwidthFloor = bandwidthFloor(options_, p.spec.bitrate);
    po.latency = options_.latency;
    po.wallClock = options_.clock;
    Rendition r;
    r.spec = p.spec;
    r.heightLabel = std::to_string(p.spec.height);
    r.statsIndex = index;
    packagerClock_.arrivedAt(options_.clock->now());
    std::unique_ptr<hls::CmafPackager> ll;
    if (options_.ll.enabled) {
      hls::CmafPackagerOptions lo;
      lo.rendition = po.rendition;
      lo.hasVideo = true;
      lo.hasAudio = po.hasAudio;
      lo.segmenter = po.segmenter;
      lo.partTargetMs = options_.ll.partTargetMs;
      lo.firstMediaSequence = po.firstMediaSequence;
      lo.bandwidthFloor = po.bandwidthFloor;
      ll = std::make_unique<hls::CmafPackager>(options_.stream, packagerClock_, lo);
    }
    r.packager = std::make_unique<hls::RenditionPackagers>(
        std::make_unique<hls::HlsPackager>(options_.stream, packagerClock_, po), std::move(ll));
    r.packager->onVideoConfig((*encoder)->config());
    if (audioConfig_) r.packager->onAudioConfig(*audioConfig_);
    r.encoder = std::move(*encoder);
    r.audioCursor = audioBase_;  // audio that arrived before the first picture is theirs too
    summary += (summary.empty() ? "" : ", ") + p.spec.name + " " + std::to_string(p.width) + "x" +
               std::to_string(p.height) + " " + r.encoder->config().codecString();
    renditions_.push_back(std::move(r));
  }
  if (summary.empty()) {
    spdlog::info("abr {}: {}x{} input, no rendition below it", key(), width, height);
  } else {
    spdlog::info("abr {}: {}x{} input, renditions {} (x264 {})", key(), width, height, summary, options_.x264Preset);
  }
}

void TranscodePipeline::resize(std::uint32_t width, std::uint32_t height) {
  spdlog::info("abr {}: input changed from {}x{} to {}x{}", key(), inputWidth_, inputHeight_, width, height);
  inputWidth_ = width;
  inputHeight_ = height;
  for (Rendition& r : renditions_) {
    if (!r.active) continue;
    const PlannedRendition target = fitRung(r.spec, width, height);
    const EncoderSettings& old = r.encoder->settings();
    if (old.width == target.width && old.height == target.height) continue;  // only the scaler changes
    // A new size (the input shrank below the rung, grew back, or changed its
    // aspect ratio): the pictures still in x264 go out at the old size, then
    // a new encoder continues the same playlist with new parameter sets, like
    // the original does when its publisher changes size.
    spdlog::info("abr {}: rendition {} continues at {}x{}", key(), r.spec.name, target.width, target.height);
    r.encoder->flush();
    drainEncoder(r);
    auto encoder =
        RenditionEncoder::open({target.width, target.height, r.spec.bitrate, options_.x264Preset, inputFrameRate()});
    if (!encoder.ok()) {
      spdlog::warn("abr {}: rendition {} cannot follow the new size: {}", key(), r.spec.name,
                   encoder.status().message());
      retire(r, RenditionState::kFailed, false);
      continue;
    }
    r.encoder = std::move(*encoder);
    r.packager->onVideoConfig(r.encoder->config());
  }
}

void TranscodePipeline::encode(Rendition& r, const AVFrame& picture, InputTimes times, bool keyframe) {
  if (Status s = r.encoder->send(picture, picture.pts, times.dts, keyframe, times.arrivedAt); !s.isOk()) {
    spdlog::warn("abr {}: rendition {} failed: {}", key(), r.spec.name, s.message());
    retire(r, RenditionState::kFailed, false);
    return;
  }
  drainEncoder(r);
}

void TranscodePipeline::drainEncoder(Rendition& r) {
  while (auto encoded = r.encoder->receive()) {
    // Audio first up to this picture's time, as the source interleaves them.
    deliverAudio(r, encoded->frame.dts, false);
    packagerClock_.arrivedAt(encoded->tag);
    r.packager->onVideoFrame(encoded->frame);
    stats_.addEncoded(r.statsIndex);
    if (usage_) {
      const std::int64_t step = r.output.step(encoded->frame.dts);
      if (step > 0) usage_->addDuration(usage::Metric::kTranscodeMs, r.heightLabel, options_.clock->now(), step);
    }
  }
}

// ---------------------------------------------------------------- audio

void TranscodePipeline::pushPendingAudio(std::int64_t pts, std::span<const std::uint8_t> raw, std::int64_t arrivedAt) {
  QueueItem item;
  item.kind = ItemKind::kAudio;
  item.ts = pts;
  item.arrivedAt = arrivedAt;
  while (!pendingAudio_.push(item, raw)) {
    if (pendingAudio_.empty()) return;  // a frame larger than the whole ring: not AAC
    // Full: the oldest frame goes to whoever still needs it, now.
    const QueueItem& oldest = pendingAudio_.front();
    for (Rendition& r : renditions_) {
      if (!r.active || r.audioCursor > audioBase_) continue;
      packagerClock_.arrivedAt(oldest.arrivedAt);
      r.packager->onAudioFrame({oldest.ts, pendingAudio_.payload(oldest)});
      r.audioCursor = audioBase_ + 1;
    }
    pendingAudio_.pop();
    ++audioBase_;
  }
}

void TranscodePipeline::deliverAudio(Rendition& r, std::int64_t beforeTs, bool all) {
  r.audioCursor = std::max(r.audioCursor, audioBase_);
  const std::uint64_t end = audioBase_ + pendingAudio_.size();
  while (r.audioCursor < end) {
    const QueueItem& a = pendingAudio_.at(static_cast<std::size_t>(r.audioCursor - audioBase_));
    if (!all && a.ts >= beforeTs) break;
    packagerClock_.arrivedAt(a.arrivedAt);
    r.packager->onAudioFrame({a.ts, pendingAudio_.payload(a)});
    ++r.audioCursor;
  }
}

void TranscodePipeline::trimAudio() {
  if (!planned_) return;  // kept for the renditions about to be created
  std::uint64_t needed = audioBase_ + pendingAudio_.size();
  for (const Rendition& r : renditions_) {
    if (r.active) needed = std::min(needed, r.audioCursor);
  }
  while (audioBase_ < needed) {
    pendingAudio_.pop();
    ++audioBase_;
  }
}

// ---------------------------------------------------------------- ending

void TranscodePipeline::retire(Rendition& r, RenditionState state, bool flush) {
  if (!r.active) return;
  r.active = false;
  if (flush) {
    r.encoder->flush();
    drainEncoder(r);
    if (state == RenditionState::kEnded) deliverAudio(r, 0, true);
  }
  // Publishes the partial segment and EXT-X-ENDLIST; the rendition leaves
  // the master while the others stay live. It ends now, not when its last
  // frame arrived.
  packagerClock_.arrivedAt(options_.clock->now());
  // Its last picture lasted as long as the one before it.
  if (usage_) {
    usage_->addDuration(usage::Metric::kTranscodeMs, r.heightLabel, options_.clock->now(), r.output.lastStep());
  }
  r.packager->onEnd();
  r.packager.reset();
  r.encoder.reset();
  stats_.setState(r.statsIndex, state);
}

bool TranscodePipeline::shedOne(std::int64_t lagMs) {
  for (Rendition& r : renditions_) {
    if (!r.active) continue;
    spdlog::warn("abr {}: transcoding is {} ms behind the input; dropping rendition {} ({} left)", key(), lagMs,
                 r.spec.name, activeRenditions() - 1);
    retire(r, RenditionState::kDropped, false);
    trimAudio();
    return true;
  }
  return false;
}

void TranscodePipeline::finish(bool flush) {
  if (finished_) return;
  finished_ = true;
  if (flush && decoder_ && !idle()) {
    decoder_->flush();
    decodeAvailable();
  }
  for (Rendition& r : renditions_) retire(r, RenditionState::kEnded, flush);
  decoder_.reset();
  pendingAudio_.clear();
}

}  // namespace ls::abr
