#include "media/flv/audio_specific_config.hpp"

#include <gtest/gtest.h>

#include "unit/media/flv/test_bytes.hpp"

namespace ls::flv {
namespace {

using testing::BitWriter;
using testing::fromHex;

TEST(AudioSpecificConfig, ParsesAacLc) {
  Result<AacSpecificConfig> asc = parseAudioSpecificConfig(fromHex("12 10"));
  ASSERT_TRUE(asc.ok()) << asc.status().message();
  EXPECT_EQ(asc->config.objectType, 2);
  EXPECT_EQ(asc->config.sampleRateIndex, 4);
  EXPECT_EQ(asc->config.sampleRate, 44100U);
  EXPECT_EQ(asc->config.channels, 2);
  EXPECT_FALSE(asc->sbr);
  EXPECT_EQ(asc->outputSampleRate, 44100U);
  EXPECT_EQ(asc->config.codecString(), "mp4a.40.2");

  asc = parseAudioSpecificConfig(fromHex("11 88"));  // 48 kHz mono
  ASSERT_TRUE(asc.ok());
  EXPECT_EQ(asc->config.sampleRate, 48000U);
  EXPECT_EQ(asc->config.channels, 1);
}

TEST(AudioSpecificConfig, FfmpegSyncExtensionWithoutSbrStaysLc) {
  // ffmpeg's native AAC encoder appends a 0x2b7 sync extension with sbrPresentFlag 0.
  Result<AacSpecificConfig> asc = parseAudioSpecificConfig(fromHex("12 10 56 e5 00"));
  ASSERT_TRUE(asc.ok());
  EXPECT_EQ(asc->config.objectType, 2);
  EXPECT_FALSE(asc->sbr);
}

TEST(AudioSpecificConfig, ExplicitHierarchicalHeAac) {
  // AOT 5, core 22050 Hz stereo, SBR output 44100 Hz, core AOT 2 (as libfdk_aac writes it).
  Result<AacSpecificConfig> asc = parseAudioSpecificConfig(fromHex("2b 92 08 00"));
  ASSERT_TRUE(asc.ok()) << asc.status().message();
  EXPECT_EQ(asc->config.objectType, 5);
  EXPECT_EQ(asc->coreObjectType, 2);
  EXPECT_TRUE(asc->sbr);
  EXPECT_FALSE(asc->ps);
  EXPECT_EQ(asc->config.sampleRateIndex, 7);
  EXPECT_EQ(asc->config.sampleRate, 22050U);
  EXPECT_EQ(asc->outputSampleRate, 44100U);
  EXPECT_EQ(asc->config.channels, 2);
  EXPECT_EQ(asc->config.codecString(), "mp4a.40.5");
}

TEST(AudioSpecificConfig, ExplicitHierarchicalPs) {
  BitWriter w;
  w.bits(29, 5);  // AOT PS
  w.bits(6, 4);   // core 24000 Hz
  w.bits(1, 4);   // mono core
  w.bits(3, 4);   // output 48000 Hz
  w.bits(2, 5);   // core AOT LC
  w.bits(0, 3);
  Result<AacSpecificConfig> asc = parseAudioSpecificConfig(w.bytes());
  ASSERT_TRUE(asc.ok()) << asc.status().message();
  EXPECT_EQ(asc->config.objectType, 29);
  EXPECT_TRUE(asc->sbr);
  EXPECT_TRUE(asc->ps);
  EXPECT_EQ(asc->config.sampleRate, 24000U);
  EXPECT_EQ(asc->outputSampleRate, 48000U);
}

std::vector<std::uint8_t> backwardCompatibleHeAac(bool withPs) {
  BitWriter w;
  w.bits(2, 5);  // AOT LC
  w.bits(7, 4);  // 22050 Hz
  w.bits(2, 4);  // stereo
  w.bits(0, 3);  // GASpecificConfig
  w.bits(0x2b7, 11);
  w.bits(5, 5);  // extensionAudioObjectType SBR
  w.bit(true);   // sbrPresentFlag
  w.bits(4, 4);  // 44100 Hz
  if (withPs) {
    w.bits(0x548, 11);
    w.bit(true);
  }
  return w.bytes();
}

TEST(AudioSpecificConfig, BackwardCompatibleSbrAndPsSignalling) {
  Result<AacSpecificConfig> asc = parseAudioSpecificConfig(backwardCompatibleHeAac(false));
  ASSERT_TRUE(asc.ok());
  EXPECT_EQ(asc->config.objectType, 5);
  EXPECT_EQ(asc->coreObjectType, 2);
  EXPECT_TRUE(asc->sbr);
  EXPECT_FALSE(asc->ps);
  EXPECT_EQ(asc->config.sampleRate, 22050U);
  EXPECT_EQ(asc->outputSampleRate, 44100U);

  asc = parseAudioSpecificConfig(backwardCompatibleHeAac(true));
  ASSERT_TRUE(asc.ok());
  EXPECT_EQ(asc->config.objectType, 29);
  EXPECT_TRUE(asc->ps);
}

TEST(AudioSpecificConfig, ExplicitFrequencyMapsToNearestIndex) {
  BitWriter w;
  w.bits(2, 5);
  w.bits(15, 4);
  w.bits(44056, 24);  // NTSC-pulled-down 44.1 kHz
  w.bits(2, 4);
  w.bits(0, 3);
  Result<AacSpecificConfig> asc = parseAudioSpecificConfig(w.bytes());
  ASSERT_TRUE(asc.ok()) << asc.status().message();
  EXPECT_EQ(asc->config.sampleRate, 44056U);
  EXPECT_EQ(asc->config.sampleRateIndex, 4);
}

TEST(AudioSpecificConfig, SampleRateTables) {
  EXPECT_EQ(aacSampleRateForIndex(0), 96000U);
  EXPECT_EQ(aacSampleRateForIndex(12), 7350U);
  EXPECT_EQ(aacSampleRateForIndex(13), 0U);
  EXPECT_EQ(aacSampleRateIndexFor(96000), 0);
  EXPECT_EQ(aacSampleRateIndexFor(92017), 0);
  EXPECT_EQ(aacSampleRateIndexFor(92016), 1);
  EXPECT_EQ(aacSampleRateIndexFor(48000), 3);
  EXPECT_EQ(aacSampleRateIndexFor(9391), 10);
  EXPECT_EQ(aacSampleRateIndexFor(9390), 11);
  EXPECT_EQ(aacSampleRateIndexFor(1), 11);
}

TEST(AudioSpecificConfig, EscapedObjectType) {
  BitWriter w;
  w.bits(31, 5);
  w.bits(42 - 32, 6);  // AOT 42 (USAC)
  w.bits(3, 4);
  w.bits(2, 4);
  Result<AacSpecificConfig> asc = parseAudioSpecificConfig(w.bytes());
  ASSERT_TRUE(asc.ok());
  EXPECT_EQ(asc->config.objectType, 42);
}

TEST(AudioSpecificConfig, RejectsMalformed) {
  EXPECT_FALSE(parseAudioSpecificConfig({}).ok());
  EXPECT_FALSE(parseAudioSpecificConfig(fromHex("12")).ok());
  EXPECT_FALSE(parseAudioSpecificConfig(fromHex("16 90")).ok());           // frequency index 13 (reserved)
  EXPECT_FALSE(parseAudioSpecificConfig(fromHex("02 10")).ok());           // object type 0
  EXPECT_FALSE(parseAudioSpecificConfig(fromHex("2b 92")).ok());           // SBR extension cut off
  EXPECT_FALSE(parseAudioSpecificConfig(fromHex("17 80 00 00 10")).ok());  // explicit frequency 0
}

TEST(AudioSpecificConfig, BuildsWhatItParses) {
  media::AudioConfig lc;
  lc.objectType = 2;
  lc.sampleRateIndex = 3;
  lc.sampleRate = 48000;
  lc.channels = 2;
  Result<std::vector<std::uint8_t>> built = buildAudioSpecificConfig(lc);
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(*built, fromHex("11 90"));

  media::AudioConfig odd = lc;
  odd.sampleRateIndex = 4;  // what parsing maps 44056 Hz to
  odd.sampleRate = 44056;
  built = buildAudioSpecificConfig(odd);
  ASSERT_TRUE(built.ok());
  Result<AacSpecificConfig> parsed = parseAudioSpecificConfig(*built);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(built->size(), 5U);  // explicit 24-bit frequency
  EXPECT_EQ(parsed->config.sampleRate, 44056U);
  EXPECT_EQ(parsed->config.sampleRateIndex, 4);
  EXPECT_EQ(parsed->config.channels, 2);

  media::AudioConfig he = lc;
  he.objectType = 5;
  EXPECT_FALSE(buildAudioSpecificConfig(he).ok());
}

}  // namespace
}  // namespace ls::flv
