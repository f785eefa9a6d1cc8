#include "nodes/external_node_api.hpp"

#include <string>

#include "core/quoted.hpp"
#include "nodes/mediamtx_calls.hpp"
#include "nodes/node_call.hpp"
#include "nodes/zlm_calls.hpp"

namespace ls::nodes {

namespace {

// The Basic-auth user LunarStream presents to MediaMTX; the operator adds it
// to authInternalUsers with the "api" action and the server's apiSecret.
constexpr std::string_view kMediaMtxUser = "lunarstream";

Status notConfigured(const MediaServer& server) {
  return {Code::kConflict, "media server " + quoted(server.name) + " has no node API configured"};
}

}  // namespace

ExternalNodeApi::ExternalNodeApi(http_client::HttpClient& client, NodeApiBudgets budgets)
    : client_(client), budgets_(budgets) {}

bool ExternalNodeApi::configured(const MediaServer& server) const {
  return server.type != MediaServerType::kEmbedded && !server.apiUrl.empty();
}

Result<std::vector<control::NodeStream>> ExternalNodeApi::liveStreams(const MediaServer& server) {
  if (!configured(server)) return notConfigured(server);
  NodeCall call(client_, server, budgets_.list);
  if (server.type == MediaServerType::kZlMediaKit) return zlmLiveStreams(call, server.apiSecret);
  if (!server.apiSecret.empty()) call.useBasicAuth(std::string(kMediaMtxUser), server.apiSecret);
  return mtxLiveStreams(call);
}

Status ExternalNodeApi::cutPublisher(const MediaServer& server, std::string_view app, std::string_view streamKey) {
  if (!configured(server)) return notConfigured(server);
  if (streamKey.empty()) return invalidArgument("cutting a publisher needs a stream key");
  NodeCall call(client_, server, budgets_.cut);
  if (server.type == MediaServerType::kZlMediaKit) return zlmCutPublisher(call, server.apiSecret, app, streamKey);
  if (!server.apiSecret.empty()) call.useBasicAuth(std::string(kMediaMtxUser), server.apiSecret);
  return mtxCutPublisher(call, app, streamKey);
}

}  // namespace ls::nodes
