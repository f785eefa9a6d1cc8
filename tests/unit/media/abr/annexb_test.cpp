#include "media/abr/annexb.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace ls::abr {
namespace {

using Bytes = std::vector<std::uint8_t>;

// The SPS and PPS x264 writes for 640x360 Constrained Baseline level 3.0
// (`ffmpeg -f lavfi -i testsrc=size=640x360 -pix_fmt yuv420p -c:v libx264 -preset ultrafast -f h264`).
const Bytes kSps = {0x67, 0x42, 0xc0, 0x1e, 0xda, 0x02, 0x80, 0xbf, 0xe5, 0xc0, 0x44, 0x00, 0x00,
                    0x03, 0x00, 0x04, 0x00, 0x00, 0x03, 0x00, 0xf0, 0x3c, 0x58, 0xba, 0x80};
const Bytes kPps = {0x68, 0xce, 0x0f, 0xc8};

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(AnnexB, SplitsOnThreeAndFourByteStartCodes) {
  const Bytes data =
      concat({{0, 0, 0, 1, 0x65, 0xaa, 0x00, 0x00, 0x03, 0x01}, {0, 0, 1, 0x41, 0xbb}, {0, 0, 0, 1, 0x06, 0xcc, 0, 0}});
  std::vector<Bytes> nals;
  forEachAnnexBNal(data, [&](std::span<const std::uint8_t> nal) { nals.emplace_back(nal.begin(), nal.end()); });
  ASSERT_EQ(nals.size(), 3u);
  // Emulation prevention stays: it is part of the NAL unit.
  EXPECT_EQ(nals[0], (Bytes{0x65, 0xaa, 0x00, 0x00, 0x03, 0x01}));
  EXPECT_EQ(nals[1], (Bytes{0x41, 0xbb}));
  EXPECT_EQ(nals[2], (Bytes{0x06, 0xcc}));  // trailing zeros dropped
}

TEST(AnnexB, NothingWithoutAStartCode) {
  int calls = 0;
  forEachAnnexBNal(Bytes{0x65, 0x00, 0x01}, [&](auto) { ++calls; });
  forEachAnnexBNal(Bytes{}, [&](auto) { ++calls; });
  forEachAnnexBNal(Bytes{0, 0, 1}, [&](auto) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST(AnnexB, ToAvccWritesLengthsAndDropsParameterSetsAndDelimiters) {
  const Bytes annexB = concat({{0, 0, 0, 1, 0x09, 0xf0},
                               {0, 0, 0, 1},
                               kSps,
                               {0, 0, 0, 1},
                               kPps,
                               {0, 0, 1, 0x06, 0x05, 0x01},
                               {0, 0, 1, 0x65, 0x88, 0x84}});
  Bytes out;
  annexBToAvcc(annexB, out);
  EXPECT_EQ(out, (Bytes{0, 0, 0, 3, 0x06, 0x05, 0x01, 0, 0, 0, 3, 0x65, 0x88, 0x84}));
  // The buffer is reused: same capacity for a smaller unit.
  const auto capacity = out.capacity();
  annexBToAvcc(Bytes{0, 0, 1, 0x41, 0x01}, out);
  EXPECT_EQ(out, (Bytes{0, 0, 0, 2, 0x41, 0x01}));
  EXPECT_EQ(out.capacity(), capacity);
}

TEST(AnnexB, ConfigFromEncoderHeader) {
  const Bytes extradata = concat({{0, 0, 0, 1}, kSps, {0, 0, 0, 1}, kPps});
  auto config = videoConfigFromAnnexB(extradata);
  ASSERT_TRUE(config.ok()) << config.status().message();
  ASSERT_EQ(config->sps.size(), 1u);
  EXPECT_EQ(config->sps[0], kSps);
  ASSERT_EQ(config->pps.size(), 1u);
  EXPECT_EQ(config->pps[0], kPps);
  EXPECT_EQ(config->naluLengthSize, 4);
  EXPECT_EQ(config->width, 640u);
  EXPECT_EQ(config->height, 360u);
  EXPECT_EQ(config->codecString(), "avc1.42c01e");
}

TEST(AnnexB, ConfigNeedsBothParameterSets) {
  EXPECT_FALSE(videoConfigFromAnnexB(concat({{0, 0, 0, 1}, kSps})).ok());
  EXPECT_FALSE(videoConfigFromAnnexB(concat({{0, 0, 0, 1}, kPps})).ok());
  EXPECT_FALSE(videoConfigFromAnnexB(concat({{0, 0, 0, 1}, {0x67, 0x64}, {0, 0, 0, 1}, kPps})).ok());
}

}  // namespace
}  // namespace ls::abr
