// The livestream lifecycle (SPEC §2) as pure functions of the stored phase,
// the current token's expiry and the time. Every reader of a status calls
// effectiveStatus(), so TOKEN_EXPIRED shows without any background job.
#pragma once

#include "core/model.hpp"
#include "core/time.hpp"

namespace ls {

// STARTED stays STARTED while live (a live publisher is not cut by expiry);
// READY_FOR_USE and ENDED read TOKEN_EXPIRED once the current token's exp passed.
LivestreamStatus effectiveStatus(LivestreamStatus phase, UnixMillis tokenExpiresAt, UnixMillis now);
inline LivestreamStatus effectiveStatus(const Livestream& l, UnixMillis now) {
  return effectiveStatus(l.phase, l.tokenExpiresAt, now);
}

// SQL-friendly form of the same rule, for filtering by status in a store:
// which stored phase and expiry condition a requested status corresponds to.
struct StatusFilter {
  LivestreamStatus phase;
  enum class Expiry { kAny, kNotExpired, kExpired } expiry;
  // TOKEN_EXPIRED matches two phases (READY_FOR_USE and ENDED).
  bool phaseReadyOrEnded = false;
};
StatusFilter statusFilterFor(LivestreamStatus requested);

}  // namespace ls
