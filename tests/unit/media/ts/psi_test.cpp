#include "media/ts/psi.hpp"

#include <gtest/gtest.h>

#include "media/ts/crc32_mpeg2.hpp"
#include "media/ts/ts_packet.hpp"
#include "unit/media/flv/test_bytes.hpp"

namespace ls::ts {
namespace {

using ls::testing::fromHex;

TEST(Crc32Mpeg2, MatchesTheCatalogueCheckValue) {
  const std::string check = "123456789";
  EXPECT_EQ(crc32Mpeg2({reinterpret_cast<const std::uint8_t*>(check.data()), check.size()}), 0x0376E6E7U);
  EXPECT_EQ(crc32Mpeg2({}), 0xFFFFFFFFU);
}

// A section with its CRC appended checks to 0; recompute rather than trust.
void expectValidCrc(const std::vector<std::uint8_t>& section) {
  ASSERT_GE(section.size(), 4U);
  const auto body = std::span(section).first(section.size() - 4);
  const std::uint32_t crc = crc32Mpeg2(body);
  const std::uint32_t stored = (std::uint32_t{section[section.size() - 4]} << 24) |
                               (std::uint32_t{section[section.size() - 3]} << 16) |
                               (std::uint32_t{section[section.size() - 2]} << 8) | section.back();
  EXPECT_EQ(crc, stored);
  EXPECT_EQ(crc32Mpeg2(section), 0U);
}

TEST(Psi, PatIsTheCanonicalSingleProgramTable) {
  const auto pat = makePatSection();
  // Byte-identical to the PAT ffmpeg's mpegts muxer writes for the same layout.
  EXPECT_EQ(pat, fromHex("00 b00d 0001 c1 00 00 0001 f000 2ab104b2"));
  expectValidCrc(pat);
}

TEST(Psi, PmtWithVideoAndAudio) {
  const auto pmt = makePmtSection({.hasVideo = true, .hasAudio = true, .pcrPid = kVideoPid});
  EXPECT_EQ(pmt, fromHex("02 b017 0001 c1 00 00 e100 f000 1b e100 f000 0f e101 f000 2f44b99b"));
  expectValidCrc(pmt);
}

TEST(Psi, PmtAudioOnlyAndVideoOnly) {
  const auto audio = makePmtSection({.hasVideo = false, .hasAudio = true, .pcrPid = kAudioPid});
  EXPECT_EQ(std::vector<std::uint8_t>(audio.begin(), audio.end() - 4),
            fromHex("02 b012 0001 c1 00 00 e101 f000 0f e101 f000"));
  expectValidCrc(audio);
  const auto video = makePmtSection({.hasVideo = true, .hasAudio = false, .pcrPid = kVideoPid});
  EXPECT_EQ(std::vector<std::uint8_t>(video.begin(), video.end() - 4),
            fromHex("02 b012 0001 c1 00 00 e100 f000 1b e100 f000"));
  expectValidCrc(video);
}

TEST(Psi, SectionPacketIsPaddedAndCounted) {
  TsBytes out;
  std::uint8_t counter = 15;
  const auto pat = makePatSection();
  appendSectionPacket(out, kPatPid, counter, pat);
  ASSERT_EQ(out.size(), kPacketSize);
  EXPECT_EQ(out[0], 0x47);
  EXPECT_EQ(out[1], 0x40);  // payload_unit_start_indicator, PID 0
  EXPECT_EQ(out[2], 0x00);
  EXPECT_EQ(out[3], 0x1f);  // payload only, continuity_counter 15
  EXPECT_EQ(out[4], 0x00);  // pointer_field
  EXPECT_TRUE(std::equal(pat.begin(), pat.end(), out.begin() + 5));
  for (std::size_t i = 5 + pat.size(); i < kPacketSize; ++i) ASSERT_EQ(out[i], 0xff) << i;
  EXPECT_EQ(counter, 0);  // wrapped
}

}  // namespace
}  // namespace ls::ts
