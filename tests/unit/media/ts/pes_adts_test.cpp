#include <gtest/gtest.h>

#include "media/ts/adts.hpp"
#include "media/ts/pes.hpp"
#include "unit/media/flv/test_bytes.hpp"

namespace ls::ts {
namespace {

using ls::testing::fromHex;

TEST(Timestamps, MillisecondsTo90kHzWithOffsetAndWrap) {
  EXPECT_EQ(to90kHz(0), 90000U);
  EXPECT_EQ(to90kHz(1000), 180000U);
  EXPECT_EQ(to90kHz(-500), 45000U);  // slightly negative DTS stays positive
  EXPECT_EQ(to90kHz(0, 0), 0U);
  EXPECT_EQ(to90kHz(-1, 0), (std::uint64_t{1} << 33) - 90);  // wraps rather than going negative
  // 2^33 ticks is about 26.5 hours: the clock wraps exactly there.
  const std::int64_t wrapMs = (std::int64_t{1} << 33) / 90 + 1;
  EXPECT_EQ(to90kHz(wrapMs, 0), static_cast<std::uint64_t>(wrapMs * 90) - (std::uint64_t{1} << 33));
  EXPECT_LT(to90kHz(std::int64_t{1} << 50), std::uint64_t{1} << 33);
}

TEST(PesHeader, PtsOnly) {
  const PesHeader h = makePesHeader(kStreamIdAudio, 100, 0x1'2345'6789, std::nullopt);
  ASSERT_EQ(h.size, 14U);
  // 00 00 01 C0, PES_packet_length = 3 + 5 + 100 = 108, '10' + data_alignment, PTS only, 5 header bytes.
  // PTS 0x123456789: '0010' + bits 32..30 (100) + marker, then 15 + marker, 15 + marker.
  EXPECT_EQ(std::vector<std::uint8_t>(h.bytes.begin(), h.bytes.begin() + 14),
            fromHex("000001c0 006c 84 80 05 29 8d 15 cf 13"));
}

TEST(PesHeader, PtsAndDts) {
  const PesHeader h = makePesHeader(kStreamIdVideo, 10, 93003, 90000);
  ASSERT_EQ(h.size, 19U);
  EXPECT_EQ(h.bytes[7], 0xc0);
  EXPECT_EQ(h.bytes[8], 10);
  // PTS 93003 = 0x16B4B with prefix '0011'; DTS 90000 = 0x15F90 with prefix '0001'.
  EXPECT_EQ(std::vector<std::uint8_t>(h.bytes.begin() + 9, h.bytes.begin() + 19),
            fromHex("31 00 05 d6 97  11 00 05 bf 21"));
}

TEST(PesHeader, EqualDtsIsOmittedAndLongVideoIsUnbounded) {
  EXPECT_EQ(makePesHeader(kStreamIdVideo, 10, 5, 5).size, 14U);
  const PesHeader big = makePesHeader(kStreamIdVideo, 70000, 1, 0);
  EXPECT_EQ(big.bytes[4], 0);
  EXPECT_EQ(big.bytes[5], 0);
  const PesHeader edge = makePesHeader(kStreamIdVideo, 0xffff - 13, 1, 0);  // 3 + 10 + payload = 65535
  EXPECT_EQ(edge.bytes[4], 0xff);
  EXPECT_EQ(edge.bytes[5], 0xff);
}

TEST(Adts, HeaderBitsForAacLc) {
  media::AudioConfig config;
  config.objectType = 2;
  config.sampleRateIndex = 4;  // 44100
  config.channels = 2;
  Result<AdtsHeader> h = makeAdtsHeader(config, 371);
  ASSERT_TRUE(h.ok());
  // FFF, MPEG-4, layer 0, no CRC | profile 1 (LC), index 4, channels 2 |
  // aac_frame_length 378 (0x17A), buffer fullness 0x7FF, one raw block.
  EXPECT_EQ(std::vector<std::uint8_t>(h->begin(), h->end()), fromHex("fff1 50 80 2f 5f fc"));
}

TEST(Adts, HeAacIsCarriedAsItsLcCore) {
  media::AudioConfig config;
  config.objectType = 5;
  config.sampleRateIndex = 7;  // 22050 core
  config.channels = 2;
  Result<AdtsHeader> h = makeAdtsHeader(config, 100);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ((*h)[2] >> 6, 1);           // profile LC
  EXPECT_EQ(((*h)[2] >> 2) & 0x0f, 7);  // core rate
  config.objectType = 29;
  config.channels = 1;
  h = makeAdtsHeader(config, 100);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ((*h)[2] >> 6, 1);
  EXPECT_EQ((*h)[3] >> 6, 1);  // channel configuration low bits
}

TEST(Adts, ChannelConfigurationSpansTwoBytes) {
  media::AudioConfig config;
  config.objectType = 1;
  config.sampleRateIndex = 3;
  config.channels = 6;  // 5.1: 110, high bit in byte 2, low two in byte 3
  Result<AdtsHeader> h = makeAdtsHeader(config, 0);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ((*h)[2], 0x0d);  // profile 0 (Main), index 3, channel bit 2 = 1
  EXPECT_EQ((*h)[3] >> 6, 2);
  EXPECT_EQ((((*h)[3] & 3) << 11) | ((*h)[4] << 3) | ((*h)[5] >> 5), 7);
}

TEST(Adts, RejectsWhatAdtsCannotSay) {
  media::AudioConfig config;
  EXPECT_TRUE(makeAdtsHeader(config, 8184).ok());
  EXPECT_FALSE(makeAdtsHeader(config, 8185).ok());  // 13-bit frame length
  config.objectType = 42;
  EXPECT_FALSE(makeAdtsHeader(config, 10).ok());
  config.objectType = 2;
  config.sampleRateIndex = 15;
  EXPECT_FALSE(makeAdtsHeader(config, 10).ok());
  config.sampleRateIndex = 4;
  config.channels = 8;
  EXPECT_FALSE(makeAdtsHeader(config, 10).ok());
}

}  // namespace
}  // namespace ls::ts
