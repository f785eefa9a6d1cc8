// FLV video/audio tag bodies, AVCDecoderConfigurationRecord, SPS and
// AudioSpecificConfig parsing on arbitrary bytes. What parses must point
// inside the input and survive a build/parse round trip.
#include <cstdint>
#include <span>

#include "media/flv/audio_specific_config.hpp"
#include "media/flv/avc_decoder_config.hpp"
#include "media/flv/h264_sps.hpp"
#include "media/flv/tag_parser.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

bool inside(std::span<const std::uint8_t> part, std::span<const std::uint8_t> whole) {
  return part.empty() || (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ls::flv;
  const std::span<const std::uint8_t> input(data, size);

  if (auto video = parseVideoTag(input, 1000); video.ok()) {
    if (video->kind == VideoTagKind::kFrame) check(inside(video->frame.avcc, input) && !video->frame.avcc.empty());
    if (video->kind == VideoTagKind::kSequenceHeader) {
      for (const auto& sps : video->config.sps) (void)parseH264Sps(sps);
      auto rebuilt = buildAvcDecoderConfigurationRecord(video->config);
      if (rebuilt.ok()) {
        auto again = parseAvcDecoderConfigurationRecord(*rebuilt);
        check(again.ok() && again->sps == video->config.sps && again->pps == video->config.pps &&
              again->naluLengthSize == video->config.naluLengthSize);
      }
    }
  }
  if (auto audio = parseAudioTag(input, 1000); audio.ok()) {
    if (audio->kind == AudioTagKind::kFrame) check(inside(audio->frame.raw, input) && !audio->frame.raw.empty());
  }
  if (auto sps = parseH264Sps(input); sps.ok()) {
    check(sps->width > 0 && sps->height > 0 && sps->width <= 4096 * 16 && sps->height <= 4096 * 16);
  }
  if (auto asc = parseAudioSpecificConfig(input); asc.ok()) {
    check(asc->config.sampleRateIndex <= 12 && asc->config.sampleRate > 0);
    if (auto rebuilt = buildAudioSpecificConfig(asc->config); rebuilt.ok()) {
      auto again = parseAudioSpecificConfig(*rebuilt);
      check(again.ok() && again->config.sampleRate == asc->config.sampleRate &&
            again->config.channels == asc->config.channels);
    }
  }
  return 0;
}
