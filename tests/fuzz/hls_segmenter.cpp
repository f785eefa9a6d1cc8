// Frame events into Segmenter, its segments into a Rendition (window sliding,
// discontinuities, reconnects, ENDLIST) and the master renderer. Must never
// crash, and no duration may come out negative or non-numeric.
//
// Input: byte 0 options (bit 0 video, bit 1 audio, bits 2-4 target),
// byte 1 window size, then 4-byte events:
//   e[0] bits 0-1 kind (0 video, 1 audio, 2 reconnect/end, 3 variant),
//        bit 2 keyframe, bits 3-4 timestamp mode (step, signed step, absolute, extreme);
//   e[1..3] the value for that mode (and the frame size).
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>

#include "media/hls/playlist.hpp"
#include "media/hls/segment_store.hpp"
#include "media/hls/segmenter.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

// Every EXTINF value starts with a digit and the target is a positive integer.
void checkPlaylist(const std::string& text) {
  for (std::size_t pos = text.find("#EXTINF:"); pos != std::string::npos; pos = text.find("#EXTINF:", pos + 1)) {
    const char c = text[pos + 8];
    check(c >= '0' && c <= '9');
  }
  const std::size_t target = text.find("#EXT-X-TARGETDURATION:");
  check(target != std::string::npos);
  check(text[target + 22] >= '1' && text[target + 22] <= '9');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ls::hls;
  if (size < 2) return 0;
  SegmenterOptions options;
  options.hasVideo = (data[0] & 1) != 0;
  options.hasAudio = (data[0] & 2) != 0;
  if (!options.hasVideo && !options.hasAudio) options.hasVideo = options.hasAudio = true;
  options.targetMs = 500 * (1 + ((data[0] >> 2) & 7));
  options.maxSegmentBytes = 1 << 16;
  RenditionOptions renditionOptions;
  renditionOptions.windowSize = 1 + data[1] % 8;
  renditionOptions.retiredSegments = data[1] / 8 % 4;

  StreamHls stream("fuzz", renditionOptions);
  auto attachment = stream.attach("original", 0);
  Segmenter segmenter(options);
  std::int64_t videoTs = 0;
  std::int64_t audioTs = 0;
  ls::UnixMillis now = 0;

  auto publish = [&](std::int64_t durationMs, bool discontinuity) {
    check(durationMs >= 0);
    SegmentDraft draft;
    draft.durationMs = durationMs;
    draft.discontinuity = discontinuity;
    attachment.rendition->publish(attachment.lease, std::move(draft));
    checkPlaylist(*attachment.rendition->playlist());
  };

  for (std::size_t i = 2; i + 4 <= size; i += 4) {
    const std::uint8_t* e = data + i;
    const int kind = e[0] & 3;
    const bool keyframe = (e[0] & 4) != 0;
    const int mode = (e[0] >> 3) & 3;
    const std::uint32_t value = static_cast<std::uint32_t>(e[1]) << 16 | static_cast<std::uint32_t>(e[2]) << 8 | e[3];
    now += e[3];

    if (kind == 2) {
      // The publisher leaves (partial segment flushed) and comes back.
      if (const auto last = segmenter.finish()) publish(*last, false);
      stream.end(attachment, now);
      if (stream.sweep(now + (e[1] & 1 ? 60'000 : 0), 60'000)) return 0;
      attachment = stream.attach("original", 0);
      segmenter = Segmenter(options);
      continue;
    }
    if (kind == 3) {
      // Variant info as a broken SPS or onMetaData might give it.
      Variant v;
      v.bandwidth = value;
      v.width = e[1];
      v.height = e[2];
      switch (e[3] & 3) {
        case 0: v.frameRate = std::numeric_limits<double>::quiet_NaN(); break;
        case 1: v.frameRate = std::numeric_limits<double>::infinity(); break;
        default: v.frameRate = static_cast<double>(static_cast<std::int32_t>(value << 8)) / 1001.0;
      }
      v.codecs = "avc1.42c00a";
      stream.setVariant("original", v);
      continue;
    }

    std::int64_t& ts = kind == 0 ? videoTs : audioTs;
    switch (mode) {
      // Wrapping steps: after an extreme value the next step may overflow.
      case 0: ts = static_cast<std::int64_t>(static_cast<std::uint64_t>(ts) + (value & 0xffff)); break;
      case 1:
        ts = static_cast<std::int64_t>(static_cast<std::uint64_t>(ts) +
                                       static_cast<std::uint64_t>(static_cast<std::int16_t>(value & 0xffff)));
        break;
      case 2: ts = static_cast<std::int64_t>(value) << (e[1] & 31); break;
      default: {
        constexpr std::int64_t extremes[] = {std::numeric_limits<std::int64_t>::min(),
                                             std::numeric_limits<std::int64_t>::max(), 0, -1};
        ts = extremes[e[1] & 3];
      }
    }
    const std::size_t bytes = e[3] * 64u;
    const SegmentDecision d = kind == 0 ? segmenter.onVideo(ts, keyframe, bytes) : segmenter.onAudio(ts, bytes);
    check(d.closedDurationMs >= 0);
    if (d.action == FrameAction::kCutThenAppend) publish(d.closedDurationMs, d.discontinuity);
  }
  if (const auto last = segmenter.finish()) publish(*last, false);
  stream.end(attachment, now);
  if (auto master = stream.master()) check(master->rfind("#EXTM3U\n", 0) == 0);
  return 0;
}
