// Percent-decoding and query-string lookup for request targets. Pure functions,
// no allocation beyond the returned strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ls::http {

// Decodes "%XY" escapes; '+' becomes a space when plusAsSpace (query and form
// encoding, not paths). An invalid or truncated escape ("%zz", "%4") is kept
// literally, as browsers' URLSearchParams do, so a stray '%' never fails a request.
std::string percentDecode(std::string_view text, bool plusAsSpace);
// Same, appending to `out` (callers reuse its capacity).
void percentDecodeAppend(std::string_view text, bool plusAsSpace, std::string& out);
// True when decoding `encoded` (with '+' as space) yields exactly `plain`; no allocation.
bool decodedEquals(std::string_view encoded, std::string_view plain);

// The first value of `name` in a raw query ("a=1&b=x%20y"), decoded with '+' as
// space; a key without '=' has the value "". nullopt when absent.
std::optional<std::string> queryParam(std::string_view rawQuery, std::string_view name);
// Every pair in order, decoded; empty pieces ("a=1&&b=2") are skipped.
std::vector<std::pair<std::string, std::string>> queryParams(std::string_view rawQuery);

}  // namespace ls::http
