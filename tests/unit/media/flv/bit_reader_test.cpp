#include "media/flv/bit_reader.hpp"

#include <gtest/gtest.h>

#include "unit/media/flv/test_bytes.hpp"

namespace ls::flv {
namespace {

using testing::fromHex;

TEST(BitReader, ReadsBitsMsbFirst) {
  const auto data = fromHex("a5 0f");
  BitReader r(data);
  EXPECT_EQ(r.bits(1), 1U);
  EXPECT_EQ(r.bits(3), 2U);  // 010
  EXPECT_EQ(r.bits(8), 0x50U);
  EXPECT_EQ(r.peek(4), 0xfU);
  EXPECT_EQ(r.bits(4), 0xfU);
  EXPECT_FALSE(r.failed());
  EXPECT_EQ(r.bitsLeft(), 0U);
}

TEST(BitReader, ReadingPastTheEndFailsAndStaysFailed) {
  const auto data = fromHex("ff");
  BitReader r(data);
  EXPECT_EQ(r.bits(9), 0U);
  EXPECT_TRUE(r.failed());
  EXPECT_EQ(r.bits(1), 0U);
  EXPECT_TRUE(r.failed());
}

TEST(BitReader, DecodesExpGolombCodes) {
  // Clause 9.1 table 9-2: 1 -> 0, 010 -> 1, 011 -> 2, 00100 -> 3, 0001000 -> 7.
  testing::BitWriter w;
  w.bits(0b1, 1);
  w.bits(0b010, 3);
  w.bits(0b011, 3);
  w.bits(0b00100, 5);
  w.bits(0b0001000, 7);
  BitReader r(w.bytes());
  EXPECT_EQ(r.ue(), 0U);
  EXPECT_EQ(r.ue(), 1U);
  EXPECT_EQ(r.ue(), 2U);
  EXPECT_EQ(r.ue(), 3U);
  EXPECT_EQ(r.ue(), 7U);
  EXPECT_FALSE(r.failed());
}

TEST(BitReader, DecodesSignedExpGolomb) {
  testing::BitWriter w;
  for (const std::uint32_t k : {0U, 1U, 2U, 3U, 4U}) w.ue(k);
  BitReader r(w.bytes());
  EXPECT_EQ(r.se(), 0);
  EXPECT_EQ(r.se(), 1);
  EXPECT_EQ(r.se(), -1);
  EXPECT_EQ(r.se(), 2);
  EXPECT_EQ(r.se(), -2);
}

TEST(BitReader, ExpGolombExtremes) {
  testing::BitWriter w;
  w.ue(0xfffffffeU);  // 31 leading zeros: the largest ue(v) that fits 32 bits
  BitReader r(w.bytes());
  EXPECT_EQ(r.ue(), 0xfffffffeU);
  EXPECT_FALSE(r.failed());

  const auto zeros = fromHex("00 00 00 00 80");  // 32 leading zeros
  BitReader tooLong(zeros);
  tooLong.ue();
  EXPECT_TRUE(tooLong.failed());

  const auto truncated = fromHex("00");
  BitReader noStop(truncated);
  noStop.ue();
  EXPECT_TRUE(noStop.failed());
}

TEST(NalToRbsp, RemovesEmulationPreventionBytes) {
  EXPECT_EQ(nalToRbsp(fromHex("00 00 03 01 00 00 03 00 00 00 03")), fromHex("00 00 01 00 00 00 00 00"));
  // A 03 that does not follow two zeros is data.
  EXPECT_EQ(nalToRbsp(fromHex("00 03 00 03 12")), fromHex("00 03 00 03 12"));
  // After a removed 03 the zero count restarts.
  EXPECT_EQ(nalToRbsp(fromHex("00 00 03 00 03")), fromHex("00 00 00 03"));
}

}  // namespace
}  // namespace ls::flv
