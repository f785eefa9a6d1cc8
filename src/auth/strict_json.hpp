// JSON parsing for security-relevant documents (JWT headers and claims, JWKS).
// Boost.JSON 1.81's DOM parser silently keeps one of two duplicate keys, so a
// token like {"type":"x","type":"push_token"} would mean different things to
// different parsers; this parser refuses duplicates at every depth instead.
// Internal to the auth layer.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <string_view>

#include "core/status.hpp"

namespace ls::auth {

struct StrictJsonLimits {
  std::size_t maxBytes = 8 * 1024;
  std::size_t maxDepth = 8;
};

// One complete JSON document (trailing whitespace allowed, nothing else).
// Refuses duplicate object keys, invalid UTF-8, comments, trailing commas,
// input over maxBytes and nesting deeper than maxDepth.
Result<boost::json::value> parseStrictJson(std::string_view text, const StrictJsonLimits& limits = {});

}  // namespace ls::auth
