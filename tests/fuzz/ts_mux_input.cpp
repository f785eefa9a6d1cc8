// Arbitrary configs and frames into ls::ts::Muxer: it must never crash,
// always emit whole 188-byte packets starting with 0x47, and leave the
// output untouched when it refuses a frame. Input layout: ts_mux_input_format.hpp.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "media/ts/muxer.hpp"
#include "ts_mux_input_format.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

void checkPackets(const ls::ts::TsBytes& out, std::size_t from) {
  check(out.size() % 188 == 0);
  for (std::size_t at = from; at < out.size(); at += 188) check(out[at] == 0x47);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ls::fuzz::ts_mux_input;
  Reader in({data, size});
  const std::uint32_t options = in.u(1);
  ls::ts::Muxer muxer(ls::ts::MuxerOptions{.hasVideo = (options & 1U) == 0, .hasAudio = (options & 2U) == 0});
  // Owned copies: a config's vectors must outlive nothing but the call, the
  // frames' spans point into the fuzz input.
  muxer.setVideoConfig(in.videoConfig());
  ls::media::AudioConfig audio;
  audio.objectType = static_cast<std::uint8_t>(in.u(1));
  audio.sampleRateIndex = static_cast<std::uint8_t>(in.u(1));
  audio.channels = static_cast<std::uint8_t>(in.u(1));
  muxer.setAudioConfig(audio);

  ls::ts::TsBytes out;
  while (!in.empty()) {
    const std::size_t before = out.size();
    switch (in.u(1) % kOpCount) {
      case kVideo: {
        ls::media::VideoFrame frame;
        frame.keyframe = (in.u(1) & 1U) != 0;
        frame.dts = static_cast<std::int32_t>(in.u(4));
        frame.compositionOffset = static_cast<std::int32_t>(in.u(4));
        frame.avcc = in.bytes(in.u(4));
        if (!muxer.writeVideo(frame, out).isOk()) check(out.size() == before);
        break;
      }
      case kAudio: {
        ls::media::AudioFrame frame;
        frame.pts = static_cast<std::int32_t>(in.u(4));
        frame.raw = in.bytes(in.u(4));
        if (!muxer.writeAudio(frame, out).isOk()) check(out.size() == before);
        break;
      }
      case kTables:
        muxer.writeTables(out);
        check(out.size() == before + 2 * 188);
        break;
      case kVideoConfig: muxer.setVideoConfig(in.videoConfig()); break;
      default: break;
    }
    checkPackets(out, before);
  }
  return 0;
}
