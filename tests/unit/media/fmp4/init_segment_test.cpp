// Byte structure of init segments: the box tree adds up, the sample entries
// carry what the configs say, and unusable configs are refused.
#include <gtest/gtest.h>

#include "media/fmp4/box_reader.hpp"
#include "media/fmp4/init_segment.hpp"
#include "unit/media/fmp4/fmp4_test_util.hpp"

namespace ls::fmp4 {
namespace {

using testing::audioConfig;
using testing::videoConfig;

std::vector<std::uint8_t> bodyOf(const std::optional<Box>& box) {
  return box ? std::vector<std::uint8_t>(box->body.begin(), box->body.end()) : std::vector<std::uint8_t>{};
}

TEST(InitSegment, AudioAndVideoTreeAddsUp) {
  const media::VideoConfig video = videoConfig();
  const media::AudioConfig audio = audioConfig();
  Result<Bytes> init = writeInitSegment(&video, &audio);
  ASSERT_TRUE(init.ok()) << init.status().message();
  ASSERT_TRUE(checkBoxTree(*init).isOk()) << checkBoxTree(*init).message();

  Result<std::vector<Box>> top = readBoxes(*init);
  ASSERT_TRUE(top.ok());
  ASSERT_EQ(top->size(), 2U);
  EXPECT_EQ((*top)[0].type, boxType("ftyp"));
  EXPECT_EQ((*top)[1].type, boxType("moov"));
  EXPECT_EQ(readU32((*top)[0].body, 0), boxType("iso6"));  // major brand

  Result<std::vector<Box>> moov = childBoxes((*top)[1]);
  ASSERT_TRUE(moov.ok());
  std::vector<std::uint32_t> types;
  for (const Box& b : *moov) types.push_back(b.type);
  EXPECT_EQ(types, (std::vector<std::uint32_t>{boxType("mvhd"), boxType("trak"), boxType("trak"), boxType("mvex")}));

  // Track ids, handlers and timescales.
  const Box& videoTrak = (*moov)[1];
  const Box& audioTrak = (*moov)[2];
  EXPECT_EQ(readU32(testing::child(videoTrak, "tkhd").body, 12), kVideoTrackId);
  EXPECT_EQ(readU32(testing::child(audioTrak, "tkhd").body, 12), kAudioTrackId);
  const Box videoMdia = testing::child(videoTrak, "mdia");
  const Box audioMdia = testing::child(audioTrak, "mdia");
  EXPECT_EQ(readU32(testing::child(videoMdia, "mdhd").body, 12), kVideoTimescale);
  EXPECT_EQ(readU32(testing::child(audioMdia, "mdhd").body, 12), 44100U);
  EXPECT_EQ(readU32(testing::child(videoMdia, "hdlr").body, 8), boxType("vide"));
  EXPECT_EQ(readU32(testing::child(audioMdia, "hdlr").body, 8), boxType("soun"));
  // tkhd width/height in 16.16.
  EXPECT_EQ(readU32(testing::child(videoTrak, "tkhd").body, 76), 320U << 16);
  EXPECT_EQ(readU32(testing::child(videoTrak, "tkhd").body, 80), 240U << 16);
}

TEST(InitSegment, AvcCCarriesParameterSetsWithFourByteLengths) {
  const media::VideoConfig video = videoConfig(2);
  Result<Bytes> init = writeInitSegment(&video, nullptr);
  ASSERT_TRUE(init.ok());
  ASSERT_TRUE(checkBoxTree(*init).isOk());
  const std::vector<std::uint8_t> avcC = bodyOf(findBox(*init, "moov/trak/mdia/minf/stbl/stsd/avc1/avcC"));
  const std::vector<std::uint8_t> expected = {1,    0x64, 0x00, 0x1f, 0xff, 0xe1, 0,    6,    0x67, 0x64, 0x00,
                                              0x1f, 0xac, 0xd9, 1,    0,    4,    0x68, 0xeb, 0xe3, 0xcb};
  EXPECT_EQ(avcC, expected);
  const std::vector<std::uint8_t> avc1 = bodyOf(findBox(*init, "moov/trak/mdia/minf/stbl/stsd/avc1"));
  ASSERT_GE(avc1.size(), 28U);
  EXPECT_EQ(avc1[24], 320 >> 8);  // width
  EXPECT_EQ(avc1[25], 320 & 0xff);
  EXPECT_FALSE(findBox(*init, "moov/trak/mdia/minf/smhd"));
  EXPECT_TRUE(findBox(*init, "moov/trak/mdia/minf/vmhd"));
  EXPECT_EQ(readU32(bodyOf(findBox(*init, "moov/mvex/trex")), 4), kVideoTrackId);
}

TEST(InitSegment, ProfileComesFromTheSpsWhenTheConfigHasNone) {
  media::VideoConfig video = videoConfig();
  video.profileIdc = 0;
  video.sps = {{0x67, 0x4d, 0x40, 0x1e, 0x11}};
  Result<Bytes> init = writeInitSegment(&video, nullptr);
  ASSERT_TRUE(init.ok());
  const std::vector<std::uint8_t> avcC = bodyOf(findBox(*init, "moov/trak/mdia/minf/stbl/stsd/avc1/avcC"));
  ASSERT_GE(avcC.size(), 4U);
  EXPECT_EQ(avcC[1], 0x4d);
  EXPECT_EQ(avcC[2], 0x40);
  EXPECT_EQ(avcC[3], 0x1e);
}

TEST(InitSegment, EsdsCarriesTheAudioSpecificConfig) {
  media::AudioConfig audio = audioConfig();
  Result<Bytes> init = writeInitSegment(nullptr, &audio);
  ASSERT_TRUE(init.ok());
  ASSERT_TRUE(checkBoxTree(*init).isOk());
  const std::vector<std::uint8_t> mp4a = bodyOf(findBox(*init, "moov/trak/mdia/minf/stbl/stsd/mp4a"));
  ASSERT_GE(mp4a.size(), 28U);
  EXPECT_EQ(mp4a[17], 2);                                 // channelcount
  EXPECT_EQ(readU32(mp4a, 24), 44100U << 16);             // samplerate 16.16
  const std::vector<std::uint8_t> esds = bodyOf(findBox(*init, "moov/trak/mdia/minf/stbl/stsd/mp4a/esds"));
  // version/flags, ES_Descriptor(3) > DecoderConfigDescriptor(4) > DecoderSpecificInfo(5) + SLConfig(6).
  const std::vector<std::uint8_t> expected = {0, 0, 0, 0, 0x03, 25, 0, 2, 0, 0x04, 17, 0x40, 0x15, 0, 0, 0, 0, 0,
                                              0, 0, 0, 0, 0,    0,  0x05, 2, 0x12, 0x10, 0x06, 1, 0x02};
  EXPECT_EQ(esds, expected);  // 0x12 0x10: AAC-LC, 44.1 kHz (index 4), 2 channels
  EXPECT_TRUE(findBox(*init, "moov/trak/mdia/minf/smhd"));
}

TEST(InitSegment, HeAacIsWrittenAsItsLcCoreAndOddRatesExplicitly) {
  media::AudioConfig heAac{.objectType = 5, .sampleRateIndex = 6, .sampleRate = 24000, .channels = 2};
  Result<Bytes> init = writeInitSegment(nullptr, &heAac);
  ASSERT_TRUE(init.ok());
  std::vector<std::uint8_t> esds = bodyOf(findBox(*init, "moov/trak/mdia/minf/stbl/stsd/mp4a/esds"));
  ASSERT_EQ(esds.size(), 31U);
  EXPECT_EQ(esds[26], 0x13);  // object type 2, index 6 ...
  EXPECT_EQ(esds[27], 0x10);  // ... 2 channels
  EXPECT_EQ(readU32(bodyOf(findBox(*init, "moov/trak/mdia/mdhd")), 12), 24000U);

  media::AudioConfig odd{.objectType = 2, .sampleRateIndex = 4, .sampleRate = 44000, .channels = 1};
  init = writeInitSegment(nullptr, &odd);
  ASSERT_TRUE(init.ok());
  ASSERT_TRUE(checkBoxTree(*init).isOk());
  esds = bodyOf(findBox(*init, "moov/trak/mdia/minf/stbl/stsd/mp4a/esds"));
  EXPECT_EQ(esds[25], 5);                      // DecoderSpecificInfo of 5 bytes: index 15 + 24-bit rate
  EXPECT_EQ(esds[26], (2 << 3) | (15 >> 1));  // object type 2, index 15
}

TEST(InitSegment, RefusesUnusableConfigs) {
  EXPECT_FALSE(writeInitSegment(nullptr, nullptr).ok());
  media::VideoConfig noSps = videoConfig();
  noSps.sps.clear();
  EXPECT_FALSE(writeInitSegment(&noSps, nullptr).ok());
  media::VideoConfig noPps = videoConfig();
  noPps.pps.clear();
  EXPECT_FALSE(writeInitSegment(&noPps, nullptr).ok());
  media::VideoConfig badLength = videoConfig(3);
  EXPECT_TRUE(writeInitSegment(&badLength, nullptr).ok());  // 3-byte prefixes are legal in AVCC
  badLength.naluLengthSize = 0;
  EXPECT_FALSE(writeInitSegment(&badLength, nullptr).ok());
  media::AudioConfig noRate = audioConfig();
  noRate.sampleRate = 0;
  EXPECT_FALSE(writeInitSegment(nullptr, &noRate).ok());
  media::AudioConfig noChannels = audioConfig();
  noChannels.channels = 0;
  EXPECT_FALSE(writeInitSegment(nullptr, &noChannels).ok());
  media::AudioConfig notAac = audioConfig();
  notAac.objectType = 34;
  EXPECT_FALSE(writeInitSegment(nullptr, &notAac).ok());
}

TEST(BoxReader, RefusesSizesThatDoNotAddUp) {
  const std::vector<std::uint8_t> truncated = {0, 0, 0, 16, 'f', 'r', 'e', 'e', 0, 0};
  EXPECT_FALSE(readBoxes(truncated).ok());
  const std::vector<std::uint8_t> tooSmall = {0, 0, 0, 4, 'f', 'r', 'e', 'e'};
  EXPECT_FALSE(readBoxes(tooSmall).ok());
  const std::vector<std::uint8_t> trailing = {0, 0, 0, 8, 'f', 'r', 'e', 'e', 0};
  EXPECT_FALSE(readBoxes(trailing).ok());
  // A container whose child overruns it.
  const std::vector<std::uint8_t> nested = {0, 0, 0, 16, 'm', 'o', 'o', 'v', 0, 0, 0, 12, 't', 'r', 'a', 'k'};
  EXPECT_TRUE(readBoxes(nested).ok());
  EXPECT_FALSE(checkBoxTree(nested).isOk());
}

}  // namespace
}  // namespace ls::fmp4
