#include "nodes/external_node_api.hpp"

#include <boost/json/parse.hpp>
#include <string>

#include "core/quoted.hpp"
#include "http_client/url_text.hpp"
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

// A remote LunarStream node (`node add`): its HTTP listener's internal
// routes, with the hex SHA-256 of its node secret (the stored hash) as bearer.
Result<http_client::ClientResponse> remoteNodeCall(NodeCall& call, const MediaServer& server, std::string_view method,
                                                   const std::string& path) {
  call.useBearer(server.hookSecretHash);
  auto answer = call.send(method, path);
  if (!answer.ok()) return answer.status();
  if (answer->status != 200) return call.failure(method, path, "HTTP " + std::to_string(answer->status));
  return answer;
}

Result<std::vector<control::NodeStream>> remoteLiveStreams(NodeCall& call, const MediaServer& server) {
  const std::string path = "/internal/v1/streams";
  auto answer = remoteNodeCall(call, server, "GET", path);
  if (!answer.ok()) return answer.status();
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(answer->body, ec);
  const boost::json::value* streams = !ec && value.is_object() ? value.as_object().if_contains("streams") : nullptr;
  if (streams == nullptr || !streams->is_array()) {
    return call.failure("GET", path, "the stream list is not {\"streams\": [...]}");
  }
  std::vector<control::NodeStream> out;
  for (const boost::json::value& key : streams->get_array()) {
    if (key.is_string()) out.push_back({"live", std::string(key.get_string())});
  }
  return out;
}

}  // namespace

ExternalNodeApi::ExternalNodeApi(http_client::HttpClient& client, NodeApiBudgets budgets)
    : client_(client), budgets_(budgets) {}

bool ExternalNodeApi::configured(const MediaServer& server) const {
  return (server.type != MediaServerType::kEmbedded || isRemoteNode(server)) && !server.apiUrl.empty();
}

Result<std::vector<control::NodeStream>> ExternalNodeApi::liveStreams(const MediaServer& server) {
  if (!configured(server)) return notConfigured(server);
  NodeCall call(client_, server, budgets_.list);
  if (isRemoteNode(server)) return remoteLiveStreams(call, server);
  if (server.type == MediaServerType::kZlMediaKit) return zlmLiveStreams(call, server.apiSecret);
  if (!server.apiSecret.empty()) call.useBasicAuth(std::string(kMediaMtxUser), server.apiSecret);
  return mtxLiveStreams(call);
}

Status ExternalNodeApi::cutPublisher(const MediaServer& server, std::string_view app, std::string_view streamKey) {
  if (!configured(server)) return notConfigured(server);
  if (streamKey.empty()) return invalidArgument("cutting a publisher needs a stream key");
  NodeCall call(client_, server, budgets_.cut);
  if (isRemoteNode(server)) {
    const std::string path = "/internal/v1/streams/" + http_client::percentEncoded(streamKey) + "/cut";
    return remoteNodeCall(call, server, "POST", path).status();
  }
  if (server.type == MediaServerType::kZlMediaKit) return zlmCutPublisher(call, server.apiSecret, app, streamKey);
  if (!server.apiSecret.empty()) call.useBasicAuth(std::string(kMediaMtxUser), server.apiSecret);
  return mtxCutPublisher(call, app, streamKey);
}

}  // namespace ls::nodes
