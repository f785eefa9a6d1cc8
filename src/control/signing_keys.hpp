// The rules for push-token signing keys kept in the Store (SPEC §1): which
// key signs and which verify at a given time, the first key of a new or
// upgraded install, and rotation. StoreKeyRing (key_ring.hpp) applies the
// schedule at run time; `lunarstream keys` applies rotation and retirement.
//
// A key is
//   retired   once now >= retiresAt: it neither signs nor verifies (the row
//             stays, for `keys list`);
//   active    when it is the newest (by activatesAt, then createdAt, then
//             kid) of the keys with activatesAt <= now that are not retired:
//             it signs new tokens;
//   next      while now < activatesAt: published, so every node verifies its
//             tokens before any node signs with it;
//   verifying otherwise (an older key whose tokens may still be out).
// Every key that is not retired verifies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <vector>

#include "core/status.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace ls::control {

enum class SigningKeyState { kActive, kNext, kVerifying, kRetired };
const char* toString(SigningKeyState state);

struct KeySchedule {
  std::vector<SigningKeyState> states;  // one per key, in the order given
  std::optional<std::size_t> active;    // index of the signing key
  // The first time after `now` at which some key's state changes; nullopt: never.
  std::optional<UnixMillis> nextChange;
};

KeySchedule scheduleKeys(std::span<const SigningKeyRecord> keys, UnixMillis now);

// The longest a push token lives (SPEC §1, expiresIn at most 2592000 s): how
// long a rotated-out key keeps verifying after its successor activates.
inline constexpr std::int64_t kMaxPushTokenLifetimeMs = 2'592'000'000;

// First start or upgrade: when the store holds no key, stores the key of
// `legacyKeyFile` (the PEM file older versions kept in the data directory,
// so tokens they issued stay valid) when it exists, else a new RSA-2048 key;
// active at once. Safe when several processes start at once on one database:
// one key is kept. The kid stored, or nullopt when the store had keys already.
Result<std::optional<std::string>> ensureSigningKey(Store& store, const Clock& clock,
                                                    const std::filesystem::path& legacyKeyFile);

struct Rotation {
  SigningKeyRecord added;                        // without its private key
  std::optional<SigningKeyRetirement> retiring;  // the active key's retirement, when there was one
};

// Adds a new key that activates `activateAfterMs` from now and schedules the
// retirement of the key active now at the new key's activation plus
// kMaxPushTokenLifetimeMs, so tokens it signed until then stay valid to their
// end. One transaction.
Result<Rotation> rotateSigningKey(Store& store, const Clock& clock, std::int64_t activateAfterMs);

}  // namespace ls::control
