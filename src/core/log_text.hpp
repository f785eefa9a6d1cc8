// Values that came from the network (RTMP app and stream names, tcUrl, user
// agents, hook fields, error messages that quote them) go through logText()
// before they reach a log line, so a client cannot forge log lines with raw
// newlines, hide text with control characters or drive a terminal with ANSI
// escapes. Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ls {

// Control bytes (below 0x20, and DEL) become \n, \r, \t or \xNN, a backslash
// becomes \\; printable ASCII and UTF-8 bytes pass. Longer input is cut at
// maxBytes and marked with "...".
std::string logText(std::string_view value, std::size_t maxBytes = 256);

}  // namespace ls
