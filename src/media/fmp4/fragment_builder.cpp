#include "media/fmp4/fragment_builder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "media/fmp4/box_writer.hpp"
#include "media/fmp4/codec_config.hpp"

namespace ls::fmp4 {
namespace {

using detail::BoxWriter;

constexpr std::int64_t kAacFrameSamples = 1024;
// Timestamps are clamped to +-10^12 ms (31 years) so tick arithmetic never overflows.
constexpr std::int64_t kMsLimit = 1'000'000'000'000;
// Payload bytes per fragment (per track and in all): mdat and trun offsets stay 32-bit.
constexpr std::size_t kMaxPayload = std::size_t{1} << 30;

constexpr std::uint32_t kTfhdDefaultBaseIsMoof = 0x020000;
constexpr std::uint32_t kTrunDataOffset = 0x000001;
constexpr std::uint32_t kTrunDuration = 0x000100;
constexpr std::uint32_t kTrunSize = 0x000200;
constexpr std::uint32_t kTrunFlags = 0x000400;
constexpr std::uint32_t kTrunCompositionOffset = 0x000800;
// ISO/IEC 14496-12 8.8.3.1 sample flags: sample_depends_on (bits 25..24) and
// sample_is_non_sync_sample (bit 16).
constexpr std::uint32_t kSyncSample = 0x02000000;     // depends on no other sample, sync
constexpr std::uint32_t kNonSyncSample = 0x01010000;  // depends on others, non-sync

constexpr std::size_t kTrafFixed = 8 + 16 + 20 + 20;  // traf header, tfhd, tfdt v1, trun up to its samples
constexpr std::size_t kVideoSampleEntry = 16;          // duration, size, flags, composition offset
constexpr std::size_t kAudioSampleEntry = 12;          // duration, size, flags

std::int64_t clampMs(std::int64_t ms) {
  return std::clamp(ms, -kMsLimit, kMsLimit);
}

std::uint32_t clampU32(std::int64_t v) {
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(v, 0, std::numeric_limits<std::uint32_t>::max()));
}

std::uint32_t readLength(const std::uint8_t* p, std::size_t size) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < size; ++i) v = (v << 8) | p[i];
  return v;
}

void trafHeader(BoxWriter& w, std::uint32_t trackId, std::uint64_t baseDecodeTime) {
  const std::size_t tfhd = w.beginFull("tfhd", 0, kTfhdDefaultBaseIsMoof);
  w.u32(trackId);
  w.end(tfhd);
  const std::size_t tfdt = w.beginFull("tfdt", 1, 0);
  w.u64(baseDecodeTime);
  w.end(tfdt);
}

}  // namespace

FragmentBuilder::FragmentBuilder(const media::VideoConfig* video, const media::AudioConfig* audio) {
  if (video != nullptr && detail::checkVideoConfig(*video).isOk()) {
    naluLengthSize_ = video->naluLengthSize;
    if (video->frameRate > 0) {
      defaultVideoDuration_ = clampU32(std::llround(static_cast<double>(kVideoTimescale) / video->frameRate));
    }
  }
  if (audio != nullptr && detail::checkAudioConfig(*audio).isOk()) sampleRate_ = audio->sampleRate;
}

bool FragmentBuilder::addVideo(const media::VideoFrame& frame) {
  if (naluLengthSize_ == 0) return false;
  const std::span<const std::uint8_t> avcc = frame.avcc;
  // First pass: validate every length and size the rewritten sample.
  std::size_t sampleSize = 0;
  for (std::size_t pos = 0; pos < avcc.size();) {
    if (avcc.size() - pos < naluLengthSize_) return false;
    const std::uint32_t length = readLength(avcc.data() + pos, naluLengthSize_);
    pos += naluLengthSize_;
    if (length > avcc.size() - pos) return false;
    pos += length;
    if (length != 0) sampleSize += 4 + length;
  }
  if (sampleSize == 0 || sampleSize > kMaxPayload - std::min(kMaxPayload, videoData_.size() + audioData_.size())) {
    return false;
  }
  // Second pass: copy with 4-byte lengths.
  for (std::size_t pos = 0; pos < avcc.size();) {
    const std::uint32_t length = readLength(avcc.data() + pos, naluLengthSize_);
    pos += naluLengthSize_;
    if (length != 0) {
      for (int shift = 24; shift >= 0; shift -= 8) videoData_.push_back(static_cast<std::uint8_t>(length >> shift));
      videoData_.insert(videoData_.end(), avcc.begin() + static_cast<std::ptrdiff_t>(pos),
                        avcc.begin() + static_cast<std::ptrdiff_t>(pos + length));
    }
    pos += length;
  }
  video_.push_back(VideoSample{.dts = clampMs(frame.dts),
                               .compositionOffset = frame.compositionOffset,
                               .keyframe = frame.keyframe,
                               .size = static_cast<std::uint32_t>(sampleSize)});
  return true;
}

bool FragmentBuilder::addAudio(const media::AudioFrame& frame) {
  if (sampleRate_ == 0 || frame.raw.empty()) return false;
  if (frame.raw.size() > kMaxPayload - std::min(kMaxPayload, videoData_.size() + audioData_.size())) return false;
  audioData_.insert(audioData_.end(), frame.raw.begin(), frame.raw.end());
  audio_.push_back(AudioSample{.pts = clampMs(frame.pts), .size = static_cast<std::uint32_t>(frame.raw.size())});
  return true;
}

bool FragmentBuilder::empty() const {
  return video_.empty() && audio_.empty();
}

void FragmentBuilder::reset() {
  nextAudioTicks_.reset();
  lastVideoDuration_ = 0;
}

std::uint64_t FragmentBuilder::videoTicks(std::int64_t ms) const {
  return static_cast<std::uint64_t>(std::max<std::int64_t>(0, ms + kTimelineOffsetMs)) * (kVideoTimescale / 1000);
}

std::int64_t FragmentBuilder::audioTicks(std::int64_t ms) const {
  const std::int64_t shifted = std::max<std::int64_t>(0, ms + kTimelineOffsetMs);
  const auto rate = static_cast<std::int64_t>(sampleRate_);
  return shifted / 1000 * rate + shifted % 1000 * rate / 1000;
}

// Decode times of this fragment's audio samples: 1024 ticks apart, continuing
// the previous fragment, except where the ms timeline says otherwise by more
// than half a frame (a gap or an overlap in the source): there the sample
// before it gets a longer (or shorter) duration.
void FragmentBuilder::planAudio() {
  audioTimes_.clear();
  if (audio_.empty()) return;
  constexpr std::int64_t kHalfFrame = kAacFrameSamples / 2;
  const std::int64_t first = audioTicks(audio_.front().pts);
  const bool continues = nextAudioTicks_ && std::abs(first - *nextAudioTicks_) <= kHalfFrame;
  audioTimes_.push_back(continues ? *nextAudioTicks_ : first);
  for (std::size_t i = 1; i < audio_.size(); ++i) {
    const std::int64_t previous = audioTimes_.back();
    const std::int64_t continuous = previous + kAacFrameSamples;
    const std::int64_t fromSource = audioTicks(audio_[i].pts);
    audioTimes_.push_back(std::abs(fromSource - continuous) <= kHalfFrame ? continuous
                                                                          : std::max(fromSource, previous));
  }
  audioTimes_.push_back(audioTimes_.back() + kAacFrameSamples);
  nextAudioTicks_ = audioTimes_.back();
}

Fragment FragmentBuilder::flush(std::optional<std::int64_t> endMs, std::uint32_t sequenceNumber) {
  Fragment fragment;
  if (empty()) return fragment;
  const std::optional<std::int64_t> end = endMs ? std::optional(clampMs(*endMs)) : std::nullopt;

  // The last video sample lasts until endMs, or as long as the one before it.
  std::uint32_t lastVideoDuration = 0;
  if (!video_.empty()) {
    const std::int64_t lastDts = video_.back().dts;
    if (end) {
      lastVideoDuration = clampU32((*end - lastDts) * (kVideoTimescale / 1000));
    } else if (video_.size() > 1) {
      lastVideoDuration = clampU32((lastDts - video_[video_.size() - 2].dts) * (kVideoTimescale / 1000));
    } else {
      lastVideoDuration = lastVideoDuration_ != 0 ? lastVideoDuration_ : defaultVideoDuration_;
    }
    lastVideoDuration_ = lastVideoDuration;
  }
  planAudio();

  fragment.videoSamples = static_cast<std::uint32_t>(video_.size());
  fragment.audioSamples = static_cast<std::uint32_t>(audio_.size());
  fragment.independent = naluLengthSize_ == 0 || (!video_.empty() && video_.front().keyframe);
  fragment.startMs = video_.empty() ? audio_.front().pts : video_.front().dts;
  std::int64_t stopMs = 0;
  if (end) {
    stopMs = *end;
  } else if (!video_.empty()) {
    stopMs = video_.back().dts + lastVideoDuration / (kVideoTimescale / 1000);
  } else {
    stopMs = audio_.back().pts + (kAacFrameSamples * 1000 + sampleRate_ / 2) / sampleRate_;
  }
  fragment.durationMs = std::max<std::int64_t>(0, stopMs - fragment.startMs);
  writeFragment(fragment.bytes, sequenceNumber, lastVideoDuration);

  video_.clear();
  videoData_.clear();
  audio_.clear();
  audioData_.clear();
  return fragment;
}

void FragmentBuilder::writeFragment(Bytes& out, std::uint32_t sequenceNumber, std::uint32_t lastVideoDuration) const {
  std::size_t moofSize = 8 + 16;  // moof header, mfhd
  if (!video_.empty()) moofSize += kTrafFixed + video_.size() * kVideoSampleEntry;
  if (!audio_.empty()) moofSize += kTrafFixed + audio_.size() * kAudioSampleEntry;
  const std::size_t mdatHeader = 8;
  out.reserve(moofSize + mdatHeader + videoData_.size() + audioData_.size());
  BoxWriter w(out);

  const std::size_t moof = w.begin("moof");
  const std::size_t mfhd = w.beginFull("mfhd", 0, 0);
  w.u32(sequenceNumber);
  w.end(mfhd);
  // default-base-is-moof: trun data offsets count from the first byte of the moof.
  const auto videoOffset = static_cast<std::uint32_t>(moofSize + mdatHeader);
  const auto audioOffset = static_cast<std::uint32_t>(moofSize + mdatHeader + videoData_.size());

  if (!video_.empty()) {
    const std::size_t traf = w.begin("traf");
    trafHeader(w, kVideoTrackId, videoTicks(video_.front().dts));
    const std::size_t trun =
        w.beginFull("trun", 1, kTrunDataOffset | kTrunDuration | kTrunSize | kTrunFlags | kTrunCompositionOffset);
    w.u32(static_cast<std::uint32_t>(video_.size()));
    w.u32(videoOffset);
    for (std::size_t i = 0; i < video_.size(); ++i) {
      const VideoSample& s = video_[i];
      const std::uint32_t duration =
          i + 1 < video_.size() ? clampU32((video_[i + 1].dts - s.dts) * (kVideoTimescale / 1000)) : lastVideoDuration;
      const std::int64_t offset = std::int64_t{s.compositionOffset} * (kVideoTimescale / 1000);
      const auto offset32 = static_cast<std::int32_t>(std::clamp<std::int64_t>(
          offset, std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max()));
      w.u32(duration);
      w.u32(s.size);
      w.u32(s.keyframe ? kSyncSample : kNonSyncSample);
      w.u32(static_cast<std::uint32_t>(offset32));  // version 1: signed
    }
    w.end(trun);
    w.end(traf);
  }
  if (!audio_.empty()) {
    const std::size_t traf = w.begin("traf");
    trafHeader(w, kAudioTrackId, static_cast<std::uint64_t>(audioTimes_.front()));
    const std::size_t trun = w.beginFull("trun", 1, kTrunDataOffset | kTrunDuration | kTrunSize | kTrunFlags);
    w.u32(static_cast<std::uint32_t>(audio_.size()));
    w.u32(audioOffset);
    for (std::size_t i = 0; i < audio_.size(); ++i) {
      w.u32(clampU32(audioTimes_[i + 1] - audioTimes_[i]));
      w.u32(audio_[i].size);
      w.u32(kSyncSample);
    }
    w.end(trun);
    w.end(traf);
  }
  w.end(moof);

  const std::size_t mdat = w.begin("mdat");
  w.bytes(videoData_);
  w.bytes(audioData_);
  w.end(mdat);
}

}  // namespace ls::fmp4
