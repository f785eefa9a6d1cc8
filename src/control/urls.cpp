#include "control/urls.hpp"

namespace ls::control {

namespace {

constexpr std::string_view kStreamKey = "{streamKey}";
constexpr std::string_view kApp = "{app}";

void replaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

bool isPathChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~' || c == '/';
}

}  // namespace

std::string joinUrl(std::string_view base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::string out;
  out.reserve(base.size() + 1 + path.size());
  out.append(base).push_back('/');
  out.append(path);
  return out;
}

std::string_view defaultHlsPathTemplate(MediaServerType type) {
  switch (type) {
    case MediaServerType::kEmbedded: return "hls/{streamKey}/master.m3u8";
    case MediaServerType::kZlMediaKit: return "{app}/{streamKey}/hls.m3u8";
    case MediaServerType::kMediaMtx: return "{app}/{streamKey}/index.m3u8";
  }
  return "hls/{streamKey}/master.m3u8";
}

std::string_view originSourceName(MediaServerType type) {
  return type == MediaServerType::kZlMediaKit ? "original" : "origin";
}

Status validateHlsPathTemplate(std::string_view pathTemplate) {
  auto bad = [](std::string_view why) { return invalidArgument("hlsPathTemplate " + std::string(why)); };
  if (pathTemplate.empty() || pathTemplate.size() > 255) return bad("must be 1 to 255 characters");
  if (pathTemplate.find(kStreamKey) == std::string_view::npos) return bad("must contain {streamKey}");
  std::string rest(pathTemplate);
  replaceAll(rest, kStreamKey, "k");
  replaceAll(rest, kApp, "a");
  for (const char c : rest) {
    if (!isPathChar(c)) {
      return bad("may hold only letters, digits, - . _ ~ / and the placeholders {streamKey} and {app}");
    }
  }
  if (rest.front() == '/') return bad("must be relative to the HLS base URL (no leading '/')");
  if (rest.find("//") != std::string::npos) return bad("must not contain '//'");
  if (rest == ".." || rest.starts_with("../") || rest.find("/../") != std::string::npos || rest.ends_with("/..")) {
    return bad("must not contain '..' segments");
  }
  return Status::ok();
}

std::string hlsPath(const MediaServer& server, std::string_view streamKey) {
  std::string path(server.hlsPathTemplate.empty() ? defaultHlsPathTemplate(server.type)
                                                  : std::string_view(server.hlsPathTemplate));
  replaceAll(path, kStreamKey, streamKey);
  replaceAll(path, kApp, kLiveApp);
  return path;
}

std::vector<HlsSource> hlsSources(const MediaServer& server, std::string_view streamKey) {
  const std::string path = hlsPath(server, streamKey);
  std::vector<HlsSource> out;
  out.reserve(1 + server.cdns.size());
  out.push_back({std::string(originSourceName(server.type)), joinUrl(server.hlsBaseUrl, path)});
  for (const CdnEndpoint& cdn : server.cdns) out.push_back({cdn.name, joinUrl(cdn.baseUrl, path)});
  return out;
}

std::vector<HlsSource> llHlsSources(const MediaServer& server, const std::vector<HlsSource>& sources, bool offered) {
  constexpr std::string_view kMaster = "/master.m3u8";
  std::vector<HlsSource> out;
  if (!offered || server.type != MediaServerType::kEmbedded) return out;
  out.reserve(sources.size());
  for (const HlsSource& source : sources) {
    // A path template that does not end in the master names no LL twin.
    if (!source.url.ends_with(kMaster)) continue;
    std::string url = source.url.substr(0, source.url.size() - kMaster.size());
    url.append("/ll.m3u8");
    out.push_back({source.name, std::move(url)});
  }
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
