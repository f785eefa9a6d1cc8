#include "media/hls/cmaf_packager.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <string>
#include <vector>

namespace ls::hls {
namespace {

constexpr UnixMillis kT0 = 1768241558918;

// The 16x16 baseline H.264 and AAC frames of packager_test.cpp (x264, ffmpeg).
const std::vector<std::uint8_t> kSps = {0x67, 0x42, 0xc0, 0x0a, 0xd9, 0x1e, 0xc0, 0x44, 0x00, 0x00, 0x03,
                                        0x00, 0x04, 0x00, 0x00, 0x03, 0x00, 0xf0, 0x3c, 0x48, 0x99, 0x20};
const std::vector<std::uint8_t> kPps = {0x68, 0xcb, 0x83, 0xcb, 0x20};
const std::vector<std::uint8_t> kIdrFrame = {0x00, 0x00, 0x00, 0x09, 0x65, 0x88, 0x84,
                                             0x0a, 0xf2, 0x62, 0x80, 0x01, 0x7c};
const std::vector<std::uint8_t> kPFrame = {0x00, 0x00, 0x00, 0x05, 0x41, 0x9a, 0x38, 0x13, 0xea};
const std::vector<std::uint8_t> kAacFrame = {0x21, 0x10, 0x04, 0x60, 0x8c, 0x1c};

media::VideoConfig videoConfig() {
  media::VideoConfig c;
  c.sps = {kSps};
  c.pps = {kPps};
  c.naluLengthSize = 4;
  c.profileIdc = 0x42;
  c.constraintFlags = 0xc0;
  c.levelIdc = 0x0a;
  c.width = 16;
  c.height = 16;
  c.frameRate = 30;
  return c;
}

class FixedClock final : public Clock {
 public:
  [[nodiscard]] UnixMillis now() const override { return now_; }
  UnixMillis now_ = kT0;
};

// Video at `fps` with a keyframe every `keyEvery` frames and AAC every
// 1024/44.1 ms, in timeline order, up to endMs.
void feed(media::MediaSink& sink, std::int64_t endMs, double fps = 30, int keyEvery = 60, bool audio = true) {
  std::int64_t v = 0;
  std::int64_t a = 0;
  while (true) {
    const auto vts = static_cast<std::int64_t>(static_cast<double>(v) * 1000.0 / fps);
    const std::int64_t ats = a * 1024'000 / 44'100;
    if (vts >= endMs && (!audio || ats >= endMs)) break;
    if (!audio || vts <= ats) {
      if (vts >= endMs) break;
      const bool key = v % keyEvery == 0;
      sink.onVideoFrame({vts, 0, key, key ? kIdrFrame : kPFrame});
      ++v;
    } else {
      sink.onAudioFrame({ats, kAacFrame});
      ++a;
    }
  }
}

// Hands every call to two sinks, as a transcoder hands frames to its renditions.
class Tee final : public media::MediaSink {
 public:
  Tee(media::MediaSink& a, media::MediaSink& b) : a_(a), b_(b) {}
  void onVideoConfig(const media::VideoConfig& c) override { a_.onVideoConfig(c), b_.onVideoConfig(c); }
  void onAudioConfig(const media::AudioConfig& c) override { a_.onAudioConfig(c), b_.onAudioConfig(c); }
  void onVideoFrame(const media::VideoFrame& f) override { a_.onVideoFrame(f), b_.onVideoFrame(f); }
  void onAudioFrame(const media::AudioFrame& f) override { a_.onAudioFrame(f), b_.onAudioFrame(f); }
  void onEnd() override { a_.onEnd(), b_.onEnd(); }

 private:
  media::MediaSink& a_;
  media::MediaSink& b_;
};

std::vector<std::string> partLines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while ((at = text.find("#EXT-X-PART:", at)) != std::string::npos) {
    const std::size_t end = text.find('\n', at);
    out.push_back(text.substr(at, end - at));
    at = end;
  }
  return out;
}

CmafPackagerOptions options(const std::string& rendition, bool audio = true) {
  CmafPackagerOptions o;
  o.rendition = rendition;
  o.hasAudio = audio;
  o.partTargetMs = 200;
  o.firstMediaSequence = 500;
  return o;
}

TEST(CmafPackager, PublishesPartsWithinTheTargetAndMarksKeyframePartsIndependent) {
  FixedClock clock;
  auto stream = std::make_shared<StreamHls>("key", RenditionOptions{});
  CmafPackager p(stream, clock, options("original"));
  p.onVideoConfig(videoConfig());
  p.onAudioConfig({});
  feed(p, 6100);
  auto view = p.rendition()->view();
  ASSERT_TRUE(view);
  const std::string& text = *view->full;
  EXPECT_NE(text.find("#EXT-X-PART-INF:PART-TARGET=0.200"), std::string::npos) << text;
  EXPECT_NE(text.find("#EXT-X-PROGRAM-DATE-TIME:"), std::string::npos) << text;
  EXPECT_NE(text.find("#EXT-X-MAP:URI=\"init.mp4\""), std::string::npos);
  const auto parts = partLines(text);
  ASSERT_GE(parts.size(), 10u) << text;
  std::regex duration("DURATION=([0-9.]+)");
  for (const std::string& line : parts) {
    std::smatch m;
    ASSERT_TRUE(std::regex_search(line, m, duration)) << line;
    EXPECT_LE(std::stod(m[1]), 0.2001) << line;
  }
  // Keyframes every 2 s open every segment: part 0 of each is independent, the others are not.
  for (const std::string& line : parts) {
    const bool first = line.find(".0.m4s\"") != std::string::npos;
    EXPECT_EQ(line.find("INDEPENDENT=YES") != std::string::npos, first) << line;
  }
  EXPECT_EQ(p.stats().segments, 3u);
  EXPECT_LE(p.stats().longestPartMs, 200);
  EXPECT_EQ(p.stats().refusedFrames, 0u);
  // The keyframe at 6000 ms closed segment 502; 503's first part is not closed yet.
  EXPECT_EQ(view->position.lastMsn, 502u);
  EXPECT_TRUE(view->position.lastMsnComplete);
  // Every part and segment is served, and a segment is its parts back to back.
  auto seg = p.rendition()->media({LlUri::Kind::kSegment, 501, 0, false});
  ASSERT_TRUE(seg);
  std::size_t partBytes = 0;
  for (std::uint32_t i = 0; auto part = p.rendition()->media({LlUri::Kind::kPart, 501, i, false}); ++i) {
    partBytes += part->size;
  }
  EXPECT_EQ(partBytes, seg->size);
  ASSERT_TRUE(p.rendition()->media(*parseLlUri("init.mp4")));
}

TEST(CmafPackager, RenditionsFedTheSameTimestampsCutTheSameParts) {
  FixedClock clock;
  auto stream = std::make_shared<StreamHls>("key", RenditionOptions{});
  CmafPackager original(stream, clock, options("original"));
  CmafPackager ladder(stream, clock, options("360p"));
  for (CmafPackager* p : {&original, &ladder}) {
    p->onVideoConfig(videoConfig());
    p->onAudioConfig({});
  }
  // 29.97 fps: frame intervals alternate 33/34 ms, the cutter's hard case.
  Tee both(original, ladder);
  feed(both, 8000, 29.97);
  const auto a = partLines(*original.rendition()->view()->full);
  const auto b = partLines(*ladder.rendition()->view()->full);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  EXPECT_EQ(original.rendition()->position().lastMsn, ladder.rendition()->position().lastMsn);
  EXPECT_EQ(original.rendition()->position().lastPart, ladder.rendition()->position().lastPart);
  // Each reports the other.
  EXPECT_NE(original.rendition()->view()->full->find("../360p/ll.m3u8"), std::string::npos);
  EXPECT_NE(ladder.rendition()->view()->full->find("../original/ll.m3u8"), std::string::npos);
}

struct ListedPart {
  std::int64_t ms = 0;
  bool independent = false;
  bool lastOfSegment = false;  // followed by the segment's EXTINF
};

std::vector<ListedPart> listedParts(const std::string& text) {
  std::vector<ListedPart> out;
  std::regex line("#EXT-X-PART:DURATION=([0-9]+)\\.([0-9]{3}),URI=\"[^\"]+\"(,INDEPENDENT=YES)?\n(#EXTINF)?");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), line); it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    out.push_back({std::stoll(m[1]) * 1000 + std::stoll(m[2]), m[3].matched, m[4].matched});
  }
  return out;
}

// PART-TARGET from the frame rate (VideoConfig::frameRate): a whole number of
// frames rounded up to the ms, the same for the original and a ladder
// rendition, which cut the same parts; every part <= it, every part that is
// neither independent nor a segment's last >= 85% of it (RFC 8216bis §4.4.4.9).
TEST(CmafPackager, PartTargetFitsTheFrameRateInEveryRendition) {
  struct Case { double fps; const char* declared; std::int64_t declaredMs; };
  for (const Case c : {Case{30, "0.200", 200}, Case{30000.0 / 1001.0, "0.201", 201}, Case{25, "0.200", 200},
                       Case{24, "0.209", 209}, Case{60, "0.200", 200}, Case{60000.0 / 1001.0, "0.201", 201}}) {
    FixedClock clock;
    auto stream = std::make_shared<StreamHls>("key", RenditionOptions{});
    CmafPackager original(stream, clock, options("original"));
    CmafPackager ladder(stream, clock, options("360p"));
    media::VideoConfig config = videoConfig();
    config.frameRate = c.fps;
    for (CmafPackager* p : {&original, &ladder}) {
      p->onVideoConfig(config);
      p->onAudioConfig({});
    }
    Tee both(original, ladder);
    feed(both, 9000, c.fps, static_cast<int>(std::lround(2 * c.fps)));
    const std::string& a = *original.rendition()->view()->full;
    const std::string& b = *ladder.rendition()->view()->full;
    const std::string inf = std::string("#EXT-X-PART-INF:PART-TARGET=") + c.declared + "\n";
    EXPECT_NE(a.find(inf), std::string::npos) << c.fps << "\n" << a;
    EXPECT_NE(b.find(inf), std::string::npos) << c.fps << "\n" << b;
    EXPECT_EQ(original.partTargetMs(), c.declaredMs);
    EXPECT_EQ(original.rendition()->position().partTargetMs, c.declaredMs);
    EXPECT_EQ(partLines(a), partLines(b)) << c.fps;
    const auto parts = listedParts(a);
    ASSERT_GE(parts.size(), 20u) << a;
    for (const ListedPart& part : parts) {
      EXPECT_LE(part.ms, c.declaredMs) << c.fps << "\n" << a;
      if (!part.independent && !part.lastOfSegment) {
        EXPECT_GE(part.ms * 100, c.declaredMs * 85) << c.fps << "\n" << a;
      }
    }
    EXPECT_LE(original.stats().longestPartMs, c.declaredMs);
  }
}

TEST(CmafPackager, AudioOnlyPartTargetIsWholeAacFrames) {
  for (const std::uint32_t rate : {44100u, 48000u}) {
    FixedClock clock;
    auto stream = std::make_shared<StreamHls>("key", RenditionOptions{});
    CmafPackagerOptions o = options("original");
    o.hasVideo = false;
    CmafPackager p(stream, clock, o);
    media::AudioConfig audio;
    audio.sampleRate = rate;
    audio.sampleRateIndex = rate == 48000 ? 3 : 4;
    p.onAudioConfig(audio);
    for (std::int64_t i = 0; i * 1024'000 / rate < 6500; ++i) p.onAudioFrame({i * 1024'000 / rate, kAacFrame});
    const std::string& text = *p.rendition()->view()->full;
    const std::int64_t declared = rate == 48000 ? 192 : 209;
    EXPECT_NE(text.find(rate == 48000 ? "PART-TARGET=0.192\n" : "PART-TARGET=0.209\n"), std::string::npos) << text;
    for (const ListedPart& part : listedParts(text)) EXPECT_LE(part.ms, declared) << rate << "\n" << text;
  }
}

// A reconnect at another frame rate keeps the stream's PART-TARGET: it must
// not change within a playlist, and a discontinuity does not allow it either.
TEST(CmafPackager, PartTargetStaysAcrossAReconnectAtAnotherRate) {
  FixedClock clock;
  auto stream = std::make_shared<StreamHls>("key", RenditionOptions{});
  media::VideoConfig config = videoConfig();
  config.frameRate = 24;
  {
    CmafPackager first(stream, clock, options("original", false));
    first.onVideoConfig(config);
    feed(first, 4500, 24, 48, false);
    first.onEnd();
  }
  config.frameRate = 30;
  CmafPackager second(stream, clock, options("original", false));
  second.onVideoConfig(config);
  feed(second, 4500, 30, 60, false);
  EXPECT_EQ(second.partTargetMs(), 209);
  const std::string& text = *second.rendition()->view()->full;
  EXPECT_NE(text.find("PART-TARGET=0.209\n"), std::string::npos) << text;
  for (const ListedPart& part : listedParts(text)) EXPECT_LE(part.ms, 209) << text;
}

// A codec configuration change mid-stream: the segments written before it keep
// init.mp4, those after name init<N>.mp4, each with its EXT-X-MAP; both are served.
TEST(CmafPackager, ACodecChangeGivesTheNewSegmentsTheirOwnMap) {
  FixedClock clock;
  auto stream = std::make_shared<StreamHls>("key", RenditionOptions{});
  CmafPackager p(stream, clock, options("original", false));
  p.onVideoConfig(videoConfig());
  int i = 0;
  for (; i < 150; ++i) p.onVideoFrame({i * 33, 0, i % 60 == 0, i % 60 == 0 ? kIdrFrame : kPFrame});
  media::VideoConfig bigger = videoConfig();
  bigger.width = 32;
  p.onVideoConfig(bigger);
  for (int k = 0; k < 150; ++k, ++i) p.onVideoFrame({i * 33, 0, k % 60 == 0, k % 60 == 0 ? kIdrFrame : kPFrame});
  EXPECT_EQ(p.stats().reinits, 1u);
  const std::string& text = *p.rendition()->view()->full;
  const auto oldMap = text.find("#EXT-X-MAP:URI=\"init.mp4\"\n");
  const std::regex newMapRe("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"(init([0-9]+)\\.mp4)\"\n");
  std::smatch m;
  ASSERT_NE(oldMap, std::string::npos) << text;
  ASSERT_TRUE(std::regex_search(text, m, newMapRe)) << text;
  EXPECT_LT(oldMap, static_cast<std::size_t>(m.position(0)));
  // The new map comes right before the first segment written with the new configuration.
  const std::string firstNew = "seg" + m[2].str() + ".0.m4s";
  EXPECT_GT(text.find(firstNew), static_cast<std::size_t>(m.position(0))) << text;
  EXPECT_EQ(text.find("seg" + m[2].str()), text.find(firstNew));
  EXPECT_TRUE(p.rendition()->media(*parseLlUri("init.mp4")));
  EXPECT_TRUE(p.rendition()->media(*parseLlUri(m[1].str())));
}

TEST(CmafPackager, SegmentsMatchTheMpegTsPackagersSegments) {
  FixedClock clock;
  auto stream = std::make_shared<StreamHls>("key", RenditionOptions{});
  PackagerOptions tsOptions;
  tsOptions.firstMediaSequence = 500;
  RenditionPackagers both(std::make_unique<HlsPackager>(stream, clock, tsOptions),
                          std::make_unique<CmafPackager>(stream, clock, options("original")));
  both.onVideoConfig(videoConfig());
  both.onAudioConfig({});
  feed(both, 9000, 30, 45);
  const std::string ts = *stream->rendition("original")->playlist();
  const std::string ll = *stream->ll().rendition("original")->view()->full;
  std::regex extinf("#EXTINF:([0-9.]+),\\n(?:#EXT-X-[^\\n]*\\n)*seg(\\d+)\\.");
  auto collect = [&](const std::string& text) {
    std::vector<std::string> out;
    for (std::sregex_iterator it(text.begin(), text.end(), extinf), end; it != end; ++it) {
      out.push_back((*it)[1].str() + "@" + (*it)[2].str());
    }
    return out;
  };
  EXPECT_EQ(collect(ts), collect(ll)) << ts << "\n" << ll;
  EXPECT_FALSE(collect(ll).empty());
}

TEST(CmafPackager, AudioBeforeTheFirstVideoFrameCountsInTheFirstPart) {
  // ffmpeg's first AAC frames come before its first video frame: the first
  // part spans from the segment's start, as the cutter counts it, so no part
  // but the last of a segment falls under 85% of the target (hls-parser's
  // strict check) and the parts add up to the segment's EXTINF.
  FixedClock clock;
  auto stream = std::make_shared<StreamHls>("key", RenditionOptions{});
  CmafPackager p(stream, clock, options("original"));
  p.onVideoConfig(videoConfig());
  p.onAudioConfig({});
  p.onAudioFrame({0, kAacFrame});
  p.onAudioFrame({23, kAacFrame});
  std::int64_t a = 2;
  for (int v = 0; v < 75; ++v) {
    const std::int64_t vts = 33 + v * 100 / 3;
    for (; a * 1024'000 / 44'100 < vts; ++a) p.onAudioFrame({a * 1024'000 / 44'100, kAacFrame});
    p.onVideoFrame({vts, 0, v % 60 == 0, v % 60 == 0 ? kIdrFrame : kPFrame});
  }
  const std::string text = *p.rendition()->view()->full;
  std::regex part("#EXT-X-PART:DURATION=([0-9.]+),URI=\"seg500\\.(\\d+)\\.m4s\"");
  std::vector<double> durations;
  for (std::sregex_iterator it(text.begin(), text.end(), part), end; it != end; ++it) {
    durations.push_back(std::stod((*it)[1]));
  }
  // Keyframes at 33 ms and 2033 ms: ten full parts and a short last one.
  ASSERT_EQ(durations.size(), 11u) << text;
  double sum = 0;
  for (std::size_t i = 0; i < durations.size(); ++i) {
    sum += durations[i];
    EXPECT_LE(durations[i], 0.2001) << i;
    if (i + 1 < durations.size()) {
      EXPECT_GE(durations[i], 0.17) << i;
    }
  }
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex("#EXTINF:([0-9.]+),\nseg500\\.m4s"))) << text;
  EXPECT_NEAR(sum, std::stod(m[1]), 0.0015) << text;
}

TEST(CmafPackager, TheEndPublishesTheLastPartAndEndsThePlaylist) {
  FixedClock clock;
  auto stream = std::make_shared<StreamHls>("key", RenditionOptions{});
  CmafPackager p(stream, clock, options("original"));
  p.onVideoConfig(videoConfig());
  p.onAudioConfig({});
  feed(p, 2500);
  p.onEnd();
  auto view = p.rendition()->view();
  EXPECT_NE(view->full->find("#EXT-X-ENDLIST"), std::string::npos);
  EXPECT_EQ(view->full->find("PRELOAD-HINT"), std::string::npos);
  EXPECT_EQ(p.stats().segments, 2u);
  EXPECT_TRUE(p.rendition()->ended());
}

TEST(CmafPackager, AudioOnlyStreamsGetParts) {
  FixedClock clock;
  auto stream = std::make_shared<StreamHls>("key", RenditionOptions{});
  CmafPackagerOptions o = options("original");
  o.hasVideo = false;
  CmafPackager p(stream, clock, o);
  p.onAudioConfig({});
  for (std::int64_t a = 0; a * 1024'000 / 44'100 < 4500; ++a) p.onAudioFrame({a * 1024'000 / 44'100, kAacFrame});
  const auto parts = partLines(*p.rendition()->view()->full);
  ASSERT_GE(parts.size(), 10u);
  for (const std::string& line : parts) EXPECT_NE(line.find("INDEPENDENT=YES"), std::string::npos) << line;
}

TEST(CmafPackager, ATimestampJumpStartsADiscontinuity) {
  FixedClock clock;
  auto stream = std::make_shared<StreamHls>("key", RenditionOptions{});
  CmafPackager p(stream, clock, options("original", false));
  p.onVideoConfig(videoConfig());
  for (int i = 0; i < 90; ++i) p.onVideoFrame({i * 33, 0, i % 30 == 0, i % 30 == 0 ? kIdrFrame : kPFrame});
  for (int i = 0; i < 90; ++i) {
    p.onVideoFrame({60'000 + i * 33, 0, i % 30 == 0, i % 30 == 0 ? kIdrFrame : kPFrame});
  }
  EXPECT_EQ(p.stats().discontinuities, 1u);
  EXPECT_NE(p.rendition()->view()->full->find("#EXT-X-DISCONTINUITY"), std::string::npos);
}

}  // namespace
}  // namespace ls::hls
