#include "media/hls/packager.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace ls::hls {
namespace {

constexpr UnixMillis kT0 = 1768241558918;  // 2026-01-12T18:12:38.918Z

// A real 16x16 baseline H.264 stream from x264 (SEI dropped): SPS, PPS, the
// IDR slice and a P slice, as NALUs without start codes.
const std::vector<std::uint8_t> kSps = {0x67, 0x42, 0xc0, 0x0a, 0xd9, 0x1e, 0xc0, 0x44, 0x00, 0x00, 0x03,
                                        0x00, 0x04, 0x00, 0x00, 0x03, 0x00, 0xf0, 0x3c, 0x48, 0x99, 0x20};
const std::vector<std::uint8_t> kPps = {0x68, 0xcb, 0x83, 0xcb, 0x20};
// AVCC access units: 4-byte big-endian length + NALU.
const std::vector<std::uint8_t> kIdrFrame = {0x00, 0x00, 0x00, 0x09, 0x65, 0x88, 0x84,
                                             0x0a, 0xf2, 0x62, 0x80, 0x01, 0x7c};
const std::vector<std::uint8_t> kPFrame = {0x00, 0x00, 0x00, 0x05, 0x41, 0x9a, 0x38, 0x13, 0xea};
// A raw AAC-LC frame of silence from ffmpeg's encoder (44.1 kHz stereo), without its ADTS header.
const std::vector<std::uint8_t> kAacFrame = {0x21, 0x10, 0x04, 0x60, 0x8c, 0x1c};

constexpr std::uint16_t kPatPid = 0x0000;
constexpr std::uint16_t kPmtPid = 0x1000;
constexpr std::uint16_t kVideoPid = 0x0100;
constexpr std::uint16_t kAudioPid = 0x0101;

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

media::AudioConfig audioConfig() {
  return {};
}  // AAC-LC, 44.1 kHz, stereo

std::uint16_t pidAt(const Segment& s, std::size_t packet) {
  const std::size_t at = packet * 188;
  return static_cast<std::uint16_t>(((s.bytes[at + 1] & 0x1f) << 8) | s.bytes[at + 2]);
}

// Whole 188-byte packets, each with its sync byte; PAT then PMT first; then
// the first access unit, starting a PES, flagged as a random access point.
void expectSegmentStructure(const Segment& s, std::uint16_t firstMediaPid) {
  ASSERT_GT(s.bytes.size(), 3 * 188u);
  ASSERT_EQ(s.bytes.size() % 188, 0u);
  for (std::size_t at = 0; at < s.bytes.size(); at += 188) ASSERT_EQ(s.bytes[at], 0x47) << "packet at " << at;
  EXPECT_EQ(pidAt(s, 0), kPatPid);
  EXPECT_EQ(pidAt(s, 1), kPmtPid);
  EXPECT_EQ(pidAt(s, 2), firstMediaPid);
  const std::uint8_t* third = s.bytes.data() + 2 * 188;
  EXPECT_TRUE(third[1] & 0x40) << "payload_unit_start_indicator";
  ASSERT_TRUE(third[3] & 0x20) << "adaptation field";
  EXPECT_TRUE(third[5] & 0x40) << "random_access_indicator";
}

// Feeds a synthetic A/V (or single-track) stream in timeline order: video at
// 30 fps with a keyframe every `keyEvery` frames, AAC frames every 1024/44.1 ms.
class Feeder {
 public:
  Feeder(HlsPackager& p, bool video, bool audio, int keyEvery = 60)
      : p_(p), video_(video), audio_(audio), keyEvery_(keyEvery) {}

  // Everything with a timestamp below endMs, shifted by offset.
  void until(std::int64_t endMs, std::int64_t offset = 0) {
    while (true) {
      const std::int64_t v = videoFrame_ * 1000 / 30;
      const std::int64_t a = audioFrame_ * 1024'000 / 44'100;
      const bool videoNext = video_ && (!audio_ || v <= a);
      const std::int64_t ts = videoNext ? v : a;
      if (ts >= endMs) return;
      if (videoNext) {
        const bool key = videoFrame_ % keyEvery_ == 0;
        media::VideoFrame f;
        f.dts = v + offset;
        f.keyframe = key;
        f.avcc = key ? std::span<const std::uint8_t>(kIdrFrame) : std::span<const std::uint8_t>(kPFrame);
        p_.onVideoFrame(f);
        ++videoFrame_;
      } else {
        media::AudioFrame f;
        f.pts = a + offset;
        f.raw = kAacFrame;
        p_.onAudioFrame(f);
        ++audioFrame_;
      }
    }
  }

 private:
  HlsPackager& p_;
  bool video_, audio_;
  int keyEvery_;
  std::int64_t videoFrame_ = 0;
  std::int64_t audioFrame_ = 0;
};

PackagerOptions options(bool video = true, bool audio = true) {
  PackagerOptions o;
  o.hasVideo = video;
  o.hasAudio = audio;
  o.firstMediaSequence = 0;
  return o;
}

std::string header(std::int64_t target, std::uint64_t mediaSeq, std::uint64_t discSeq) {
  return "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:" + std::to_string(target) +
         "\n#EXT-X-MEDIA-SEQUENCE:" + std::to_string(mediaSeq) +
         "\n#EXT-X-DISCONTINUITY-SEQUENCE:" + std::to_string(discSeq) + "\n";
}

std::string entry(std::uint64_t n, const char* dateTime, const char* seconds) {
  return std::string("#EXT-X-PROGRAM-DATE-TIME:") + dateTime + "\n#EXTINF:" + seconds + ",\nseg" + std::to_string(n) +
         ".ts\n";
}

std::uint64_t bitsPerSecond(const Segment& s) {
  return static_cast<std::uint64_t>(static_cast<double>(s.bytes.size()) * 8000.0 / static_cast<double>(s.durationMs));
}

// One audio+video stream "key" in a registry with the default window (6
// listed + 3 retired segments), its packager configured, and a feeder.
class AvPackager : public ::testing::Test {
 public:
  AvPackager() {
    p.onVideoConfig(videoConfig());
    p.onAudioConfig(audioConfig());
  }

  ManualClock clock{kT0};
  HlsRegistry registry;
  std::shared_ptr<StreamHls> stream = registry.open("key");
  HlsPackager p{stream, clock, options()};
  Feeder feed{p, true, true};
  std::shared_ptr<Rendition> rendition = stream->rendition("original");
};

// The distinct buffers 30 segments were written into, with or without a
// player polling the playlist after each segment.
std::size_t buffersUsed(AvPackager& t, bool watched) {
  std::set<const std::uint8_t*> memory;
  for (std::uint64_t n = 0; n < 30; ++n) {
    t.feed.until(static_cast<std::int64_t>(n + 1) * 2000 + 1);  // the keyframe closes seg n
    memory.insert(t.rendition->segmentBySequence(n)->bytes.data());
    if (watched) (void)t.rendition->playlist();
  }
  return memory.size();
}

TEST_F(AvPackager, SteadyStateWritesIntoRecycledBuffers) {
  // The 9 segments the store keeps (6 listed, 3 retired), plus the one being
  // written: every later segment reuses the buffer of the one it retired.
  EXPECT_EQ(buffersUsed(*this, true), 10u);
}

TEST_F(AvPackager, AStreamNobodyWatchesKeepsOnlyItsWindow) {
  // No playlist read: a segment sliding out is freed at once (6 listed + 1).
  EXPECT_EQ(buffersUsed(*this, false), 7u);
}

TEST_F(AvPackager, AudioVideoSegmentsAndPlaylists) {
  ASSERT_NE(rendition, nullptr);

  feed.until(2000);
  clock.advance(2000);
  EXPECT_EQ(rendition->playlist(), nullptr);  // nothing listed before the closing keyframe
  EXPECT_EQ(stream->master(), nullptr);
  feed.until(2001);  // the keyframe at 2000 ms closes seg0
  EXPECT_EQ(*rendition->playlist(), header(2, 0, 0) + entry(0, "2026-01-12T18:12:38.918Z", "2.000"));

  feed.until(5000);
  clock.advance(3000);
  // The last segment: from 4000 ms to the last AAC frame at 4992 ms, plus the
  // last video frame interval (33 ms).
  p.onEnd();
  EXPECT_EQ(*rendition->playlist(), header(2, 0, 0) + entry(0, "2026-01-12T18:12:38.918Z", "2.000") +
                                        entry(1, "2026-01-12T18:12:40.918Z", "2.000") +
                                        entry(2, "2026-01-12T18:12:42.918Z", "1.025") + "#EXT-X-ENDLIST\n");
  EXPECT_TRUE(rendition->ended());
  EXPECT_EQ(stream->endedAt(), std::optional<UnixMillis>{kT0 + 5000});

  std::uint64_t peak = 0, bytes = 0;
  for (const char* uri : {"seg0.ts", "seg1.ts", "seg2.ts"}) {
    auto s = rendition->segment(uri);
    ASSERT_NE(s, nullptr) << uri;
    SCOPED_TRACE(uri);
    expectSegmentStructure(*s, kVideoPid);
    bytes += s->bytes.size();
    if (s->durationMs >= 1000) peak = std::max(peak, bitsPerSecond(*s));
  }
  EXPECT_EQ(p.stats().segments, 3u);
  EXPECT_EQ(p.stats().totalBytes, bytes);
  EXPECT_EQ(p.stats().totalDurationMs, 5025);
  EXPECT_EQ(p.stats().peakBitsPerSecond, peak);
  const std::uint64_t average = bytes * 8000 / 5025;
  EXPECT_EQ(p.stats().averageBitsPerSecond, average);
  EXPECT_EQ(p.stats().droppedFrames, 0u);
  EXPECT_EQ(p.stats().muxErrors, 0u);

  EXPECT_EQ(*stream->master(), "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=" + std::to_string(peak) +
                                   ",AVERAGE-BANDWIDTH=" + std::to_string(average) +
                                   ",RESOLUTION=16x16,CODECS=\"avc1.42c00a,mp4a.40.2\",FRAME-RATE=30.000\n"
                                   "original/index.m3u8\n");
}

TEST(HlsPackager, VideoOnlyAndAudioOnlyRenditions) {
  ManualClock clock(kT0);
  HlsRegistry registry;
  auto stream = registry.open("key");
  {
    PackagerOptions o = options(true, false);
    o.rendition = "video";
    HlsPackager p(stream, clock, o);
    p.onVideoConfig(videoConfig());
    p.onAudioConfig(audioConfig());  // ignored: this rendition has no audio
    Feeder(p, true, false).until(4001);
    const auto v = p.variant();
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->codecs, "avc1.42c00a");
    EXPECT_EQ(v->width, 16u);
    auto seg = stream->rendition("video")->segment("seg1.ts");
    ASSERT_NE(seg, nullptr);
    expectSegmentStructure(*seg, kVideoPid);
  }
  {
    PackagerOptions o = options(false, true);
    o.rendition = "audio";
    HlsPackager p(stream, clock, o);
    p.onAudioConfig(audioConfig());
    Feeder(p, false, true).until(4100);
    const auto v = p.variant();
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->codecs, "mp4a.40.2");
    EXPECT_EQ(v->width, 0u);
    // Audio cuts on time: the first AAC frame at or past 2 s is at 2020 ms.
    auto seg = stream->rendition("audio")->segment("seg0.ts");
    ASSERT_NE(seg, nullptr);
    EXPECT_EQ(seg->durationMs, 2020);
    expectSegmentStructure(*seg, kAudioPid);
    // Both packagers ended (destroyed or not): the master lists both, audio without RESOLUTION.
  }
  const std::string master = *stream->master();
  EXPECT_NE(master.find("RESOLUTION=16x16,CODECS=\"avc1.42c00a\",FRAME-RATE=30.000\nvideo/index.m3u8\n"),
            std::string::npos)
      << master;
  EXPECT_NE(master.find(",CODECS=\"mp4a.40.2\"\naudio/index.m3u8\n"), std::string::npos) << master;
  EXPECT_EQ(master.find("RESOLUTION=0"), std::string::npos);
}

TEST(HlsPackager, ReconnectContinuesWithADiscontinuity) {
  ManualClock clock(kT0);
  HlsRegistry registry;
  auto stream = registry.open("key");
  {
    HlsPackager p(stream, clock, options());
    p.onVideoConfig(videoConfig());
    p.onAudioConfig(audioConfig());
    Feeder(p, true, true).until(2500);
    p.onEnd();
  }
  EXPECT_NE(stream->rendition("original")->playlist()->find("#EXT-X-ENDLIST"), std::string::npos);

  // The publisher comes back 10 s later; its timestamps start at 0 again.
  clock.set(kT0 + 10'000);
  auto again = registry.open("key");
  ASSERT_EQ(again, stream);
  HlsPackager p(again, clock, options());
  EXPECT_TRUE(p.rendition()->playlist()->find("#EXT-X-ENDLIST") == std::string::npos);
  p.onVideoConfig(videoConfig());
  p.onAudioConfig(audioConfig());
  Feeder(p, true, true).until(2001);
  EXPECT_EQ(*p.rendition()->playlist(), header(2, 0, 0) + entry(0, "2026-01-12T18:12:38.918Z", "2.000") +
                                            entry(1, "2026-01-12T18:12:40.918Z", "0.517") + "#EXT-X-DISCONTINUITY\n" +
                                            entry(2, "2026-01-12T18:12:48.918Z", "2.000"));
}

TEST(HlsPackager, TimestampJumpReanchorsProgramDateTime) {
  ManualClock clock(kT0);
  HlsRegistry registry;
  auto stream = registry.open("key");
  HlsPackager p(stream, clock, options(true, false));
  p.onVideoConfig(videoConfig());
  Feeder(p, true, false).until(2500);
  // The encoder restarts its clock at 0 with a keyframe, 600 ms of wall time later.
  clock.advance(3100);
  Feeder(p, true, false).until(2001);
  EXPECT_EQ(*p.rendition()->playlist(), header(2, 0, 0) + entry(0, "2026-01-12T18:12:38.918Z", "2.000") +
                                            entry(1, "2026-01-12T18:12:40.918Z", "0.499") + "#EXT-X-DISCONTINUITY\n" +
                                            entry(2, "2026-01-12T18:12:42.018Z", "2.000"));
  EXPECT_EQ(p.stats().discontinuities, 1u);
}

TEST(HlsPackager, DropsVideoUntilTheFirstKeyframe) {
  ManualClock clock(kT0);
  HlsRegistry registry;
  auto stream = registry.open("key");
  HlsPackager p(stream, clock, options(true, false));
  p.onVideoConfig(videoConfig());
  for (std::int64_t dts : {0, 33, 67}) {
    media::VideoFrame f;
    f.dts = dts;
    f.avcc = kPFrame;
    p.onVideoFrame(f);
  }
  EXPECT_EQ(p.stats().droppedFrames, 3u);
  Feeder(p, true, false).until(2001, 100);
  auto seg = p.rendition()->segment("seg0.ts");
  ASSERT_NE(seg, nullptr);
  expectSegmentStructure(*seg, kVideoPid);
  EXPECT_EQ(seg->durationMs, 2000);
}

TEST(HlsPackager, MalformedFramesAreCountedNotWritten) {
  ManualClock clock(kT0);
  HlsRegistry registry;
  auto stream = registry.open("key");
  HlsPackager p(stream, clock, options(true, false));
  p.onVideoConfig(videoConfig());
  const std::vector<std::uint8_t> truncated = {0x00, 0x00, 0x01, 0x00, 0x65};  // length 256, 1 byte present
  media::VideoFrame f;
  f.keyframe = true;
  f.avcc = truncated;
  p.onVideoFrame(f);
  EXPECT_EQ(p.stats().muxErrors, 1u);
  p.onEnd();
  // Only PAT/PMT in the open segment: nothing worth publishing.
  EXPECT_EQ(p.rendition()->playlist(), nullptr);
  EXPECT_EQ(p.stats().segments, 0u);
}

TEST(HlsPackager, DestructionEndsTheRendition) {
  ManualClock clock(kT0);
  HlsRegistry registry;
  auto stream = registry.open("key");
  {
    HlsPackager p(stream, clock, options(true, false));
    p.onVideoConfig(videoConfig());
    Feeder(p, true, false).until(1000);
  }
  auto r = stream->rendition("original");
  EXPECT_TRUE(r->ended());
  EXPECT_EQ(*r->playlist(), header(1, 0, 0) + entry(0, "2026-01-12T18:12:38.918Z", "0.999") + "#EXT-X-ENDLIST\n");
}

TEST(HlsPackager, ASupersededPackagerStopsWriting) {
  ManualClock clock(kT0);
  HlsRegistry registry;
  auto stream = registry.open("key");
  HlsPackager old(stream, clock, options(true, false));
  old.onVideoConfig(videoConfig());
  Feeder oldFeed(old, true, false);
  oldFeed.until(2001);

  HlsPackager fresh(stream, clock, options(true, false));  // the old one never got onEnd
  fresh.onVideoConfig(videoConfig());
  oldFeed.until(4001);  // its cut is refused; it stops
  old.onEnd();
  EXPECT_FALSE(fresh.rendition()->ended());
  Feeder(fresh, true, false).until(2001, 50'000);
  const std::string text = *fresh.rendition()->playlist();
  EXPECT_EQ(text.find("#EXT-X-ENDLIST"), std::string::npos);
  EXPECT_NE(text.find("#EXT-X-DISCONTINUITY\n"), std::string::npos);
  EXPECT_NE(text.find("seg1.ts"), std::string::npos) << text;
  EXPECT_EQ(text.find("seg2.ts"), std::string::npos) << text;
}

TEST(HlsPackager, FirstSequenceFromTheClockByDefault) {
  ManualClock clock(kT0);
  HlsRegistry registry;
  auto stream = registry.open("key");
  PackagerOptions o = options(true, false);
  o.firstMediaSequence.reset();
  HlsPackager p(stream, clock, o);
  p.onVideoConfig(videoConfig());
  Feeder(p, true, false).until(2001);
  EXPECT_NE(p.rendition()->segment("seg1768241558.ts"), nullptr);
}

TEST(HlsPackager, DeclaredRateListsTheRenditionBeforeItsFirstSegment) {
  ManualClock clock(kT0);
  HlsRegistry registry;
  auto stream = registry.open("key");
  PackagerOptions o = options();
  o.nominalBandwidth = withTsOverhead(2'500'000 + 128'000);
  HlsPackager p(stream, clock, o);
  p.onVideoConfig(videoConfig());
  p.onAudioConfig(audioConfig());
  ASSERT_NE(stream->master(), nullptr) << "listed from the declared rate";
  EXPECT_NE(stream->master()->find("BANDWIDTH=2759400,"), std::string::npos) << *stream->master();
}

TEST(HlsPackager, BandwidthNeverGoesBelowTheFloorButTheFloorAloneListsNothing) {
  ManualClock clock(kT0);
  HlsRegistry registry;
  auto stream = registry.open("key");
  PackagerOptions o = options();
  o.bandwidthFloor = 3'000'000;
  HlsPackager p(stream, clock, o);
  p.onVideoConfig(videoConfig());
  p.onAudioConfig(audioConfig());
  EXPECT_EQ(stream->master(), nullptr) << "a rendition is listed once measured";
  Feeder feed(p, true, true);
  feed.until(2001);
  ASSERT_NE(stream->master(), nullptr);
  EXPECT_NE(stream->master()->find("BANDWIDTH=3000000,"), std::string::npos)
      << "the tiny test stream measures far below the configured rate: " << *stream->master();
}

}  // namespace
}  // namespace ls::hls
