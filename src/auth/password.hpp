// Dashboard user passwords: argon2id (RFC 9106) in the PHC string format,
// "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>".
//
// Threading: both calls take tens of milliseconds of CPU and ~19 MiB of
// memory by design; run them on a worker thread, never on an event loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/random.hpp"
#include "core/status.hpp"

namespace ls::auth {

// Defaults follow OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane).
// Tests may lower them; verification reads the parameters from the hash, so
// raising them later keeps old hashes valid (see passwordNeedsRehash).
struct PasswordHashParams {
  std::uint32_t timeCost = 2;
  std::uint32_t memoryKiB = 19 * 1024;
  std::uint32_t parallelism = 1;
};

// Longer passwords are refused so that a request body cannot buy unbounded
// hashing work.
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// A new 16-byte salt from `random`, a 32-byte hash, PHC-encoded.
Result<std::string> hashPassword(std::string_view password, Random& random, const PasswordHashParams& params = {});

// True only for a well-formed argon2id hash of this password. Hashes whose
// parameters exceed 1 GiB, 16 passes or 16 lanes are refused unverified, so a
// tampered row cannot make a login allocate without bound.
bool verifyPassword(std::string_view password, std::string_view encoded);

// True when `encoded` was made with parameters other than `params`; rehash
// after the next successful login.
bool passwordNeedsRehash(std::string_view encoded, const PasswordHashParams& params);

}  // namespace ls::auth
