// The Random seam: cryptographically secure bytes in production, a seeded
// sequence in tests that need reproducible ids.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace ls {

class Random {
 public:
  virtual ~Random() = default;
  // Fills out with random bytes; thread-safe.
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

// OpenSSL's RAND_bytes. Aborts if the system cannot provide entropy: there is
// no safe way to continue issuing keys without it.
class SecureRandom final : public Random {
 public:
  void fill(std::span<std::uint8_t> out) override;
};

// UUID v4, lowercase, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".
std::string newUuidV4(Random& random);
bool isUuid(std::string_view s);
// 32 lowercase hex chars from 16 random bytes.
std::string newStreamKey(Random& random);
bool isStreamKey(std::string_view s);

}  // namespace ls
