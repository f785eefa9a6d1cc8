#include "media/rtmp/status_map.hpp"

#include "media/rtmp/messages.hpp"

namespace ls::rtmp {

std::string_view publishRejectionCode(Code code) noexcept {
  switch (code) {
    case Code::kUnauthenticated:
    case Code::kPermissionDenied: return status_code::kPublishUnauthorized;
    case Code::kOk:
    case Code::kInvalidArgument:
    case Code::kNotFound:
    case Code::kConflict:
    case Code::kPayloadTooLarge:
    case Code::kRateLimited:
    case Code::kUnavailable:
    case Code::kInternal: return status_code::kPublishBadName;
  }
  return status_code::kPublishBadName;
}

}  // namespace ls::rtmp
