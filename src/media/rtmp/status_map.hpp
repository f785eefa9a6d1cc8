// ls::Code -> RTMP onStatus code: the one place this mapping lives (see
// core/status.hpp).
#pragma once

#include <string_view>

#include "core/status.hpp"

namespace ls::rtmp {

// The onStatus code for a refused `publish`. SPEC section 4 allows two:
// credential problems (bad, expired or retired push token) are
// NetStream.Publish.Unauthorized; everything else (unknown or deleted stream,
// a publisher already live, a lookup that failed) is NetStream.Publish.BadName,
// with the readable reason in the description.
std::string_view publishRejectionCode(Code code) noexcept;

}  // namespace ls::rtmp
