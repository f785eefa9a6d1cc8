// URL text for outgoing requests: what may be shown of a URL, and how a value
// goes into one. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace ls::http_client {

// The URL as error messages and logs may show it: without the query and the
// fragment (ZLMediaKit takes its API secret in the query) and without
// userinfo ("http://user:pass@host" -> "http://host").
//   "http://u:p@10.0.0.5:8080/index/api/getMediaList?secret=s" -> "http://10.0.0.5:8080/index/api/getMediaList"
std::string redactedUrl(std::string_view url);

// RFC 3986 percent-encoding of everything but unreserved characters
// (A-Z a-z 0-9 - . _ ~), for a query value or one path segment. With
// keepSlashes, '/' stays as is, for a multi-segment path such as a MediaMTX
// path name ("live/key").
std::string percentEncoded(std::string_view value, bool keepSlashes = false);

}  // namespace ls::http_client
