// Mux a synthetic stream, demux it with the independent test demuxer and
// check every elementary stream byte and timestamp comes back.
#include <gtest/gtest.h>

#include <new>

#include "media/flv/tag_parser.hpp"
#include "media/flv/tag_writer.hpp"
#include "media/ts/muxer.hpp"
#include "media/ts/psi.hpp"
#include "media/ts/ts_packet.hpp"
#include "unit/media/ts/allocation_counter.hpp"
#include "unit/media/ts/muxer_test_util.hpp"
#include "unit/media/ts/ts_demux_for_test.hpp"

namespace ls::ts {
namespace {

using testing::kAud;
using testing::makeNalu;
using testing::Nalu;
using testing::testAudioConfig;
using testing::testVideoConfig;
using testing::toAnnexB;
using testing::toAvcc;
using testing::TsDemuxForTest;

// The muxer's clock, computed here independently: ms * 90 plus a 1 s offset.
std::uint64_t clock90k(std::int64_t ms) {
  return static_cast<std::uint64_t>(ms * 90 + 90000);
}

struct ExpectedPes {
  std::vector<std::uint8_t> payload;
  std::uint64_t pts = 0;
  std::optional<std::uint64_t> dts;
};

TEST(MuxerRoundTrip, EveryPesSizeAroundPacketBoundaries) {
  // Sizes that leave 0, 1, 2 ... bytes in the last packet exercise every
  // stuffing shape (no stuffing, a 1-byte adaptation field, 2+ bytes).
  for (std::size_t size = 1; size <= 2 * kMaxPayloadSize + 10; ++size) {
    for (const bool keyframe : {false, true}) {
      Muxer muxer(MuxerOptions{});
      muxer.setVideoConfig(testVideoConfig());
      TsBytes out;
      muxer.writeTables(out);
      const Nalu nalu = makeNalu(keyframe ? 0x65 : 0x41, size);
      ASSERT_TRUE(muxer.writeVideo({.dts = 0, .keyframe = keyframe, .avcc = toAvcc({nalu})}, out).isOk());
      TsDemuxForTest d;
      d.feed(out);
      ASSERT_TRUE(d.errors.empty()) << d.errors.front() << " at size " << size;
      std::vector<Nalu> expected = {kAud};
      if (keyframe) {
        expected.push_back(testVideoConfig().sps[0]);
        expected.push_back(testVideoConfig().pps[0]);
      }
      expected.push_back(nalu);
      ASSERT_EQ(d.streams.at(kVideoPid).pes.at(0).payload, toAnnexB(expected)) << size;
    }
  }
}

TEST(MuxerRoundTrip, InterleavedGopsAcrossSegments) {
  Muxer muxer(MuxerOptions{});
  const media::VideoConfig config = testVideoConfig(4);
  muxer.setVideoConfig(config);
  muxer.setAudioConfig(testAudioConfig());

  std::vector<std::vector<std::uint8_t>> frameStore;  // keeps AVCC/raw bytes alive
  std::vector<ExpectedPes> expectedVideo;
  std::vector<ExpectedPes> expectedAudio;
  TsBytes out;
  std::int64_t audioPts = 0;
  for (int i = 0; i < 120; ++i) {
    if (i % 30 == 0) muxer.writeTables(out);  // segment boundary on each keyframe
    const bool keyframe = i % 30 == 0;
    const std::int64_t dts = i * 33 - 66;  // starts negative, as B-frame encoders do
    const std::int32_t cts = (i % 3) * 33 + 66;
    std::vector<Nalu> nalus;
    if (keyframe) nalus.push_back(makeNalu(0x06, 25, static_cast<std::uint8_t>(i)));
    nalus.push_back(makeNalu(keyframe ? 0x65 : 0x41, keyframe ? 9000 : 100 + static_cast<std::size_t>(i) * 37,
                             static_cast<std::uint8_t>(i)));
    frameStore.push_back(toAvcc(nalus));
    ASSERT_TRUE(
        muxer.writeVideo({.dts = dts, .compositionOffset = cts, .keyframe = keyframe, .avcc = frameStore.back()}, out)
            .isOk());
    std::vector<Nalu> annexB = {kAud};
    if (keyframe) annexB.insert(annexB.end(), {config.sps[0], config.pps[0]});
    annexB.insert(annexB.end(), nalus.begin(), nalus.end());
    expectedVideo.push_back({toAnnexB(annexB), clock90k(dts + cts), clock90k(dts)});

    while (audioPts <= dts) {
      frameStore.emplace_back(static_cast<std::size_t>(150 + audioPts % 200), static_cast<std::uint8_t>(audioPts));
      ASSERT_TRUE(muxer.writeAudio({.pts = audioPts, .raw = frameStore.back()}, out).isOk());
      expectedAudio.push_back({frameStore.back(), clock90k(audioPts), std::nullopt});
      audioPts += 23;
    }
  }

  TsDemuxForTest d;
  d.feed(out);
  ASSERT_TRUE(d.errors.empty()) << d.errors.front();
  EXPECT_EQ(d.patCount, 4);
  const auto& video = d.streams.at(kVideoPid).pes;
  const auto& audio = d.streams.at(kAudioPid).pes;
  ASSERT_EQ(video.size(), expectedVideo.size());
  ASSERT_EQ(audio.size(), expectedAudio.size());
  for (std::size_t i = 0; i < video.size(); ++i) {
    ASSERT_EQ(video[i].payload, expectedVideo[i].payload) << "video PES " << i;
    EXPECT_EQ(video[i].pts, expectedVideo[i].pts) << i;
    EXPECT_EQ(video[i].dts, expectedVideo[i].dts) << i;
    EXPECT_EQ(video[i].randomAccess, i % 30 == 0) << i;
  }
  for (std::size_t i = 0; i < audio.size(); ++i) {
    // An ADTS header (its bits are checked in pes_adts_test) followed by the raw frame.
    const auto& payload = audio[i].payload;
    const auto& raw = expectedAudio[i].payload;
    ASSERT_EQ(payload.size(), 7 + raw.size()) << i;
    EXPECT_EQ(payload[0], 0xff);
    EXPECT_EQ(payload[1], 0xf1);
    EXPECT_EQ(((payload[3] & 3U) << 11) | (std::size_t{payload[4]} << 3U) | (payload[5] >> 5U), payload.size()) << i;
    ASSERT_TRUE(std::equal(raw.begin(), raw.end(), payload.begin() + 7)) << "audio PES " << i;
    EXPECT_EQ(audio[i].pts, expectedAudio[i].pts) << i;
    EXPECT_FALSE(audio[i].dts.has_value());
  }
}

TEST(MuxerRoundTrip, NoHeapAllocationPerFrameInSteadyState) {
  // The whole per-frame path of a publish: FLV tag body -> tag parser -> muxer.
  Muxer muxer(MuxerOptions{});
  muxer.setVideoConfig(testVideoConfig());
  muxer.setAudioConfig(testAudioConfig());
  const auto keyAvcc = toAvcc({makeNalu(0x06, 30), makeNalu(0x65, 20000)});
  const auto interAvcc = toAvcc({makeNalu(0x41, 3000)});
  std::vector<std::uint8_t> keyTag;
  std::vector<std::uint8_t> interTag;
  std::vector<std::uint8_t> audioTag;
  flv::appendAvcFrameBody({.keyframe = true, .avcc = keyAvcc}, keyTag);
  flv::appendAvcFrameBody({.compositionOffset = 66, .avcc = interAvcc}, interTag);
  flv::appendAacFrameBody(std::vector<std::uint8_t>(400, 0x33), audioTag);

  TsBytes segment;
  auto writeSegment = [&] {
    segment.clear();  // keeps its capacity, as a segmenter reusing its buffer would
    muxer.writeTables(segment);
    for (int i = 0; i < 60; ++i) {
      Result<flv::VideoTag> video = flv::parseVideoTag(i == 0 ? keyTag : interTag, i * 33);
      ASSERT_TRUE(video.ok());
      ASSERT_TRUE(muxer.writeVideo(video->frame, segment).isOk());
      Result<flv::AudioTag> audio = flv::parseAudioTag(audioTag, i * 33);
      ASSERT_TRUE(audio.ok());
      ASSERT_TRUE(muxer.writeAudio(audio->frame, segment).isOk());
    }
  };
  writeSegment();  // warm-up: the buffer grows to a segment's size
  const std::size_t probe = testing::allocationCount();
  ::operator delete(::operator new(1));  // a direct call: not elidable like a new-expression
  ASSERT_EQ(testing::allocationCount(), probe + 1) << "the allocation counter is not linked in";
  const std::size_t before = testing::allocationCount();
  writeSegment();
  writeSegment();
  EXPECT_EQ(testing::allocationCount() - before, 0U);
}

}  // namespace
}  // namespace ls::ts
