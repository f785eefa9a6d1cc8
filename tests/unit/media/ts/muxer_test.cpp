#include "media/ts/muxer.hpp"

#include <gtest/gtest.h>

#include "media/ts/psi.hpp"
#include "media/ts/ts_packet.hpp"
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

std::uint16_t pidOf(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(((p[1] & 0x1f) << 8) | p[2]);
}

Muxer videoAudioMuxer() {
  Muxer muxer(MuxerOptions{});
  muxer.setVideoConfig(testVideoConfig());
  muxer.setAudioConfig(testAudioConfig());
  return muxer;
}

TsDemuxForTest demux(std::span<const std::uint8_t> ts) {
  TsDemuxForTest d;
  d.feed(ts);
  EXPECT_TRUE(d.errors.empty()) << d.errors.front();
  return d;
}

TEST(Muxer, TablesAreTwoPacketsWithRunningCounters) {
  Muxer muxer = videoAudioMuxer();
  TsBytes out;
  muxer.writeTables(out);
  muxer.writeTables(out);
  ASSERT_EQ(out.size(), 4 * kPacketSize);
  EXPECT_EQ(pidOf(&out[0]), kPatPid);
  EXPECT_EQ(pidOf(&out[188]), kPmtPid);
  EXPECT_EQ(out[3] & 0x0f, 0);
  EXPECT_EQ(out[2 * 188 + 3] & 0x0f, 1);  // PAT counter continues in the next segment
  EXPECT_EQ(out[3 * 188 + 3] & 0x0f, 1);
  const TsDemuxForTest d = demux(out);
  EXPECT_EQ(d.pcrPid, kVideoPid);
  EXPECT_EQ(d.streams.at(kVideoPid).streamType, kStreamTypeH264);
  EXPECT_EQ(d.streams.at(kAudioPid).streamType, kStreamTypeAdtsAac);
}

TEST(Muxer, KeyframeGetsAudParameterSetsRandomAccessAndPcr) {
  Muxer muxer = videoAudioMuxer();
  TsBytes out;
  muxer.writeTables(out);
  const Nalu sei = makeNalu(0x06, 20);
  const Nalu idr = makeNalu(0x65, 300);
  const auto avcc = toAvcc({sei, idr});
  ASSERT_TRUE(muxer.writeVideo({.dts = 1000, .compositionOffset = 66, .keyframe = true, .avcc = avcc}, out).isOk());
  ASSERT_EQ(out.size() % kPacketSize, 0U);

  const std::uint8_t* first = &out[2 * kPacketSize];
  EXPECT_EQ(first[0], 0x47);
  EXPECT_EQ(first[1] & 0x40, 0x40);  // payload_unit_start_indicator
  EXPECT_EQ(pidOf(first), kVideoPid);
  EXPECT_EQ(first[3] & 0x30, 0x30);  // adaptation field + payload
  EXPECT_EQ(first[4], 7);            // flags byte + 6 PCR bytes
  EXPECT_EQ(first[5], 0x50);         // random_access_indicator + PCR_flag

  const TsDemuxForTest d = demux(out);
  const auto& pes = d.streams.at(kVideoPid).pes;
  ASSERT_EQ(pes.size(), 1U);
  EXPECT_EQ(pes[0].streamId, 0xe0);
  EXPECT_TRUE(pes[0].randomAccess);
  EXPECT_EQ(pes[0].dts, 1000U * 90 + 90000);
  EXPECT_EQ(pes[0].pts, 1066U * 90 + 90000);
  EXPECT_EQ(pes[0].pcrBase, 1000U * 90 + 45000);  // half a second behind the DTS
  const media::VideoConfig config = testVideoConfig();
  EXPECT_EQ(pes[0].payload, toAnnexB({kAud, config.sps[0], config.pps[0], sei, idr}));
}

TEST(Muxer, InterFrameHasAudOnlyAndNoRandomAccess) {
  Muxer muxer = videoAudioMuxer();
  TsBytes out;
  muxer.writeTables(out);
  const auto key = toAvcc({makeNalu(0x65, 50)});
  ASSERT_TRUE(muxer.writeVideo({.dts = 0, .keyframe = true, .avcc = key}, out).isOk());
  const Nalu slice = makeNalu(0x41, 40);
  const auto inter = toAvcc({slice});
  ASSERT_TRUE(muxer.writeVideo({.dts = 33, .keyframe = false, .avcc = inter}, out).isOk());
  const TsDemuxForTest d = demux(out);
  const auto& pes = d.streams.at(kVideoPid).pes;
  ASSERT_EQ(pes.size(), 2U);
  EXPECT_FALSE(pes[1].randomAccess);
  EXPECT_FALSE(pes[1].pcrBase.has_value());
  EXPECT_FALSE(pes[1].dts.has_value());  // equal to the PTS: not written
  EXPECT_EQ(pes[1].payload, toAnnexB({kAud, slice}));
}

TEST(Muxer, IdrWithoutFlvKeyFlagStillGetsParameterSets) {
  Muxer muxer = videoAudioMuxer();
  TsBytes out;
  const Nalu idr = makeNalu(0x65, 30);
  const auto avcc = toAvcc({idr});
  ASSERT_TRUE(muxer.writeVideo({.dts = 0, .keyframe = false, .avcc = avcc}, out).isOk());
  muxer.writeTables(out);  // the demuxer needs tables first: put them in front
  TsBytes ts(out.end() - 2 * kPacketSize, out.end());
  ts.insert(ts.end(), out.begin(), out.end() - 2 * kPacketSize);
  const TsDemuxForTest d = demux(ts);
  const media::VideoConfig config = testVideoConfig();
  EXPECT_EQ(d.streams.at(kVideoPid).pes.at(0).payload, toAnnexB({kAud, config.sps[0], config.pps[0], idr}));
  EXPECT_TRUE(d.streams.at(kVideoPid).pes.at(0).randomAccess);
}

TEST(Muxer, KeepsPublisherAudAndInBandParameterSets) {
  Muxer muxer = videoAudioMuxer();
  TsBytes out;
  muxer.writeTables(out);
  const Nalu ownAud = {0x09, 0x10};
  const Nalu idr = makeNalu(0x65, 30);
  ASSERT_TRUE(muxer.writeVideo({.dts = 0, .keyframe = true, .avcc = toAvcc({ownAud, idr})}, out).isOk());
  const Nalu ownSps = makeNalu(0x67, 12);
  const Nalu ownPps = makeNalu(0x68, 4);
  ASSERT_TRUE(muxer.writeVideo({.dts = 40, .keyframe = true, .avcc = toAvcc({ownSps, ownPps, idr})}, out).isOk());
  const TsDemuxForTest d = demux(out);
  const auto& pes = d.streams.at(kVideoPid).pes;
  ASSERT_EQ(pes.size(), 2U);
  const media::VideoConfig config = testVideoConfig();
  // Our parameter sets go right after the publisher's AUD, which must stay first.
  EXPECT_EQ(pes[0].payload, toAnnexB({ownAud, config.sps[0], config.pps[0], idr}));
  EXPECT_EQ(pes[1].payload, toAnnexB({kAud, ownSps, ownPps, idr}));
}

TEST(Muxer, RewritesShortLengthPrefixesAndSkipsEmptyNalus) {
  for (const std::uint8_t lengthSize : {std::uint8_t{1}, std::uint8_t{2}, std::uint8_t{3}}) {
    Muxer muxer(MuxerOptions{});
    muxer.setVideoConfig(testVideoConfig(lengthSize));
    TsBytes out;
    muxer.writeTables(out);
    const Nalu a = makeNalu(0x41, 100);
    const Nalu b = makeNalu(0x01, 3);
    const auto avcc = toAvcc({a, {}, b}, lengthSize);
    ASSERT_TRUE(muxer.writeVideo({.dts = 0, .avcc = avcc}, out).isOk());
    const TsDemuxForTest d = demux(out);
    EXPECT_EQ(d.streams.at(kVideoPid).pes.at(0).payload, toAnnexB({kAud, a, b})) << int{lengthSize};
  }
}

TEST(Muxer, MalformedNaluLengthsFailWithoutWriting) {
  Muxer muxer = videoAudioMuxer();
  TsBytes out;
  const auto good = toAvcc({makeNalu(0x41, 10)});
  auto beyond = good;
  beyond[3] = 11;  // one byte more than the frame has
  EXPECT_FALSE(muxer.writeVideo({.avcc = beyond}, out).isOk());
  auto truncatedLength = good;
  truncatedLength.insert(truncatedLength.end(), {0, 0});  // half a length prefix
  EXPECT_FALSE(muxer.writeVideo({.avcc = truncatedLength}, out).isOk());
  EXPECT_FALSE(muxer.writeVideo({.avcc = {}}, out).isOk());
  const std::vector<std::uint8_t> onlyEmpty = {0, 0, 0, 0};
  EXPECT_FALSE(muxer.writeVideo({.avcc = onlyEmpty}, out).isOk());
  EXPECT_TRUE(out.empty());
  // The failed frames did not consume continuity counter values.
  ASSERT_TRUE(muxer.writeVideo({.avcc = good}, out).isOk());
  EXPECT_EQ(out[3] & 0x0f, 0);
}

TEST(Muxer, RefusesFramesItCannotDescribe) {
  TsBytes out;
  Muxer noConfig(MuxerOptions{});
  const auto avcc = toAvcc({makeNalu(0x65, 10)});
  const std::vector<std::uint8_t> raw = {0x21, 0x00};
  EXPECT_FALSE(noConfig.writeVideo({.avcc = avcc}, out).isOk());
  EXPECT_FALSE(noConfig.writeAudio({.raw = raw}, out).isOk());
  media::VideoConfig bad = testVideoConfig();
  bad.naluLengthSize = 0;
  noConfig.setVideoConfig(bad);
  EXPECT_FALSE(noConfig.writeVideo({.avcc = avcc}, out).isOk());
  media::AudioConfig badAudio = testAudioConfig();
  badAudio.sampleRateIndex = 13;
  noConfig.setAudioConfig(badAudio);
  EXPECT_FALSE(noConfig.writeAudio({.raw = raw}, out).isOk());

  Muxer videoOnly(MuxerOptions{.hasVideo = true, .hasAudio = false});
  videoOnly.setAudioConfig(testAudioConfig());
  EXPECT_FALSE(videoOnly.writeAudio({.raw = raw}, out).isOk());
  Muxer audioOnly(MuxerOptions{.hasVideo = false, .hasAudio = true});
  audioOnly.setVideoConfig(testVideoConfig());
  EXPECT_FALSE(audioOnly.writeVideo({.avcc = avcc}, out).isOk());
  EXPECT_TRUE(out.empty());
}

TEST(Muxer, PcrAtMost100msApartAndOnEveryKeyframe) {
  Muxer muxer = videoAudioMuxer();
  TsBytes out;
  muxer.writeTables(out);
  const auto key = toAvcc({makeNalu(0x65, 20)});
  const auto inter = toAvcc({makeNalu(0x41, 20)});
  for (int i = 0; i < 90; ++i) {
    const std::int64_t dts = i * 1000 / 30;
    const bool keyframe = i % 30 == 0 || i == 47;
    ASSERT_TRUE(muxer.writeVideo({.dts = dts, .keyframe = keyframe, .avcc = keyframe ? key : inter}, out).isOk());
  }
  const TsDemuxForTest d = demux(out);
  const auto& pes = d.streams.at(kVideoPid).pes;
  ASSERT_EQ(pes.size(), 90U);
  std::optional<std::uint64_t> last;
  int pcrs = 0;
  for (const auto& p : pes) {
    if (p.randomAccess) {
      EXPECT_TRUE(p.pcrBase.has_value());
    }
    if (!p.pcrBase) continue;
    ++pcrs;
    if (last) {
      EXPECT_LE(*p.pcrBase - *last, 100U * 90);
    }
    last = p.pcrBase;
  }
  EXPECT_LT(pcrs, 45);  // not on every frame either
  ASSERT_TRUE(pes[47].pcrBase.has_value());
}

TEST(Muxer, TablesForceAPcrOnTheNextFrame) {
  Muxer muxer = videoAudioMuxer();
  TsBytes out;
  const auto inter = toAvcc({makeNalu(0x41, 20)});
  muxer.writeTables(out);
  ASSERT_TRUE(muxer.writeVideo({.dts = 0, .avcc = inter}, out).isOk());
  ASSERT_TRUE(muxer.writeVideo({.dts = 10, .avcc = inter}, out).isOk());
  muxer.writeTables(out);
  ASSERT_TRUE(muxer.writeVideo({.dts = 20, .avcc = inter}, out).isOk());
  const TsDemuxForTest d = demux(out);
  const auto& pes = d.streams.at(kVideoPid).pes;
  ASSERT_EQ(pes.size(), 3U);
  EXPECT_TRUE(pes[0].pcrBase.has_value());
  EXPECT_FALSE(pes[1].pcrBase.has_value());
  EXPECT_TRUE(pes[2].pcrBase.has_value());
}

TEST(Muxer, AudioFrameIsAdtsInABoundedPes) {
  Muxer muxer = videoAudioMuxer();
  TsBytes out;
  muxer.writeTables(out);
  const std::vector<std::uint8_t> raw(371, 0x5a);
  ASSERT_TRUE(muxer.writeAudio({.pts = 23, .raw = raw}, out).isOk());
  const TsDemuxForTest d = demux(out);
  const auto& pes = d.streams.at(kAudioPid).pes;
  ASSERT_EQ(pes.size(), 1U);
  EXPECT_EQ(pes[0].streamId, 0xc0);
  EXPECT_EQ(pes[0].declaredLength, 3 + 5 + 7 + 371);
  EXPECT_EQ(pes[0].pts, 23U * 90 + 90000);
  EXPECT_FALSE(pes[0].pcrBase.has_value());  // PCR lives on the video PID here
  std::vector<std::uint8_t> expected = ls::testing::fromHex("fff1 50 80 2f 5f fc");
  expected.insert(expected.end(), raw.begin(), raw.end());
  EXPECT_EQ(pes[0].payload, expected);
}

TEST(Muxer, AudioOnlyCarriesPcrOnTheAudioPid) {
  Muxer muxer(MuxerOptions{.hasVideo = false, .hasAudio = true});
  muxer.setAudioConfig(testAudioConfig());
  TsBytes out;
  muxer.writeTables(out);
  const std::vector<std::uint8_t> raw(200, 0x11);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(muxer.writeAudio({.pts = i * 23, .raw = raw}, out).isOk());
  const TsDemuxForTest d = demux(out);
  EXPECT_EQ(d.pcrPid, kAudioPid);
  EXPECT_EQ(d.streams.count(kVideoPid), 0U);
  const auto& pes = d.streams.at(kAudioPid).pes;
  ASSERT_EQ(pes.size(), 20U);
  EXPECT_TRUE(pes[0].pcrBase.has_value());
  std::uint64_t last = *pes[0].pcrBase;
  for (const auto& p : pes) {
    if (!p.pcrBase) continue;
    EXPECT_LE(*p.pcrBase - last, 100U * 90);
    last = *p.pcrBase;
  }
}

TEST(Muxer, VideoOnlyTablesListOnlyVideo) {
  Muxer muxer(MuxerOptions{.hasVideo = true, .hasAudio = false});
  muxer.setVideoConfig(testVideoConfig());
  TsBytes out;
  muxer.writeTables(out);
  ASSERT_TRUE(muxer.writeVideo({.dts = 0, .keyframe = true, .avcc = toAvcc({makeNalu(0x65, 9)})}, out).isOk());
  const TsDemuxForTest d = demux(out);
  EXPECT_EQ(d.streams.size(), 1U);
  EXPECT_EQ(d.pcrPid, kVideoPid);
}

TEST(Muxer, ContinuityCountersRunAcrossSegments) {
  Muxer muxer = videoAudioMuxer();
  TsBytes out;
  const auto key = toAvcc({makeNalu(0x65, 1000)});
  const std::vector<std::uint8_t> raw(300, 0x22);
  for (int segment = 0; segment < 5; ++segment) {
    muxer.writeTables(out);
    for (int i = 0; i < 7; ++i) {
      ASSERT_TRUE(muxer.writeVideo({.dts = i * 33, .keyframe = i == 0, .avcc = key}, out).isOk());
      ASSERT_TRUE(muxer.writeAudio({.pts = i * 33, .raw = raw}, out).isOk());
    }
  }
  const TsDemuxForTest d = demux(out);
  for (const auto& [pid, counters] : d.continuity) {
    ASSERT_GT(counters.size(), 4U);
    for (std::size_t i = 1; i < counters.size(); ++i) {
      ASSERT_EQ(counters[i], (counters[i - 1] + 1) & 0x0f) << "PID " << pid << " packet " << i;
    }
  }
}

}  // namespace
}  // namespace ls::ts
