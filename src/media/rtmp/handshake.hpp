// Server side of the RTMP handshake (RTMP spec section 5.2), sans-IO.
//
// C0+C1 in -> S0+S1+S2 out -> C2 in. Two flavours are answered:
//  - the plain handshake of the spec (C1 bytes 4..7 zero, or no valid digest):
//    S1 is random, S2 echoes C1;
//  - the "digest" handshake of Flash Player 9 and later, which FFmpeg and the
//    librtmp inside OBS send: C1 carries an HMAC-SHA256 digest keyed with
//    "Genuine Adobe Flash Player 001" at an offset given by one of two
//    schemes. Strict clients (librtmp when it validates) then require S1 to
//    carry a digest keyed with "Genuine Adobe Flash Media Server 001" and S2
//    to end with a signature keyed from the client's digest.
// RTMPE (encrypted, C0 = 6/8/9) is not supported and fails the handshake.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/random.hpp"
#include "core/status.hpp"

namespace ls::rtmp {

inline constexpr std::size_t kHandshakeBlockSize = 1536;
inline constexpr std::size_t kHandshakeDigestSize = 32;
inline constexpr std::uint8_t kRtmpVersion = 3;

// Where a Flash Player 9 C1/S1 keeps its digest. The names follow the layout
// of the block: scheme 0 puts the digest in the first half (offset derived
// from bytes 8..11), scheme 1 in the second half (from bytes 772..775).
enum class DigestScheme : std::uint8_t { kScheme0 = 0, kScheme1 = 1 };

// Offset of the 32-byte digest inside a 1536-byte C1/S1 block.
std::size_t handshakeDigestOffset(std::span<const std::uint8_t, kHandshakeBlockSize> block, DigestScheme scheme);

class ServerHandshake {
 public:
  enum class State { kAwaitC0C1, kAwaitC2, kDone, kFailed };

  // `random` fills S1 and S2; it must outlive the handshake.
  explicit ServerHandshake(Random& random) : random_(random) {}

  // Consumes handshake bytes from `in` and appends S0+S1+S2 to `out` once C0
  // and C1 are complete. Returns how many bytes were consumed: it stops right
  // after C2, so whatever follows (clients pipeline their first chunks behind
  // C2) belongs to the chunk stream. An error (unsupported version) leaves
  // the handshake kFailed.
  Result<std::size_t> feed(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out);

  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] bool done() const noexcept { return state_ == State::kDone; }
  // The scheme of the client's valid C1 digest; nullopt for a plain handshake.
  [[nodiscard]] std::optional<DigestScheme> clientDigestScheme() const noexcept { return clientScheme_; }

 private:
  void writeResponse(std::vector<std::uint8_t>& out);

  Random& random_;
  State state_ = State::kAwaitC0C1;
  std::optional<DigestScheme> clientScheme_;
  // C0 and C1 gathered across feeds, then reused to count C2 bytes.
  std::array<std::uint8_t, 1 + kHandshakeBlockSize> c0c1_{};
  std::size_t have_ = 0;
};

}  // namespace ls::rtmp
