#include "node_client/remote_ingest_service.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace ls::node_client {

namespace {

Result<boost::json::object> answerObject(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) return unavailable("the API tier answered something that is not a JSON object");
  return std::move(value.as_object());
}

std::string stringOf(const boost::json::object& o, std::string_view name) {
  const boost::json::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

Code refusalCode(std::string_view code) {
  if (code == "BadName") return Code::kNotFound;
  if (code == "Unauthorized") return Code::kUnauthenticated;
  if (code == "Conflict") return Code::kConflict;
  if (code == "Unavailable") return Code::kUnavailable;
  return Code::kInvalidArgument;
}

Status credentialsRefused() {
  return unavailable("the API tier refuses this media node's credentials (node.id / node.secret)");
}

}  // namespace

Result<http_client::ClientResponse> callControl(http_client::HttpClient& client, const NodeCredentials& node,
                                                std::string_view what, std::string body,
                                                std::chrono::milliseconds timeout) {
  http_client::ClientRequest request;
  request.method = "POST";
  request.url = node.controlUrl + "/internal/v1/nodes/" + node.nodeId + "/" + std::string(what);
  request.headers = {{"Authorization", "Bearer " + node.nodeSecret}, {"Content-Type", "application/json"}};
  request.body = std::move(body);
  request.timeout = timeout;
  request.connectTimeout = std::min(timeout, std::chrono::milliseconds(1000));
  request.maxResponseBytes = 1 << 20;
  auto answer = client.send(request);
  if (!answer.ok()) return unavailable("the API tier cannot be reached: " + answer.status().message());
  return answer;
}

RemoteIngestService::RemoteIngestService(http_client::HttpClient& client, NodeCredentials node,
                                         std::chrono::milliseconds timeout)
    : client_(client), node_(std::move(node)), timeout_(timeout) {}

Result<ingest::PublishGrant> RemoteIngestService::authorizePublish(const ingest::PublishRequest& request) {
  boost::json::object body{{"app", request.app},
                           {"streamKey", request.streamKey},
                           {"pushToken", request.pushToken},
                           {"remoteAddress", request.remoteAddress},
                           {"protocol", request.protocol}};
  auto answer = callControl(client_, node_, "publish", boost::json::serialize(body), timeout_);
  if (!answer.ok()) return answer.status();
  if (answer->status == 401) return credentialsRefused();
  auto o = answerObject(answer->body);
  if (!o.ok()) return o.status();
  if (answer->status != 200) {
    std::string message = stringOf(*o, "message");
    if (message.empty()) message = "publish refused by the API tier (HTTP " + std::to_string(answer->status) + ")";
    return Status(refusalCode(stringOf(*o, "code")), message);
  }
  ingest::PublishGrant grant;
  grant.livestreamId = stringOf(*o, "livestreamId");
  grant.projectId = stringOf(*o, "projectId");
  grant.streamKey = stringOf(*o, "streamKey");
  if (const boost::json::value* v = o->if_contains("abrEnabled"); v != nullptr && v->is_bool()) grant.abrEnabled = v->get_bool();
  if (const boost::json::value* v = o->if_contains("startedAt"); v != nullptr && v->is_int64()) grant.startedAt = v->get_int64();
  if (grant.livestreamId.empty() || grant.streamKey.empty()) return unavailable("the API tier's grant has no livestream");
  return grant;
}

Status RemoteIngestService::onPublishEnded(const ingest::PublishEnd& end) {
  boost::json::object body{{"livestreamId", end.livestreamId}, {"streamKey", end.streamKey}};
  auto answer = callControl(client_, node_, "publish-ended", boost::json::serialize(body), timeout_);
  if (!answer.ok()) return answer.status();
  if (answer->status == 401) return credentialsRefused();
  if (answer->status >= 500) return unavailable("the API tier could not record the end (HTTP " + std::to_string(answer->status) + ")");
  if (answer->status != 200) {
    return invalidArgument("the API tier refused the end report (HTTP " + std::to_string(answer->status) + ")");
  }
  return Status::ok();
}

}  // namespace ls::node_client
