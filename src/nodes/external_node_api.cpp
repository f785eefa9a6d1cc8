#include "nodes/external_node_api.hpp"

#include <boost/json/parse.hpp>
#include <algorithm>
#include <cctype>
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

// A remote LunarStream node (`node add`): its HTTP listener's internal
// routes, with the hex SHA-256 of its node secret (the stored hash) as bearer.
Result<http_client::ClientResponse> remoteNodeCall(http_client::HttpClient& client, const MediaServer& server,
                                                   std::string method, const std::string& path,
                                                   std::chrono::milliseconds budget) {
  http_client::ClientRequest request;
  request.method = std::move(method);
  request.url = server.apiUrl + path;
  request.headers = {{"Authorization", "Bearer " + server.hookSecretHash}};
  request.timeout = budget;
  request.connectTimeout = std::min(budget, std::chrono::milliseconds(1000));
  request.maxResponseBytes = 4 << 20;
  auto answer = client.send(request);
  if (!answer.ok()) return Status(Code::kUnavailable, "media node " + quoted(server.name) + ": " + answer.status().message());
  if (answer->status != 200) {
    return Status(Code::kUnavailable, "media node " + quoted(server.name) + ": " + request.method + " " + path +
                                          " answered HTTP " + std::to_string(answer->status));
  }
  return answer;
}

std::string percentEncoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

Result<std::vector<control::NodeStream>> remoteLiveStreams(http_client::HttpClient& client, const MediaServer& server,
                                                           std::chrono::milliseconds budget) {
  auto answer = remoteNodeCall(client, server, "GET", "/internal/v1/streams", budget);
  if (!answer.ok()) return answer.status();
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(answer->body, ec);
  const boost::json::value* streams = !ec && value.is_object() ? value.as_object().if_contains("streams") : nullptr;
  if (streams == nullptr || !streams->is_array()) {
    return Status(Code::kUnavailable, "media node " + quoted(server.name) + ": its stream list is not {\"streams\": [...]}");
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
  if (isRemoteNode(server)) return remoteLiveStreams(client_, server, budgets_.list);
  NodeCall call(client_, server, budgets_.list);
  if (server.type == MediaServerType::kZlMediaKit) return zlmLiveStreams(call, server.apiSecret);
  if (!server.apiSecret.empty()) call.useBasicAuth(std::string(kMediaMtxUser), server.apiSecret);
  return mtxLiveStreams(call);
}

Status ExternalNodeApi::cutPublisher(const MediaServer& server, std::string_view app, std::string_view streamKey) {
  if (!configured(server)) return notConfigured(server);
  if (streamKey.empty()) return invalidArgument("cutting a publisher needs a stream key");
  if (isRemoteNode(server)) {
    auto answer = remoteNodeCall(client_, server, "POST", "/internal/v1/streams/" + percentEncoded(streamKey) + "/cut",
                                 budgets_.cut);
    return answer.ok() ? Status::ok() : answer.status();
  }
  NodeCall call(client_, server, budgets_.cut);
  if (server.type == MediaServerType::kZlMediaKit) return zlmCutPublisher(call, server.apiSecret, app, streamKey);
  if (!server.apiSecret.empty()) call.useBasicAuth(std::string(kMediaMtxUser), server.apiSecret);
  return mtxCutPublisher(call, app, streamKey);
}

}  // namespace ls::nodes
