// Percent-decoding (RFC 3986 §2.1) for request targets, query strings and
// form values: shared by the HTTP layer and the codecs that read a query of
// their own (LL-HLS blocking-reload directives). Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace ls {

// Decodes "%XY" escapes; '+' becomes a space when plusAsSpace (query and form
// encoding, not paths). An invalid or truncated escape ("%zz", "%4") is kept
// literally, as browsers' URLSearchParams do, so a stray '%' never fails a request.
std::string percentDecode(std::string_view text, bool plusAsSpace);
// Same, appending to `out` (callers reuse its capacity).
void percentDecodeAppend(std::string_view text, bool plusAsSpace, std::string& out);
// True when decoding `encoded` (with '+' as space) yields exactly `plain`; no allocation.
bool decodedEquals(std::string_view encoded, std::string_view plain);

}  // namespace ls
