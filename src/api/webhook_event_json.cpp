#include "api/webhook_event_json.hpp"

#include <boost/json/serialize.hpp>
#include <utility>

#include "api/livestream_json.hpp"
#include "core/lifecycle.hpp"

namespace ls::api {

WebhookRenderer webhookRenderer(std::string apiBaseUrl, control::NodeLeaseOptions lease, bool llHls) {
  WebhookRenderer r;
  // Built as the livestream routes build their record (LivestreamService::withServer).
  r.livestream = [apiBaseUrl, llHls](const Livestream& livestream, const MediaServer& server, UnixMillis now) {
    control::LivestreamRecord record;
    record.livestream = livestream;
    record.mediaServer = server;
    record.status = effectiveStatus(livestream, now);
    return boost::json::serialize(livestreamJson(record, apiBaseUrl, Secrets::kOmit, llHls));
  };
  // Built as NodeService::list builds its views.
  r.mediaServer = [lease](const MediaServer& server, std::int64_t liveStreams, UnixMillis now) {
    control::NodeView view;
    view.server = server;
    view.status = control::nodeStatus(server, now, lease);
    view.liveStreams = liveStreams;
    return boost::json::serialize(mediaServerJson(view));
  };
  return r;
}

}  // namespace ls::api
