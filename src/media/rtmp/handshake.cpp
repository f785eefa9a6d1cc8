#include "media/rtmp/handshake.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace ls::rtmp {
namespace {

// The two well-known handshake keys: a readable prefix plus a fixed 32-byte
// tail. The digests inside C1/S1 are keyed with the prefix only; the S2/C2
// signature keys are derived with the whole key.
constexpr std::array<std::uint8_t, 32> kKeyTail = {0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0,
                                                   0xD1, 0x02, 0x9E, 0x7E, 0x57, 0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80,
                                                   0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE};
constexpr std::string_view kPlayerKeyPrefix = "Genuine Adobe Flash Player 001";        // 30 bytes
constexpr std::string_view kServerKeyPrefix = "Genuine Adobe Flash Media Server 001";  // 36 bytes

// Reported in S1 bytes 4..7. FFmpeg only checks S1 for a digest when byte 4
// is >= 3 and librtmp skips the check when it is 0, so it must be non-zero.
constexpr std::array<std::uint8_t, 4> kServerVersion = {0x05, 0x00, 0x03, 0x01};

using Digest = std::array<std::uint8_t, kHandshakeDigestSize>;

Digest hmacSha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
  Digest out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &len);
  return out;
}

std::span<const std::uint8_t> asBytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::vector<std::uint8_t> fullKey(std::string_view prefix) {
  std::vector<std::uint8_t> key(prefix.begin(), prefix.end());
  key.insert(key.end(), kKeyTail.begin(), kKeyTail.end());
  return key;
}

// HMAC over the block with the digest's own 32 bytes left out.
Digest blockDigest(std::span<const std::uint8_t, kHandshakeBlockSize> block, std::size_t offset,
                   std::span<const std::uint8_t> key) {
  std::array<std::uint8_t, kHandshakeBlockSize - kHandshakeDigestSize> joined{};
  std::memcpy(joined.data(), block.data(), offset);
  std::memcpy(joined.data() + offset, block.data() + offset + kHandshakeDigestSize,
              kHandshakeBlockSize - offset - kHandshakeDigestSize);
  return hmacSha256(key, joined);
}

}  // namespace

std::size_t handshakeDigestOffset(std::span<const std::uint8_t, kHandshakeBlockSize> block, DigestScheme scheme) {
  const std::size_t base = scheme == DigestScheme::kScheme0 ? 8 : 772;
  const std::size_t sum = std::size_t{block[base]} + block[base + 1] + block[base + 2] + block[base + 3];
  // 728 = 764-byte half block - 4 offset bytes - 32 digest bytes.
  return sum % 728 + base + 4;
}

Result<std::size_t> ServerHandshake::feed(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out) {
  std::size_t used = 0;
  if (state_ == State::kFailed) return Status(Code::kInvalidArgument, "rtmp handshake already failed");
  if (state_ == State::kAwaitC0C1) {
    const std::size_t n = std::min(in.size(), c0c1_.size() - have_);
    std::memcpy(c0c1_.data() + have_, in.data(), n);
    have_ += n;
    used += n;
    if (have_ > 0 && c0c1_[0] != kRtmpVersion) {
      state_ = State::kFailed;
      return Status(Code::kInvalidArgument,
                    "unsupported RTMP version " + std::to_string(c0c1_[0]) + " (only plain RTMP 3 is served)");
    }
    if (have_ < c0c1_.size()) return used;
    writeResponse(out);
    state_ = State::kAwaitC2;
    have_ = 0;
  }
  if (state_ == State::kAwaitC2) {
    // C2 is read and ignored: it should echo S1, but clients differ in what
    // they put there and nothing depends on it for a publisher.
    const std::size_t n = std::min(in.size() - used, kHandshakeBlockSize - have_);
    have_ += n;
    used += n;
    if (have_ == kHandshakeBlockSize) state_ = State::kDone;
  }
  return used;
}

void ServerHandshake::writeResponse(std::vector<std::uint8_t>& out) {
  const std::span<const std::uint8_t, kHandshakeBlockSize> c1(c0c1_.data() + 1, kHandshakeBlockSize);

  // A client that fills the version field of C1 speaks the digest handshake;
  // scheme 0 is what FFmpeg and librtmp use unencrypted, so it is tried first.
  clientScheme_.reset();
  Digest clientDigest{};
  if (c1[4] != 0 || c1[5] != 0 || c1[6] != 0 || c1[7] != 0) {
    const std::span<const std::uint8_t> playerKey = asBytes(kPlayerKeyPrefix);
    for (const DigestScheme scheme : {DigestScheme::kScheme0, DigestScheme::kScheme1}) {
      const std::size_t offset = handshakeDigestOffset(c1, scheme);
      const Digest expected = blockDigest(c1, offset, playerKey);
      if (std::equal(expected.begin(), expected.end(), c1.begin() + static_cast<std::ptrdiff_t>(offset))) {
        clientScheme_ = scheme;
        std::memcpy(clientDigest.data(), c1.data() + offset, kHandshakeDigestSize);
        break;
      }
    }
  }

  const std::size_t start = out.size();
  out.resize(start + 1 + 2 * kHandshakeBlockSize);
  std::uint8_t* s0 = out.data() + start;
  const std::span<std::uint8_t, kHandshakeBlockSize> s1(s0 + 1, kHandshakeBlockSize);
  const std::span<std::uint8_t, kHandshakeBlockSize> s2(s0 + 1 + kHandshakeBlockSize, kHandshakeBlockSize);
  s0[0] = kRtmpVersion;

  // S1: time (zero: no clock here), version, random.
  std::fill_n(s1.begin(), 8, std::uint8_t{0});
  random_.fill(s1.subspan(8));

  if (!clientScheme_) {
    // Plain handshake: S2 echoes C1.
    std::memcpy(s2.data(), c1.data(), kHandshakeBlockSize);
    return;
  }

  std::copy(kServerVersion.begin(), kServerVersion.end(), s1.begin() + 4);
  // The server digest goes where the client's scheme puts it: librtmp looks
  // there first.
  const std::size_t offset = handshakeDigestOffset(s1, *clientScheme_);
  const Digest serverDigest = blockDigest(s1, offset, asBytes(kServerKeyPrefix));
  std::memcpy(s1.data() + offset, serverDigest.data(), kHandshakeDigestSize);

  // S2: random, signed with a key derived from the client's digest.
  random_.fill(s2.first<kHandshakeBlockSize - kHandshakeDigestSize>());
  const Digest signingKey = hmacSha256(fullKey(kServerKeyPrefix), clientDigest);
  const Digest signature = hmacSha256(signingKey, s2.first<kHandshakeBlockSize - kHandshakeDigestSize>());
  std::memcpy(s2.data() + kHandshakeBlockSize - kHandshakeDigestSize, signature.data(), kHandshakeDigestSize);
}

}  // namespace ls::rtmp
