// Arbitrary configs and frames into ls::fmp4::writeInitSegment and
// FragmentBuilder: never crash; every init segment walks as a box tree whose
// sizes add up; every fragment is one moof + one mdat whose truns cover the
// mdat payload exactly, with the sample counts of the frames accepted; a
// refused frame leaves nothing behind. Input layout: ts_mux_input_format.hpp
// (op 2 = flush, op 3 = reset).
#include <array>
#include <cstdint>
#include <optional>

#include "media/fmp4/box_reader.hpp"
#include "media/fmp4/fragment_builder.hpp"
#include "media/fmp4/init_segment.hpp"
#include "ts_mux_input_format.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

constexpr std::array<std::uint32_t, 13> kRates = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                                  22050, 16000, 12000, 11025, 8000,  7350};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ls::fuzz::ts_mux_input;
  Reader in({data, size});
  const std::uint32_t options = in.u(1);
  const ls::media::VideoConfig video = in.videoConfig();
  ls::media::AudioConfig audio;
  audio.objectType = static_cast<std::uint8_t>(in.u(1));
  audio.sampleRateIndex = static_cast<std::uint8_t>(in.u(1));
  audio.channels = static_cast<std::uint8_t>(in.u(1));
  // Indices 13..15 stand for an explicit (non-table) rate, 0 among them.
  audio.sampleRate = audio.sampleRateIndex < kRates.size() ? kRates[audio.sampleRateIndex]
                                                           : (audio.sampleRateIndex - 13U) * 30011U;
  const ls::media::VideoConfig* videoPtr = (options & 1U) == 0 ? &video : nullptr;
  const ls::media::AudioConfig* audioPtr = (options & 2U) == 0 ? &audio : nullptr;

  const ls::Result<ls::fmp4::Bytes> init = ls::fmp4::writeInitSegment(videoPtr, audioPtr);
  if (init.ok()) check(ls::fmp4::checkBoxTree(*init).isOk());

  ls::fmp4::FragmentBuilder builder(videoPtr, audioPtr);
  std::uint32_t sequence = 0;
  std::uint32_t videoAccepted = 0;
  std::uint32_t audioAccepted = 0;
  std::int64_t lastTs = 0;
  auto flush = [&](std::optional<std::int64_t> endMs) {
    const bool wasEmpty = builder.empty();
    check(wasEmpty == (videoAccepted + audioAccepted == 0));
    const ls::fmp4::Fragment f = builder.flush(endMs, ++sequence);
    check(builder.empty());
    check(f.videoSamples == videoAccepted && f.audioSamples == audioAccepted);
    check(f.durationMs >= 0);
    if (wasEmpty) {
      check(f.bytes.empty());
    } else {
      check(ls::fmp4::checkFragment(f.bytes).isOk());
      const auto mfhd = ls::fmp4::findBox(f.bytes, "moof/mfhd");
      check(mfhd.has_value() && ls::fmp4::readU32(mfhd->body, 4) == sequence);
    }
    videoAccepted = 0;
    audioAccepted = 0;
  };

  while (!in.empty()) {
    switch (in.u(1) % kOpCount) {
      case kVideo: {
        ls::media::VideoFrame frame;
        frame.keyframe = (in.u(1) & 1U) != 0;
        frame.dts = static_cast<std::int32_t>(in.u(4));
        frame.compositionOffset = static_cast<std::int32_t>(in.u(4));
        frame.avcc = in.bytes(in.u(4));
        if (builder.addVideo(frame)) {
          ++videoAccepted;
          lastTs = frame.dts;
        }
        break;
      }
      case kAudio: {
        ls::media::AudioFrame frame;
        frame.pts = static_cast<std::int32_t>(in.u(4));
        frame.raw = in.bytes(in.u(4));
        if (builder.addAudio(frame)) {
          ++audioAccepted;
          lastTs = frame.pts;
        }
        break;
      }
      case kTables:
        flush((sequence & 1U) == 0 ? std::optional<std::int64_t>(lastTs + 33) : std::nullopt);
        break;
      case kVideoConfig: builder.reset(); break;
      default: break;
    }
  }
  flush(std::nullopt);
  return 0;
}
