// Byte structure of fragments: sizes add up, trun data offsets point at the
// right bytes of the mdat, sample flags, durations and tfdt values.
#include <gtest/gtest.h>

#include "media/fmp4/box_reader.hpp"
#include "media/fmp4/fragment_builder.hpp"
#include "unit/media/fmp4/fmp4_test_util.hpp"
#include "unit/media/ts/allocation_counter.hpp"

namespace ls::fmp4 {
namespace {

using testing::audioConfig;
using testing::decodeTrun;
using testing::trafs;
using testing::videoConfig;

media::VideoFrame videoFrame(std::int64_t dts, bool key, std::span<const std::uint8_t> avcc, std::int32_t cto = 0) {
  media::VideoFrame f;
  f.dts = dts;
  f.compositionOffset = cto;
  f.keyframe = key;
  f.avcc = avcc;
  return f;
}

std::uint64_t tfdtOf(const Box& traf) {
  return readU64(testing::child(traf, "tfdt").body, 4);
}

TEST(FragmentBuilder, VideoAndAudioRunsPointAtTheirBytesInTheMdat) {
  const media::VideoConfig vc = videoConfig();
  const media::AudioConfig ac = audioConfig();
  FragmentBuilder builder(&vc, &ac);
  EXPECT_TRUE(builder.empty());
  const std::vector<std::uint8_t> key = {0, 0, 0, 3, 0x65, 0xaa, 0xbb, 0, 0, 0, 2, 0x06, 0x01};
  const std::vector<std::uint8_t> delta = {0, 0, 0, 2, 0x41, 0xcc};
  const std::vector<std::uint8_t> aac1 = {0x21, 0x10, 0x05};
  const std::vector<std::uint8_t> aac2 = {0x21, 0x20};
  ASSERT_TRUE(builder.addVideo(videoFrame(1000, true, key, 66)));
  ASSERT_TRUE(builder.addAudio({.pts = 1000, .raw = aac1}));
  ASSERT_TRUE(builder.addVideo(videoFrame(1033, false, delta, -33)));
  ASSERT_TRUE(builder.addAudio({.pts = 1023, .raw = aac2}));
  EXPECT_FALSE(builder.empty());

  const Fragment f = builder.flush(1066, 7);
  EXPECT_TRUE(builder.empty());
  EXPECT_EQ(f.videoSamples, 2U);
  EXPECT_EQ(f.audioSamples, 2U);
  EXPECT_EQ(f.startMs, 1000);
  EXPECT_EQ(f.durationMs, 66);
  EXPECT_TRUE(f.independent);
  ASSERT_TRUE(checkFragment(f.bytes).isOk()) << checkFragment(f.bytes).message();

  EXPECT_EQ(readU32(findBox(f.bytes, "moof/mfhd")->body, 4), 7U);
  const std::vector<Box> t = trafs(f.bytes);
  ASSERT_EQ(t.size(), 2U);
  EXPECT_EQ(readU32(testing::child(t[0], "tfhd").body, 0), 0x020000U);  // default-base-is-moof
  EXPECT_EQ(readU32(testing::child(t[0], "tfhd").body, 4), kVideoTrackId);
  EXPECT_EQ(readU32(testing::child(t[1], "tfhd").body, 4), kAudioTrackId);
  EXPECT_EQ(testing::child(t[0], "tfdt").body[0], 1);  // version 1
  EXPECT_EQ(tfdtOf(t[0]), (1000U + 10000U) * 90U);
  EXPECT_EQ(tfdtOf(t[1]), (1000U + 10000U) * 44100U / 1000U);

  const testing::Trun video = decodeTrun(testing::child(t[0], "trun"));
  EXPECT_EQ(video.version, 1);
  EXPECT_EQ(video.flags, 0x000f01U);
  ASSERT_EQ(video.entries.size(), 2U);
  EXPECT_EQ(video.entries[0].duration, 33U * 90U);
  EXPECT_EQ(video.entries[1].duration, 33U * 90U);  // until endMs
  EXPECT_EQ(video.entries[0].size, key.size());
  EXPECT_EQ(video.entries[0].flags, 0x02000000U);
  EXPECT_EQ(video.entries[1].flags, 0x01010000U);
  EXPECT_EQ(video.entries[0].compositionOffset, 66 * 90);
  EXPECT_EQ(video.entries[1].compositionOffset, -33 * 90);

  const testing::Trun audio = decodeTrun(testing::child(t[1], "trun"));
  EXPECT_EQ(audio.flags, 0x000701U);
  ASSERT_EQ(audio.entries.size(), 2U);
  EXPECT_EQ(audio.entries[0].duration, 1024U);
  EXPECT_EQ(audio.entries[1].duration, 1024U);
  EXPECT_EQ(audio.entries[0].flags, 0x02000000U);

  // The offsets count from the moof's first byte and land on each track's bytes.
  const std::span<const std::uint8_t> bytes(f.bytes);
  EXPECT_TRUE(std::equal(key.begin(), key.end(), bytes.begin() + video.dataOffset));
  EXPECT_TRUE(std::equal(delta.begin(), delta.end(), bytes.begin() + video.dataOffset + static_cast<long>(key.size())));
  EXPECT_TRUE(std::equal(aac1.begin(), aac1.end(), bytes.begin() + audio.dataOffset));
  EXPECT_EQ(static_cast<std::size_t>(audio.dataOffset) + aac1.size() + aac2.size(), f.bytes.size());
  const Box mdat = *findBox(f.bytes, "mdat");
  EXPECT_EQ(static_cast<std::size_t>(video.dataOffset), mdat.offset + 8);
}

TEST(FragmentBuilder, ShortNaluLengthsAreRewrittenAndMalformedFramesRefused) {
  const media::VideoConfig vc = videoConfig(2);
  FragmentBuilder builder(&vc, nullptr);
  const std::vector<std::uint8_t> frame = {0, 2, 0x65, 0x01, 0, 0, 0, 1, 0x06};  // with a zero-length NALU
  ASSERT_TRUE(builder.addVideo(videoFrame(0, true, frame)));
  const std::vector<std::uint8_t> past = {0, 5, 0x41, 0x01};
  EXPECT_FALSE(builder.addVideo(videoFrame(33, false, past)));
  const std::vector<std::uint8_t> cut = {0, 1, 0x41, 0};
  EXPECT_FALSE(builder.addVideo(videoFrame(33, false, cut)));
  EXPECT_FALSE(builder.addVideo(videoFrame(33, false, {})));
  EXPECT_FALSE(builder.addAudio({.pts = 0, .raw = frame}));  // no audio track

  const Fragment f = builder.flush(std::nullopt, 1);
  ASSERT_TRUE(checkFragment(f.bytes).isOk());
  EXPECT_EQ(f.videoSamples, 1U);
  EXPECT_EQ(f.audioSamples, 0U);
  EXPECT_EQ(trafs(f.bytes).size(), 1U);
  const std::vector<std::uint8_t> expected = {0, 0, 0, 2, 0x65, 0x01, 0, 0, 0, 1, 0x06};
  const Box mdat = *findBox(f.bytes, "mdat");
  EXPECT_EQ(std::vector<std::uint8_t>(mdat.body.begin(), mdat.body.end()), expected);
  // One sample at the end of the stream: the frame rate's duration.
  EXPECT_EQ(decodeTrun(testing::child(trafs(f.bytes)[0], "trun")).entries[0].duration, 3000U);
  EXPECT_EQ(f.durationMs, 33);
}

TEST(FragmentBuilder, AlignedRenditionsGetTheSameDecodeTimes) {
  const media::VideoConfig vc = videoConfig();
  const media::AudioConfig ac = audioConfig();
  FragmentBuilder high(&vc, &ac);
  FragmentBuilder low(&vc, &ac);
  const std::vector<std::uint8_t> big = {0, 0, 0, 6, 0x65, 1, 2, 3, 4, 5};
  const std::vector<std::uint8_t> small = {0, 0, 0, 2, 0x65, 1};
  const std::vector<std::uint8_t> aac = {0x21, 0x00};
  // The low rendition starts later (a viewer-side ABR switch): tfdt still agrees per frame.
  for (int i = 0; i < 60; ++i) {
    const std::int64_t ts = -40 + i * 33;
    ASSERT_TRUE(high.addVideo(videoFrame(ts, i % 30 == 0, big)));
    if (i >= 30) {
      ASSERT_TRUE(low.addVideo(videoFrame(ts, i % 30 == 0, small)));
    }
  }
  const Fragment a = high.flush(-40 + 60 * 33, 1);
  const Fragment b = low.flush(-40 + 60 * 33, 1);
  ASSERT_TRUE(checkFragment(a.bytes).isOk());
  ASSERT_TRUE(checkFragment(b.bytes).isOk());
  EXPECT_EQ(tfdtOf(trafs(a.bytes)[0]), (10000U - 40U) * 90U);  // negative source ms stays positive
  EXPECT_EQ(tfdtOf(trafs(b.bytes)[0]), (10000U - 40U + 30U * 33U) * 90U);
  EXPECT_EQ(b.startMs, -40 + 30 * 33);
  EXPECT_EQ(b.durationMs, 30 * 33);

  // Audio: same source timestamps give the same decode times in both.
  for (int i = 0; i < 10; ++i) {
    const std::int64_t pts = 2000 + (i * 1024 * 1000) / 44100;
    ASSERT_TRUE(high.addAudio({.pts = pts, .raw = aac}));
    ASSERT_TRUE(low.addAudio({.pts = pts, .raw = aac}));
  }
  const Fragment c = high.flush(std::nullopt, 2);
  const Fragment d = low.flush(std::nullopt, 2);
  EXPECT_EQ(tfdtOf(trafs(c.bytes)[0]), tfdtOf(trafs(d.bytes)[0]));
  EXPECT_EQ(trafs(c.bytes)[0].type, boxType("traf"));
  EXPECT_FALSE(c.independent);  // a video stream's fragment without a keyframe first
}

TEST(FragmentBuilder, AudioDecodeTimesRunOnAcrossFragmentsAndResyncOnJumps) {
  const media::AudioConfig ac = audioConfig();
  FragmentBuilder builder(nullptr, &ac);
  const std::vector<std::uint8_t> aac = {0x21, 0x00};
  // 44.1 kHz: frames are 23.22 ms; ms timestamps round, the sample count does not.
  auto pts = [](int i) { return static_cast<std::int64_t>(i) * 1024 * 1000 / 44100; };
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(builder.addAudio({.pts = pts(i), .raw = aac}));
  const Fragment first = builder.flush(pts(5), 1);
  EXPECT_TRUE(first.independent);
  for (int i = 5; i < 10; ++i) ASSERT_TRUE(builder.addAudio({.pts = pts(i), .raw = aac}));
  const Fragment second = builder.flush(std::nullopt, 2);
  const std::uint64_t base = 10000U * 44100U / 1000U;
  EXPECT_EQ(tfdtOf(trafs(first.bytes)[0]), base);
  EXPECT_EQ(tfdtOf(trafs(second.bytes)[0]), base + 5U * 1024U);

  // A 500 ms gap inside a fragment: the sample before it lasts until the source says.
  ASSERT_TRUE(builder.addAudio({.pts = pts(10), .raw = aac}));
  ASSERT_TRUE(builder.addAudio({.pts = pts(11) + 500, .raw = aac}));
  const Fragment gap = builder.flush(std::nullopt, 3);
  const testing::Trun run = decodeTrun(testing::child(trafs(gap.bytes)[0], "trun"));
  EXPECT_EQ(tfdtOf(trafs(gap.bytes)[0]), base + 10U * 1024U);
  EXPECT_EQ(run.entries[0].duration, (10000U + static_cast<std::uint32_t>(pts(11)) + 500U) * 44100U / 1000U -
                                         (base + 10U * 1024U));

  // A jump between fragments resyncs to the source; reset() forgets the count.
  ASSERT_TRUE(builder.addAudio({.pts = 60000, .raw = aac}));
  EXPECT_EQ(tfdtOf(trafs(builder.flush(std::nullopt, 4).bytes)[0]), (60000U + 10000U) * 44100U / 1000U);
  builder.reset();
  ASSERT_TRUE(builder.addAudio({.pts = 60023, .raw = aac}));
  EXPECT_EQ(tfdtOf(trafs(builder.flush(std::nullopt, 5).bytes)[0]), (60023U + 10000U) * 44100U / 1000U);
}

TEST(FragmentBuilder, EmptyFlushGivesNoBytes) {
  const media::VideoConfig vc = videoConfig();
  FragmentBuilder builder(&vc, nullptr);
  const Fragment f = builder.flush(100, 1);
  EXPECT_TRUE(f.bytes.empty());
  EXPECT_EQ(f.videoSamples + f.audioSamples, 0U);
}

TEST(FragmentBuilder, AWarmBuilderAllocatesOnlyTheFragment) {
  const media::VideoConfig vc = videoConfig(2);
  const media::AudioConfig ac = audioConfig();
  FragmentBuilder builder(&vc, &ac);
  std::vector<std::uint8_t> avcc(600, 0x11);
  avcc[0] = 0x02;  // one 598-byte NALU
  avcc[1] = 0x56;
  const std::vector<std::uint8_t> aac(200, 0x21);
  auto feed = [&](int round) {
    for (int i = 0; i < 30; ++i) {
      const std::int64_t ts = round * 1000 + i * 33;
      EXPECT_TRUE(builder.addVideo(videoFrame(ts, i == 0, avcc)));
      EXPECT_TRUE(builder.addAudio({.pts = ts, .raw = aac}));
    }
  };
  feed(0);
  (void)builder.flush(1000, 1);
  const std::size_t before = ts::testing::allocationCount();
  feed(1);
  EXPECT_EQ(ts::testing::allocationCount(), before);
  const Fragment f = builder.flush(2000, 2);
  EXPECT_EQ(ts::testing::allocationCount(), before + 1);  // the fragment's bytes
  EXPECT_TRUE(checkFragment(f.bytes).isOk());
}

}  // namespace
}  // namespace ls::fmp4
