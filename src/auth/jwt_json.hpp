// The JSON pieces of a compact JWT that push tokens and access tokens read
// the same way: a base64url segment holding a strict JSON object, and the
// claim readers. Which claims a token needs, and what a refusal says, stay
// with each token kind.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/strict_json.hpp"
#include "core/status.hpp"

namespace ls::auth {

inline std::string_view jsonView(const boost::json::string& s) { return {s.data(), s.size()}; }

// The segment's bytes as one JSON object under `limits`; kInvalidArgument
// naming `what` ("header", ...) otherwise.
Result<boost::json::object> decodeJsonSegment(std::string_view segment, std::string_view what,
                                              const StrictJsonLimits& limits);

// Copies a present, non-empty string member into *out; false otherwise.
bool requiredString(const boost::json::object& o, std::string_view name, std::string* out);
// JSON integers only: 1.7e9 or 1700000000.0 are refused, as are values that
// do not fit an int64.
bool requiredInteger(const boost::json::object& o, std::string_view name, std::int64_t* out);
// A string member with exactly this value.
bool stringEquals(const boost::json::object& o, std::string_view name, std::string_view expected);

}  // namespace ls::auth
