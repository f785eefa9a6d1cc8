#include "media/rtmp/chunk_decoder.hpp"

#include <gtest/gtest.h>

#include <random>

#include "unit/media/rtmp/rtmp_test_support.hpp"

namespace ls::rtmp {
namespace {

using test::Bytes;
using test::hex;

struct Owned {
  std::uint32_t csid;
  std::uint8_t type;
  std::uint32_t timestamp;
  std::uint32_t streamId;
  Bytes payload;
  bool operator==(const Owned&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Owned& m) {
  return os << "{csid " << m.csid << " type " << int{m.type} << " ts " << m.timestamp << " msid " << m.streamId
            << " len " << m.payload.size() << "}";
}

// Feeds `input` in pieces of `piece` bytes (0 = all at once).
struct Decoded {
  std::vector<Owned> messages;
  Status status;
};

Decoded decodeAll(ChunkDecoder& decoder, std::span<const std::uint8_t> input, std::size_t piece = 0) {
  Decoded out;
  std::size_t pos = 0;
  while (pos < input.size()) {
    const std::size_t n = piece == 0 ? input.size() - pos : std::min(piece, input.size() - pos);
    std::span<const std::uint8_t> in = input.subspan(pos, n);
    pos += n;
    while (!in.empty()) {
      Result<ChunkDecodeStep> step = decoder.decode(in);
      if (!step.ok()) {
        out.status = step.status();
        return out;
      }
      in = in.subspan(step->consumed);
      if (step->message) {
        const ChunkMessage& m = *step->message;
        out.messages.push_back(
            {m.chunkStreamId, m.typeId, m.timestamp, m.messageStreamId, Bytes(m.payload.begin(), m.payload.end())});
      }
    }
  }
  return out;
}

Decoded decodeAll(std::span<const std::uint8_t> input, std::size_t piece = 0, ChunkDecoderLimits limits = {}) {
  ChunkDecoder decoder(limits);
  return decodeAll(decoder, input, piece);
}

TEST(ChunkDecoder, SingleChunkMessageWithType0Header) {
  // fmt 0, csid 3, ts 100, length 5, type 20, msid 1 (little-endian), "hello".
  const Bytes input = hex("03 000064 000005 14 01000000 68656c6c6f");
  const Decoded d = decodeAll(input);
  ASSERT_TRUE(d.status.isOk()) << d.status.message();
  ASSERT_EQ(d.messages.size(), 1u);
  EXPECT_EQ(d.messages[0], (Owned{3, 20, 100, 1, test::text("hello")}));
}

TEST(ChunkDecoder, ReassemblesAMessageAcrossDefault128ByteChunks) {
  const Bytes body = test::pattern(300, 1);
  const Bytes input =
      test::concat({hex("06 000000 00012c 09 01000000"), Bytes(body.begin(), body.begin() + 128), hex("c6"),
                    Bytes(body.begin() + 128, body.begin() + 256), hex("c6"), Bytes(body.begin() + 256, body.end())});
  const Decoded d = decodeAll(input);
  ASSERT_TRUE(d.status.isOk());
  ASSERT_EQ(d.messages.size(), 1u);
  EXPECT_EQ(d.messages[0].payload, body);
  EXPECT_EQ(d.messages[0].type, 9);
}

TEST(ChunkDecoder, InterleavedChunkStreams) {
  const Bytes video = test::pattern(200, 2);
  const Bytes audio = test::pattern(10, 3);
  const Bytes input = test::concat({
      hex("06 000028 0000c8 09 01000000"), Bytes(video.begin(), video.begin() + 128),  // video, first chunk
      hex("04 00002a 00000a 08 01000000"), audio,                                      // a whole audio message
      hex("c6"), Bytes(video.begin() + 128, video.end()),                              // video continues
  });
  const Decoded d = decodeAll(input);
  ASSERT_TRUE(d.status.isOk());
  ASSERT_EQ(d.messages.size(), 2u);
  EXPECT_EQ(d.messages[0], (Owned{4, 8, 42, 1, audio}));
  EXPECT_EQ(d.messages[1], (Owned{6, 9, 40, 1, video}));
}

TEST(ChunkDecoder, CompressedHeadersApplyDeltas) {
  const Bytes input = test::concat({
      hex("04 0003e8 000002 08 01000000 aa01"),  // fmt 0: ts 1000
      hex("84 000014 aa02"),                     // fmt 2: +20 -> 1020, same length and type
      hex("c4 aa03"),                            // fmt 3 new message: +20 again -> 1040
      hex("44 000017 000003 09 bbbbbb"),         // fmt 1: +23 -> 1063, new length and type
  });
  const Decoded d = decodeAll(input);
  ASSERT_TRUE(d.status.isOk()) << d.status.message();
  ASSERT_EQ(d.messages.size(), 4u);
  EXPECT_EQ(d.messages[0], (Owned{4, 8, 1000, 1, hex("aa01")}));
  EXPECT_EQ(d.messages[1], (Owned{4, 8, 1020, 1, hex("aa02")}));
  EXPECT_EQ(d.messages[2], (Owned{4, 8, 1040, 1, hex("aa03")}));
  EXPECT_EQ(d.messages[3], (Owned{4, 9, 1063, 1, hex("bbbbbb")}));
}

TEST(ChunkDecoder, Type3AfterType0AddsTheType0TimestampAsFFmpegWritesIt) {
  // FFmpeg sends fmt 3 when the new delta equals the last timestamp field,
  // which after a fmt 0 header is the absolute timestamp: 40, then 80.
  const Bytes input = test::concat({hex("04 000028 000001 08 01000000 01"), hex("c4 02")});
  const Decoded d = decodeAll(input);
  ASSERT_EQ(d.messages.size(), 2u);
  EXPECT_EQ(d.messages[1].timestamp, 80u);
}

TEST(ChunkDecoder, ExtendedTimestampIsRepeatedOnType3Chunks) {
  const Bytes body = test::pattern(130, 9);
  const Bytes input = test::concat({
      hex("06 ffffff 000082 09 01000000 01000000"),
      Bytes(body.begin(), body.begin() + 128),
      hex("c6 01000000"),
      Bytes(body.begin() + 128, body.end()),  // continuation repeats the extended field
      hex("c6 01000000"),
      Bytes(body.begin(), body.end() - 2),  // new message: header is reused...
      hex("c6 01000000"),
      Bytes(body.end() - 2, body.end()),
  });
  ChunkDecoder decoder;
  const Decoded d = decodeAll(decoder, input);
  ASSERT_TRUE(d.status.isOk()) << d.status.message();
  ASSERT_EQ(d.messages.size(), 2u);
  EXPECT_EQ(d.messages[0], (Owned{6, 9, 0x01000000, 1, body}));
  // ...and its delta is the extended field again (FFmpeg semantics).
  EXPECT_EQ(d.messages[1].timestamp, 0x02000000u);
  EXPECT_EQ(d.messages[1].payload, body);
}

TEST(ChunkDecoder, DeltaTimestampsWrapAt32Bits) {
  const Bytes input = test::concat({
      hex("04 ffffff 000001 08 01000000 fffffff0 00"),  // ts 0xFFFFFFF0 (extended)
      hex("84 000020 00"),                              // +0x20 wraps to 0x10
  });
  const Decoded d = decodeAll(input);
  ASSERT_EQ(d.messages.size(), 2u);
  EXPECT_EQ(d.messages[0].timestamp, 0xFFFFFFF0u);
  EXPECT_EQ(d.messages[1].timestamp, 0x10u);
}

TEST(ChunkDecoder, TwoAndThreeByteChunkStreamIds) {
  const Bytes input = test::concat({
      hex("00 00 000000 000001 08 01000000 01"),     // csid 64
      hex("00 ff 000000 000001 08 01000000 02"),     // csid 319
      hex("01 00 01 000000 000001 08 01000000 03"),  // csid 320
      hex("01 ff ff 000000 000001 08 01000000 04"),  // csid 65599
      hex("c1 ff ff 05"),                            // fmt 3 on csid 65599
  });
  const Decoded d = decodeAll(input);
  ASSERT_TRUE(d.status.isOk()) << d.status.message();
  ASSERT_EQ(d.messages.size(), 5u);
  EXPECT_EQ(d.messages[0].csid, 64u);
  EXPECT_EQ(d.messages[1].csid, 319u);
  EXPECT_EQ(d.messages[2].csid, 320u);
  EXPECT_EQ(d.messages[3].csid, 65599u);
  EXPECT_EQ(d.messages[4], (Owned{65599, 8, 0, 1, hex("05")}));
}

Bytes complexStream() {
  const Bytes big = test::pattern(1000, 4);
  return test::concat({
      hex("02 000000 000004 01 00000000 00000100"),  // Set Chunk Size 256
      hex("06 ffffff 0003e8 09 01000000 00fffffe"), Bytes(big.begin(), big.begin() + 256),
      hex("04 000010 000003 08 01000000 a1a2a3"), hex("c6 00fffffe"), Bytes(big.begin() + 256, big.begin() + 512),
      hex("44 000005 000002 08 b1b2"), hex("c6 00fffffe"), Bytes(big.begin() + 512, big.begin() + 768),
      hex("c6 00fffffe"), Bytes(big.begin() + 768, big.end()),
      hex("00 05 000000 000000 14 00000000"),  // empty message on csid 69
  });
}

TEST(ChunkDecoder, OneByteAtATimeAndRandomSplitsMatchWholeInput) {
  const Bytes input = complexStream();
  const Decoded whole = decodeAll(input);
  ASSERT_TRUE(whole.status.isOk()) << whole.status.message();
  ASSERT_EQ(whole.messages.size(), 5u);
  EXPECT_EQ(whole.messages[1], (Owned{4, 8, 16, 1, hex("a1a2a3")}));
  EXPECT_EQ(whole.messages[2], (Owned{4, 8, 21, 1, hex("b1b2")}));
  EXPECT_EQ(whole.messages[3].payload, test::pattern(1000, 4));
  EXPECT_EQ(whole.messages[3].timestamp, 0x00FFFFFEu);
  EXPECT_EQ(whole.messages[4], (Owned{69, 20, 0, 0, {}}));

  const Decoded bytewise = decodeAll(input, 1);
  ASSERT_TRUE(bytewise.status.isOk());
  EXPECT_EQ(bytewise.messages, whole.messages);

  std::mt19937 rng(1234);
  for (int round = 0; round < 20; ++round) {
    ChunkDecoder decoder;
    Decoded d;
    std::size_t pos = 0;
    while (pos < input.size()) {
      const std::size_t n = std::min<std::size_t>(1 + rng() % 40, input.size() - pos);
      const Decoded part = decodeAll(decoder, std::span(input).subspan(pos, n));
      ASSERT_TRUE(part.status.isOk());
      d.messages.insert(d.messages.end(), part.messages.begin(), part.messages.end());
      pos += n;
    }
    EXPECT_EQ(d.messages, whole.messages);
  }
}

TEST(ChunkDecoder, SetChunkSizeAppliesToFollowingChunks) {
  const Bytes body = test::pattern(5000, 5);
  const Bytes input =
      test::concat({hex("02 000000 000004 01 00000000 00001000"), hex("06 000000 001388 09 01000000"),
                    Bytes(body.begin(), body.begin() + 4096), hex("c6"), Bytes(body.begin() + 4096, body.end())});
  ChunkDecoder decoder;
  const Decoded d = decodeAll(decoder, input);
  ASSERT_TRUE(d.status.isOk()) << d.status.message();
  ASSERT_EQ(d.messages.size(), 2u);
  EXPECT_EQ(d.messages[0].type, 1);  // handed out as well
  EXPECT_EQ(d.messages[1].payload, body);
  EXPECT_EQ(decoder.chunkSize(), 4096u);
  EXPECT_EQ(decoder.bytesReceived(), input.size());
}

TEST(ChunkDecoder, AbortDropsThePartialMessage) {
  const Bytes input = test::concat({
      hex("06 000000 0000c8 09 01000000"), test::pattern(128, 1),  // 128 of 200 bytes
      hex("02 000000 000004 02 00000000 00000006"),                // Abort csid 6
      hex("06 000064 000002 09 01000000 abcd"),                    // a fresh message on csid 6
  });
  const Decoded d = decodeAll(input);
  ASSERT_TRUE(d.status.isOk()) << d.status.message();
  ASSERT_EQ(d.messages.size(), 2u);
  EXPECT_EQ(d.messages[1], (Owned{6, 9, 100, 1, hex("abcd")}));
}

TEST(ChunkDecoder, ReusesThePayloadBufferOfAChunkStream) {
  ChunkDecoder decoder;
  const Bytes first = test::concat({hex("06 000000 000064 09 01000000"), test::pattern(100, 1)});
  const Bytes second = test::concat({hex("06 000021 000050 09 01000000"), test::pattern(80, 2)});
  Result<ChunkDecodeStep> a = decoder.decode(first);
  ASSERT_TRUE(a.ok() && a->message);
  const std::uint8_t* data = a->message->payload.data();
  Result<ChunkDecodeStep> b = decoder.decode(second);
  ASSERT_TRUE(b.ok() && b->message);
  EXPECT_EQ(b->message->payload.data(), data);
  EXPECT_EQ(b->message->payload.size(), 80u);
}

Status firstError(const Bytes& input, ChunkDecoderLimits limits = {}) {
  return decodeAll(input, 0, limits).status;
}

TEST(ChunkDecoder, LimitViolationsAreErrors) {
  ChunkDecoderLimits small;
  small.maxMessageSize = 1000;
  EXPECT_EQ(firstError(hex("06 000000 0003e9 09 01000000"), small).code(), Code::kPayloadTooLarge);
  EXPECT_TRUE(firstError(hex("06 000000 0003e8 09 01000000"), small).isOk());  // 1000 is fine (incomplete)

  ChunkDecoderLimits twoStreams;
  twoStreams.maxChunkStreams = 2;
  EXPECT_EQ(firstError(hex("03 000000 000000 14 00000000 04 000000 000000 14 00000000 05 000000 000000 14 00000000"),
                       twoStreams)
                .code(),
            Code::kPayloadTooLarge);

  ChunkDecoderLimits chunkCap;
  chunkCap.maxChunkSize = 65536;
  EXPECT_FALSE(firstError(hex("02 000000 000004 01 00000000 00010001"), chunkCap).isOk());
  EXPECT_TRUE(firstError(hex("02 000000 000004 01 00000000 00010000"), chunkCap).isOk());
  EXPECT_FALSE(firstError(hex("02 000000 000004 01 00000000 00000000")).isOk());  // zero
  EXPECT_FALSE(firstError(hex("02 000000 000004 01 00000000 80000000")).isOk());  // bit 31 set
  EXPECT_FALSE(firstError(hex("02 000000 000002 01 00000000 0100")).isOk());      // short payload

  ChunkDecoderLimits pending;
  pending.maxPendingBytes = 150;
  EXPECT_EQ(firstError(test::concat({hex("06 000000 000100 09 01000000"), test::pattern(128, 0),
                                     hex("07 000000 000100 09 01000000"), test::pattern(128, 0)}),
                       pending)
                .code(),
            Code::kPayloadTooLarge);
}

TEST(ChunkDecoder, ProtocolViolationsAreErrorsAndSticky) {
  EXPECT_FALSE(firstError(hex("44 000000 000001 08 00")).isOk());  // fmt 1 on a new chunk stream
  EXPECT_FALSE(firstError(hex("c4 00")).isOk());                   // fmt 3 on a new chunk stream
  // A new type-0 header while a message is half received.
  EXPECT_FALSE(firstError(test::concat({hex("06 000000 0000c8 09 01000000"), test::pattern(128, 0),
                                        hex("06 000000 000001 09 01000000 00")}))
                   .isOk());

  ChunkDecoder decoder;
  EXPECT_FALSE(decoder.decode(hex("c4")).ok());
  EXPECT_FALSE(decoder.decode(hex("03 000000 000000 14 00000000")).ok());
}

}  // namespace
}  // namespace ls::rtmp
