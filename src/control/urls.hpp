// The public URLs of a livestream, built from its media server (SPEC §3):
// hlsSources lists the origin first, then each CDN in the configured order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace ls::control {

struct HlsSource {
  std::string name;  // "origin", then the CDN names
  std::string url;   // <base>/hls/<streamKey>/master.m3u8
};

std::vector<HlsSource> hlsSources(const MediaServer& server, std::string_view streamKey);
// "<apiBase>/api/v1/livestreams/preview-playback/<streamKey>"
std::string previewPlaybackUrl(std::string_view apiBaseUrl, std::string_view streamKey);
// "<streamKey>?pushToken=<jwt>": what OBS takes as its Stream Key.
std::string streamKeyWithToken(std::string_view streamKey, std::string_view pushToken);
// Joins a base URL and a path with exactly one '/'.
std::string joinUrl(std::string_view base, std::string_view path);

}  // namespace ls::control
