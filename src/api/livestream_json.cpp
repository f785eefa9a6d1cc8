#include "api/livestream_json.hpp"

#include <boost/json/array.hpp>

#include "control/urls.hpp"

namespace ls::api {

namespace {
boost::json::value timestamp(const std::optional<UnixMillis>& t) {
  if (!t) return nullptr;
  return boost::json::string(formatIso8601(*t));
}
}  // namespace

boost::json::object livestreamJson(const control::LivestreamRecord& record, std::string_view apiBaseUrl,
                                   Secrets secrets, bool llHls) {
  const Livestream& l = record.livestream;
  const MediaServer& server = record.mediaServer;
  boost::json::object o;
  o["id"] = l.id;
  o["name"] = l.name;
  o["status"] = toString(record.status);
  o["streamKey"] = l.streamKey;
  if (secrets == Secrets::kInclude && record.pushToken) {
    o["pushToken"] = *record.pushToken;
  }
  boost::json::array paths;
  boost::json::array sources;
  const std::vector<control::HlsSource> hlsSources = control::hlsSources(server, l.streamKey);
  for (const control::HlsSource& source : hlsSources) {
    paths.emplace_back(source.url);
    sources.emplace_back(boost::json::object{{"name", source.name}, {"url", source.url}});
  }
  o["hlsPaths"] = std::move(paths);
  o["hlsSources"] = std::move(sources);
  boost::json::array llSources;
  for (const control::HlsSource& source : control::llHlsSources(server, hlsSources, llHls)) {
    llSources.emplace_back(boost::json::object{{"name", source.name}, {"url", source.url}});
  }
  o["llHlsSources"] = std::move(llSources);
  o["rmtpServer"] = server.rtmpBaseUrl;
  o["rtmpServer"] = server.rtmpBaseUrl;
  if (secrets == Secrets::kInclude && record.pushToken) {
    const std::string withToken = control::streamKeyWithToken(l.streamKey, *record.pushToken);
    o["streamKeyWithParams"] = withToken;
    o["streamKeyWithToken"] = withToken;
    // The whole publish URL, for clients that take one field rather than server + key.
    o["rtmpUrl"] = control::joinUrl(server.rtmpBaseUrl, withToken);
  }
  o["previewPlayback"] = control::previewPlaybackUrl(apiBaseUrl, l.streamKey);
  o["startedAt"] = timestamp(l.startedAt);
  o["endedAt"] = timestamp(l.endedAt);
  o["createdAt"] = formatIso8601(l.createdAt);
  o["mediaServer"] = boost::json::object{{"id", server.id}, {"name", server.name}, {"type", toString(server.type)}};
  // SPEC's Livestream field; generate-push-token with mediaServerId changes it.
  o["mediaServerId"] = l.mediaServerId;
  o["projectId"] = l.projectId;
  return o;
}

boost::json::object mediaServerJson(const control::NodeView& view) {
  const MediaServer& server = view.server;
  boost::json::object o;
  o["id"] = server.id;
  o["name"] = server.name;
  o["type"] = toString(server.type);
  o["rtmpServer"] = server.rtmpBaseUrl;
  o["hlsBaseUrl"] = server.hlsBaseUrl;
  o["hlsPathTemplate"] = server.hlsPathTemplate.empty() ? control::defaultHlsPathTemplate(server.type)
                                                        : std::string_view(server.hlsPathTemplate);
  boost::json::array cdns;
  for (const CdnEndpoint& cdn : server.cdns) {
    cdns.emplace_back(
        boost::json::object{{"name", cdn.name}, {"baseUrl", cdn.baseUrl}, {"steering", toString(cdn.steering)}});
  }
  o["cdns"] = std::move(cdns);
  o["status"] = toString(view.status);
  o["lastSeenAt"] = timestamp(server.liveness.lastSeenAt);
  o["liveStreams"] = view.liveStreams;
  o["createdAt"] = formatIso8601(server.createdAt);
  return o;
}

}  // namespace ls::api
