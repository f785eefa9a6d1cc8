#include "core/lifecycle.hpp"

namespace ls {

LivestreamStatus effectiveStatus(LivestreamStatus phase, UnixMillis tokenExpiresAt, UnixMillis now) {
  if (phase == LivestreamStatus::kStarted) return LivestreamStatus::kStarted;
  if (tokenExpiresAt <= now) return LivestreamStatus::kTokenExpired;
  return phase;
}

StatusFilter statusFilterFor(LivestreamStatus requested) {
  switch (requested) {
    case LivestreamStatus::kStarted:
      return {LivestreamStatus::kStarted, StatusFilter::Expiry::kAny};
    case LivestreamStatus::kReadyForUse:
      return {LivestreamStatus::kReadyForUse, StatusFilter::Expiry::kNotExpired};
    case LivestreamStatus::kEnded:
      return {LivestreamStatus::kEnded, StatusFilter::Expiry::kNotExpired};
    case LivestreamStatus::kTokenExpired:
      return {LivestreamStatus::kReadyForUse, StatusFilter::Expiry::kExpired, true};
  }
  return {LivestreamStatus::kReadyForUse, StatusFilter::Expiry::kAny};
}

}  // namespace ls
