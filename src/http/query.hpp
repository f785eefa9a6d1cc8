// Percent-decoding and query-string lookup for request targets. Pure functions,
// no allocation beyond the returned strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/percent_encoding.hpp"

namespace ls::http {

// Percent-decoding lives in core (core/percent_encoding.hpp).
using ls::decodedEquals;
using ls::percentDecode;
using ls::percentDecodeAppend;

// The first value of `name` in a raw query ("a=1&b=x%20y"), decoded with '+' as
// space; a key without '=' has the value "". nullopt when absent.
std::optional<std::string> queryParam(std::string_view rawQuery, std::string_view name);
// Every pair in order, decoded; empty pieces ("a=1&&b=2") are skipped.
std::vector<std::pair<std::string, std::string>> queryParams(std::string_view rawQuery);

}  // namespace ls::http
