#include "media/rtmp/chunk_encoder.hpp"

#include <gtest/gtest.h>

#include "media/rtmp/chunk_decoder.hpp"
#include "unit/media/rtmp/rtmp_test_support.hpp"

namespace ls::rtmp {
namespace {

using test::Bytes;
using test::hex;

TEST(ChunkEncoder, SplitsIntoType0ThenType3Chunks) {
  const Bytes body = test::pattern(300, 1);
  ChunkEncoder encoder;
  Bytes out;
  encoder.write({6, 9, 40, 1}, body, out);
  const Bytes expected =
      test::concat({hex("06 000028 00012c 09 01000000"), Bytes(body.begin(), body.begin() + 128), hex("c6"),
                    Bytes(body.begin() + 128, body.begin() + 256), hex("c6"), Bytes(body.begin() + 256, body.end())});
  EXPECT_EQ(out, expected);
}

TEST(ChunkEncoder, ExtendedTimestampOnEveryChunk) {
  ChunkEncoder encoder;
  encoder.setChunkSize(2);
  Bytes out;
  encoder.write({4, 8, 0x01020304, 1}, hex("aabbcc"), out);
  EXPECT_EQ(out, hex("04 ffffff 000003 08 01000000 01020304 aabb c4 01020304 cc"));
}

TEST(ChunkEncoder, LongChunkStreamIdsAndEmptyPayload) {
  ChunkEncoder encoder;
  Bytes out;
  encoder.write({64, 20, 0, 0}, {}, out);
  encoder.write({320, 20, 0, 0}, {}, out);
  EXPECT_EQ(out, hex("00 00 000000 000000 14 00000000  01 00 01 000000 000000 14 00000000"));
}

TEST(ChunkEncoder, RoundTripsThroughTheDecoder) {
  for (const std::uint32_t chunkSize : {1u, 128u, 4096u, 70000u}) {
    ChunkEncoder encoder;
    encoder.setChunkSize(chunkSize);
    ChunkDecoder decoder;
    Bytes stream;
    ChunkEncoder announcer;  // Set Chunk Size itself goes out in the old size (128)
    announcer.write({2, 1, 0, 0}, test::be(chunkSize, 4), stream);
    const Bytes body = test::pattern(10000, 3);
    encoder.write({7, 9, 0xFFFFFF, 5}, body, stream);
    std::span<const std::uint8_t> in(stream);
    std::vector<Bytes> payloads;
    std::vector<std::uint32_t> timestamps;
    while (!in.empty()) {
      Result<ChunkDecodeStep> step = decoder.decode(in);
      ASSERT_TRUE(step.ok()) << step.status().message();
      in = in.subspan(step->consumed);
      if (step->message) {
        payloads.emplace_back(step->message->payload.begin(), step->message->payload.end());
        timestamps.push_back(step->message->timestamp);
      }
    }
    ASSERT_EQ(payloads.size(), 2u) << "chunk size " << chunkSize;
    EXPECT_EQ(payloads[1], body);
    EXPECT_EQ(timestamps[1], 0xFFFFFFu);
  }
}

TEST(ChunkEncoder, AQueueOfSmallRepliesGrowsGeometrically) {
  // A client that floods pings and reads nothing queues thousands of small
  // replies; each append must not reallocate the whole queue.
  ChunkEncoder encoder;
  Bytes out;
  const Bytes ping = hex("0007 00000001");
  std::size_t reallocations = 0;
  for (int i = 0; i < 100'000; ++i) {
    const std::size_t before = out.capacity();
    encoder.write({2, 4, 0, 0}, ping, out);
    if (out.capacity() != before) ++reallocations;
  }
  EXPECT_GT(out.size(), 1'000'000u);
  EXPECT_LE(reallocations, 40u) << "capacity grew " << reallocations << " times for 100000 appends";
}

}  // namespace
}  // namespace ls::rtmp
