#include "media/rtmp/handshake.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <string>

#include "unit/media/rtmp/rtmp_test_support.hpp"

namespace ls::rtmp {
namespace {

using test::Bytes;

constexpr std::size_t kBlock = 1536;

// The test's own copies of the handshake facts (RTMP FP9 handshake as
// implemented by librtmp/FFmpeg), so the code under test is not checked
// against itself.
const std::string kPlayerKey = "Genuine Adobe Flash Player 001";
const std::string kServerKey = "Genuine Adobe Flash Media Server 001";
const Bytes kKeyTail = test::hex("F0EEC24A8068BEE82E00D0D1029E7E576EEC5D2D29806FAB93B8E636CFEB31AE");

Bytes hmac(const Bytes& key, const Bytes& data) {
  Bytes out(32);
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &len);
  return out;
}

std::size_t offsetOf(const Bytes& block, int scheme) {
  const std::size_t base = scheme == 0 ? 8 : 772;
  const std::size_t sum = std::size_t{block[base]} + block[base + 1] + block[base + 2] + block[base + 3];
  return sum % 728 + base + 4;
}

Bytes withoutDigest(const Bytes& block, std::size_t offset) {
  Bytes out(block.begin(), block.begin() + static_cast<std::ptrdiff_t>(offset));
  out.insert(out.end(), block.begin() + static_cast<std::ptrdiff_t>(offset + 32), block.end());
  return out;
}

// A Flash Player 9 style C1 (as FFmpeg builds it): version 9.0.124.2, random
// body, digest at the scheme's offset.
Bytes digestC1(int scheme, std::uint8_t seed) {
  Bytes c1 = test::pattern(kBlock, seed);
  std::fill_n(c1.begin(), 4, std::uint8_t{0});
  const Bytes version = {0x09, 0x00, 0x7C, 0x02};
  std::copy(version.begin(), version.end(), c1.begin() + 4);
  const std::size_t offset = offsetOf(c1, scheme);
  const Bytes digest = hmac(test::text(kPlayerKey), withoutDigest(c1, offset));
  std::copy(digest.begin(), digest.end(), c1.begin() + static_cast<std::ptrdiff_t>(offset));
  return c1;
}

Bytes plainC1() {
  Bytes c1 = test::pattern(kBlock, 7);
  const Bytes head = test::hex("00 00 04 d2 00 00 00 00");  // time 1234, zero version
  std::copy(head.begin(), head.end(), c1.begin());
  return c1;
}

struct Response {
  Bytes s0s1s2;
  Bytes s1() const { return Bytes(s0s1s2.begin() + 1, s0s1s2.begin() + 1 + kBlock); }
  Bytes s2() const { return Bytes(s0s1s2.begin() + 1 + kBlock, s0s1s2.end()); }
};

Response runHandshake(ServerHandshake& hs, const Bytes& c1) {
  Response r;
  const Bytes c0c1 = test::concat({{0x03}, c1});
  Result<std::size_t> used = hs.feed(c0c1, r.s0s1s2);
  EXPECT_TRUE(used.ok());
  EXPECT_EQ(*used, c0c1.size());
  return r;
}

void expectValidServerDigests(const Response& r, const Bytes& c1, int scheme) {
  ASSERT_EQ(r.s0s1s2.size(), 1 + 2 * kBlock);
  EXPECT_EQ(r.s0s1s2[0], 3);
  const Bytes s1 = r.s1();
  EXPECT_GE(s1[4], 3) << "FFmpeg checks S1 for a digest only when byte 4 >= 3";
  const std::size_t s1Offset = offsetOf(s1, scheme);
  const Bytes expectedS1Digest = hmac(test::text(kServerKey), withoutDigest(s1, s1Offset));
  EXPECT_TRUE(std::equal(expectedS1Digest.begin(), expectedS1Digest.end(), s1.begin() + static_cast<long>(s1Offset)));

  const std::size_t c1Offset = offsetOf(c1, scheme);
  const Bytes clientDigest(c1.begin() + static_cast<long>(c1Offset), c1.begin() + static_cast<long>(c1Offset + 32));
  const Bytes key = hmac(test::concat({test::text(kServerKey), kKeyTail}), clientDigest);
  const Bytes s2 = r.s2();
  const Bytes signature = hmac(key, Bytes(s2.begin(), s2.end() - 32));
  EXPECT_EQ(Bytes(s2.end() - 32, s2.end()), signature);
}

TEST(ServerHandshake, PlainHandshakeEchoesC1AndSendsRandomS1) {
  test::CountingRandom random;
  ServerHandshake hs(random);
  const Bytes c1 = plainC1();
  const Response r = runHandshake(hs, c1);
  ASSERT_EQ(r.s0s1s2.size(), 3073u);
  EXPECT_EQ(r.s0s1s2[0], 3);
  const Bytes s1 = r.s1();
  EXPECT_EQ(Bytes(s1.begin(), s1.begin() + 8), Bytes(8, 0));  // time 0, version 0
  EXPECT_EQ(s1[8], 1);                                        // CountingRandom's first byte
  EXPECT_EQ(s1[9], 2);
  EXPECT_EQ(r.s2(), c1);
  EXPECT_FALSE(hs.clientDigestScheme().has_value());
  EXPECT_EQ(hs.state(), ServerHandshake::State::kAwaitC2);
}

TEST(ServerHandshake, StopsAfterC2SoPipelinedChunksStayUnconsumed) {
  test::CountingRandom random;
  ServerHandshake hs(random);
  runHandshake(hs, plainC1());
  const Bytes c2AndMore = test::concat({Bytes(kBlock, 0xAB), test::hex("02 00 00 00")});
  Bytes out;
  Result<std::size_t> used = hs.feed(c2AndMore, out);
  ASSERT_TRUE(used.ok());
  EXPECT_EQ(*used, kBlock);
  EXPECT_TRUE(hs.done());
  EXPECT_TRUE(out.empty());
  // Once done, nothing more is taken.
  Result<std::size_t> after = hs.feed(test::hex("02"), out);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, 0u);
}

TEST(ServerHandshake, OneByteAtATimeGivesTheSameResponse) {
  test::CountingRandom random1;
  ServerHandshake whole(random1);
  const Bytes c1 = digestC1(0, 40);
  const Response expected = runHandshake(whole, c1);

  test::CountingRandom random2;
  ServerHandshake split(random2);
  const Bytes input = test::concat({{0x03}, c1, Bytes(kBlock, 0)});
  Bytes out;
  std::size_t consumed = 0;
  for (std::size_t i = 0; i < input.size(); ++i) {
    Result<std::size_t> used = split.feed(std::span(input).subspan(i, 1), out);
    ASSERT_TRUE(used.ok());
    consumed += *used;
    if (i < 1536) {
      EXPECT_TRUE(out.empty()) << "no response before C1 is complete (byte " << i << ")";
    }
  }
  EXPECT_EQ(consumed, input.size());
  EXPECT_TRUE(split.done());
  EXPECT_EQ(out, expected.s0s1s2);
}

TEST(ServerHandshake, DigestSchemeZeroGetsSignedS1AndS2) {
  test::CountingRandom random;
  ServerHandshake hs(random);
  const Bytes c1 = digestC1(0, 11);
  const Response r = runHandshake(hs, c1);
  ASSERT_TRUE(hs.clientDigestScheme().has_value());
  EXPECT_EQ(*hs.clientDigestScheme(), DigestScheme::kScheme0);
  expectValidServerDigests(r, c1, 0);
  EXPECT_NE(r.s2(), c1);
}

TEST(ServerHandshake, DigestSchemeOneGetsSignedS1AndS2) {
  test::CountingRandom random;
  ServerHandshake hs(random);
  const Bytes c1 = digestC1(1, 99);
  const Response r = runHandshake(hs, c1);
  ASSERT_TRUE(hs.clientDigestScheme().has_value());
  EXPECT_EQ(*hs.clientDigestScheme(), DigestScheme::kScheme1);
  expectValidServerDigests(r, c1, 1);
}

TEST(ServerHandshake, VersionWithoutValidDigestFallsBackToPlain) {
  test::CountingRandom random;
  ServerHandshake hs(random);
  Bytes c1 = digestC1(0, 5);
  c1[offsetOf(c1, 0)] ^= 0xFF;  // corrupt the digest
  const Response r = runHandshake(hs, c1);
  EXPECT_FALSE(hs.clientDigestScheme().has_value());
  EXPECT_EQ(r.s2(), c1);
}

TEST(ServerHandshake, DigestOffsetsFollowTheSchemes) {
  std::array<std::uint8_t, kBlock> block{};
  block[8] = 200;
  block[9] = 200;
  block[10] = 200;
  block[11] = 200;  // 800 % 728 = 72
  block[772] = 1;
  EXPECT_EQ(handshakeDigestOffset(block, DigestScheme::kScheme0), 72u + 12u);
  EXPECT_EQ(handshakeDigestOffset(block, DigestScheme::kScheme1), 1u + 776u);
  block.fill(0xFF);  // 1020 % 728 = 292: the largest offsets stay inside the block
  EXPECT_EQ(handshakeDigestOffset(block, DigestScheme::kScheme0), 304u);
  EXPECT_LE(handshakeDigestOffset(block, DigestScheme::kScheme1) + 32, kBlock);
}

TEST(ServerHandshake, RejectsEncryptedOrUnknownVersions) {
  test::CountingRandom random;
  ServerHandshake hs(random);
  Bytes out;
  Result<std::size_t> r = hs.feed(test::hex("06"), out);  // RTMPE
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(hs.state(), ServerHandshake::State::kFailed);
  EXPECT_FALSE(hs.feed(test::hex("03"), out).ok());
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace ls::rtmp
