// URL templates and the two URL shapes the load generator dials: RTMP publish
// URLs (rtmp://host:port/app/stream?query) and HTTP URLs (http://host:port/path).
// Loopback only: anything else is refused, the tool must never load a real host.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace ls::loadgen {

// Replaces {key} with `key` (the whole line of the keys file, query included),
// {name} with the key before any '?', and {index} with the stream index.
std::string expandTemplate(std::string_view tmpl, std::string_view key, std::size_t index);

struct RtmpUrl {
  std::string host;
  std::uint16_t port = 1935;
  std::string app;         // first path segment ("live")
  std::string streamName;  // the rest, query included ("key?pushToken=...")
  std::string tcUrl;       // rtmp://host:port/app, as connect's tcUrl
};
Result<RtmpUrl> parseRtmpUrl(std::string_view url);

struct HttpUrl {
  std::string host;
  std::uint16_t port = 80;
  std::string target;  // path and query, starting with '/'
};
Result<HttpUrl> parseHttpUrl(std::string_view url);

// A segment URI from a playlist, resolved against the playlist's URL
// (RFC 3986 section 5.2, for the shapes playlists use: absolute http URL,
// absolute path, or a path relative to the playlist's directory).
Result<HttpUrl> resolveUri(const HttpUrl& playlist, std::string_view uri);

bool isLoopbackHost(std::string_view host);

}  // namespace ls::loadgen
