#include "control/urls.hpp"

namespace ls::control {

std::string joinUrl(std::string_view base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::string out;
  out.reserve(base.size() + 1 + path.size());
  out.append(base).push_back('/');
  out.append(path);
  return out;
}

std::vector<HlsSource> hlsSources(const MediaServer& server, std::string_view streamKey) {
  const std::string path = "hls/" + std::string(streamKey) + "/master.m3u8";
  std::vector<HlsSource> out;
  out.reserve(1 + server.cdns.size());
  out.push_back({"origin", joinUrl(server.hlsBaseUrl, path)});
  for (const CdnEndpoint& cdn : server.cdns) out.push_back({cdn.name, joinUrl(cdn.baseUrl, path)});
  return out;
}

std::string previewPlaybackUrl(std::string_view apiBaseUrl, std::string_view streamKey) {
  return joinUrl(apiBaseUrl, "api/v1/livestreams/preview-playback/" + std::string(streamKey));
}

std::string streamKeyWithToken(std::string_view streamKey, std::string_view pushToken) {
  std::string out(streamKey);
  out.append("?pushToken=").append(pushToken);
  return out;
}

}  // namespace ls::control
