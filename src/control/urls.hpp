// The public URLs of a livestream, built from its media server (SPEC §3):
// hlsSources lists the origin first, then each CDN in the configured order,
// every one at the path the server really serves.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/status.hpp"

namespace ls::control {

// The RTMP application every publish uses (SPEC §4).
inline constexpr std::string_view kLiveApp = "live";

struct HlsSource {
  std::string name;  // the origin's name, then the CDN names
  std::string url;   // <base>/<path of the stream>
};

// Where a server type puts a stream's playlist, as a path template:
// EMBEDDED "hls/{streamKey}/master.m3u8" (the ABR master), ZLMEDIAKIT
// "{app}/{streamKey}/hls.m3u8", MEDIAMTX "{app}/{streamKey}/index.m3u8".
std::string_view defaultHlsPathTemplate(MediaServerType type);
// The name of the origin's source: "original" for ZLMediaKit (it serves the
// input as is, the seed's dialect), "origin" otherwise.
std::string_view originSourceName(MediaServerType type);
// A relative path of at most 255 characters from [A-Za-z0-9-._~/] and the
// placeholders {streamKey} (required) and {app}; no "..", no "//".
Status validateHlsPathTemplate(std::string_view pathTemplate);
// The server's template (or its type's) with the placeholders filled in.
std::string hlsPath(const MediaServer& server, std::string_view streamKey);

std::vector<HlsSource> hlsSources(const MediaServer& server, std::string_view streamKey);
// The low-latency masters (SPEC §3 llHlsSources), in the order of `sources`
// (what hlsSources gave): the embedded server's "<base>/hls/<key>/ll.m3u8"
// beside each "<base>/hls/<key>/master.m3u8". Empty for servers that offer no
// LL-HLS (external nodes, or `offered` false: hls.ll_enabled off).
std::vector<HlsSource> llHlsSources(const MediaServer& server, const std::vector<HlsSource>& sources, bool offered);
// "<apiBase>/api/v1/livestreams/preview-playback/<streamKey>"
std::string previewPlaybackUrl(std::string_view apiBaseUrl, std::string_view streamKey);
// "<streamKey>?pushToken=<jwt>": what OBS takes as its Stream Key.
std::string streamKeyWithToken(std::string_view streamKey, std::string_view pushToken);
// Joins a base URL and a path with exactly one '/'.
std::string joinUrl(std::string_view base, std::string_view path);

}  // namespace ls::control
