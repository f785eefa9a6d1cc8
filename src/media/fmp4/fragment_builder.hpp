// CMAF fragments (ISO/IEC 14496-12 movie fragments) for the tracks of
// init_segment.hpp: one moof (mfhd, then a traf per track that has samples:
// tfhd with default-base-is-moof, tfdt version 1, trun version 1 with data
// offset, per-sample duration, size, flags and, for video, signed
// composition offset) and one mdat (video samples, then audio samples).
//
// Sans-IO, no clocks. Frames are copied in (video NALU lengths rewritten to
// 4 bytes); the sample and payload vectors are reused between fragments, so
// once they have grown to a fragment's size adding a frame allocates nothing.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "media/core/frame.hpp"
#include "media/fmp4/init_segment.hpp"

namespace ls::fmp4 {

struct Fragment {
  Bytes bytes;                  // one moof (a traf per track that has samples) + one mdat
  std::int64_t startMs = 0;     // source ms of the first sample (video dts when it has video)
  std::int64_t durationMs = 0;  // endMs - startMs (see flush)
  bool independent = false;     // first video sample is a keyframe; audio-only: always true
  std::uint32_t videoSamples = 0;
  std::uint32_t audioSamples = 0;
};

class FragmentBuilder {
 public:
  // Either pointer may be null (that track absent). Copies what it needs. A
  // config writeInitSegment would refuse leaves its track absent too.
  FragmentBuilder(const media::VideoConfig* video, const media::AudioConfig* audio);

  // Copy the payload (video NALU length prefixes rewritten to 4 bytes when naluLengthSize != 4;
  // zero-length NALUs dropped). A malformed AVCC payload (a length past the end), a frame with
  // no NALU bytes, an empty audio frame or a frame for an absent track is refused: returns
  // false, nothing kept.
  bool addVideo(const media::VideoFrame& frame);
  bool addAudio(const media::AudioFrame& frame);
  [[nodiscard]] bool empty() const;

  // Closes the fragment. endMs: where the next fragment starts (the dts of the frame that opens it);
  // nullopt at the end of the stream (the last video sample keeps the previous sample duration).
  // Sample durations come from the next sample's timestamp; audio (AAC) is 1024 samples each,
  // decode times kept continuous across fragments (resynced when the ms timeline jumps by more
  // than half a frame). mfhd sequence number = sequenceNumber. Buffers are reused between calls.
  // An empty builder gives an empty Fragment (no bytes). With a video track, a fragment is
  // independent only when its first video sample is a keyframe (one holding only audio is not);
  // without one (audio-only stream), always.
  Fragment flush(std::optional<std::int64_t> endMs, std::uint32_t sequenceNumber);

  // After a timestamp discontinuity: forget continuity state (next decode times restart from
  // the new frames' timestamps).
  void reset();

 private:
  struct VideoSample {
    std::int64_t dts = 0;  // ms
    std::int32_t compositionOffset = 0;  // ms
    bool keyframe = false;
    std::uint32_t size = 0;
  };
  struct AudioSample {
    std::int64_t pts = 0;  // ms
    std::uint32_t size = 0;
  };

  [[nodiscard]] std::uint64_t videoTicks(std::int64_t ms) const;
  [[nodiscard]] std::int64_t audioTicks(std::int64_t ms) const;
  void planAudio();
  void writeFragment(Bytes& out, std::uint32_t sequenceNumber, std::uint32_t lastVideoDuration) const;

  std::uint8_t naluLengthSize_ = 0;  // 0: no video track
  std::uint32_t sampleRate_ = 0;     // 0: no audio track
  std::uint32_t defaultVideoDuration_ = 0;  // 90 kHz ticks from the config's frame rate; 0 if unknown

  std::vector<VideoSample> video_;
  std::vector<std::uint8_t> videoData_;
  std::vector<AudioSample> audio_;
  std::vector<std::uint8_t> audioData_;
  // Audio decode times (sampleRate ticks) of this fragment's samples, and one past the last.
  std::vector<std::int64_t> audioTimes_;

  // Continuity across fragments.
  std::optional<std::int64_t> nextAudioTicks_;
  std::uint32_t lastVideoDuration_ = 0;  // ticks of the last video sample written
};

}  // namespace ls::fmp4
