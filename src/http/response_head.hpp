// Serializes a Response's status line and header block. The server writes this
// head and the body as two buffers of one gather write, so bodies (shared HLS
// bytes included) are never copied. Pure, for tests and the fuzz target.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "http/response.hpp"

namespace ls::http {

struct HeadContext {
  bool keepAlive = true;      // false adds "Connection: close"
  int requestVersion = 11;    // 10: keep-alive must be announced explicitly
  bool headRequest = false;   // HEAD: Content-Length of the body, no body bytes
  std::string_view httpDate;  // "Tue, 15 Nov 1994 08:12:31 GMT"; no Date header when empty
};

struct HeadResult {
  std::size_t bodyBytesToSend = 0;  // 0 for HEAD and for bodiless statuses (1xx, 204, 304)
  std::size_t droppedHeaders = 0;   // handler headers refused: framing headers or bytes that could inject
  int status = 0;                   // the status written (an invalid handler status becomes 500)
};

// Appends the head (ending in an empty line) to `out`.
HeadResult appendResponseHead(const Response& response, const HeadContext& context, std::string& out);

// A field name is an RFC 9110 token; a value holds no CR, LF, NUL or other
// control byte but HTAB. Anything else could split the response.
bool isValidHeaderName(std::string_view name) noexcept;
bool isValidHeaderValue(std::string_view value) noexcept;

// IMF-fixdate for a Unix time in seconds: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string formatHttpDate(long long unixSeconds);

}  // namespace ls::http
