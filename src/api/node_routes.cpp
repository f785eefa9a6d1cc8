#include "api/node_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "api/envelope.hpp"
#include "api/node_bodies.hpp"
#include "core/log_text.hpp"
#include "ingest/steering_json.hpp"

namespace ls::api {

namespace {

using NodeFn = http::Response (*)(ApiDeps&, const http::Request&, const MediaServer&);

http::Handler nodeCall(ApiDeps& deps, NodeFn fn) {
  return [&deps, fn](const http::Request& request) -> http::Response {
    auto server = deps.mediaServers.authenticateNode(request.param("id"), request.bearerToken());
    if (!server.ok()) {
      if (server.status().code() != Code::kUnauthenticated) return errorFor(server.status());
      spdlog::warn("internal node call {} from {} refused: invalid node credentials", logText(request.path()),
                   logText(request.remoteAddress()));
      return http::errorResponse(401, "invalid node credentials");
    }
    return fn(deps, request, *server);
  };
}

http::Response heartbeat(ApiDeps& deps, const http::Request& request, const MediaServer& server) {
  auto beat = parseNodeHeartbeat(request.body());
  if (!beat.ok()) return errorFor(beat.status());
  auto answer = deps.nodes.heartbeat(server, *beat);
  if (!answer.ok()) return errorFor(answer.status());
  boost::json::array cut(answer->cutStreamKeys.begin(), answer->cutStreamKeys.end());
  boost::json::object out{{"leaseSeconds", answer->leaseSeconds},
                          {"heartbeatIntervalMs", answer->heartbeatIntervalMs},
                          {"cut", std::move(cut)}};
  // The node's masters and steering manifest follow the order this tier measures.
  if (deps.steering != nullptr) out["steering"] = ingest::steeringJson(deps.steering->snapshot(server.id));
  return http::Response::json(200, boost::json::serialize(out));
}

http::Response publish(ApiDeps& deps, const http::Request& request, const MediaServer& server) {
  auto publish = parseNodePublish(request.body());
  if (!publish.ok()) return errorFor(publish.status());
  publish->mediaServerId = server.id;
  auto grant = deps.ingest->authorizePublish(*publish);
  if (!grant.ok()) {
    const Status& s = grant.status();
    const int status = s.code() == Code::kUnavailable ? 503 : s.code() == Code::kConflict ? 409 : 403;
    return http::Response::json(status, boost::json::serialize(boost::json::object{
                                            {"code", publishRefusalCode(s.code())}, {"message", s.message()}}));
  }
  spdlog::info("remote node {} publishing stream {}", logText(server.name), grant->streamKey);
  return http::Response::json(200, boost::json::serialize(boost::json::object{{"livestreamId", grant->livestreamId},
                                                                               {"projectId", grant->projectId},
                                                                               {"streamKey", grant->streamKey},
                                                                               {"abrEnabled", grant->abrEnabled},
                                                                               {"startedAt", grant->startedAt}}));
}

http::Response publishEnded(ApiDeps& deps, const http::Request& request, const MediaServer& server) {
  auto end = parseNodePublishEnded(request.body());
  if (!end.ok()) return errorFor(end.status());
  end->mediaServerId = server.id;
  if (Status s = deps.ingest->onPublishEnded(*end); !s.isOk()) return errorFor(s);
  return http::Response::json(200, "{}");
}

// A remote node's usage batch, applied once however often it is resent.
http::Response usage(ApiDeps& deps, const http::Request& request, const MediaServer&) {
  auto batch = parseNodeUsage(request.body());
  if (!batch.ok()) return errorFor(batch.status());
  if (deps.usage == nullptr) return errorFor(unavailable("usage metering is not available"));
  if (Status s = deps.usage->report(*batch); !s.isOk()) return errorFor(s);
  return http::Response::json(200, "{}");
}

}  // namespace

void registerNodeRoutes(http::Router& router, ApiDeps& deps) {
  using M = http::Method;
  router.add(M::kPost, "/internal/v1/nodes/:id/heartbeat", nodeCall(deps, heartbeat), http::Runs::kOnWorkers);
  router.add(M::kPost, "/internal/v1/nodes/:id/publish", nodeCall(deps, publish), http::Runs::kOnWorkers);
  router.add(M::kPost, "/internal/v1/nodes/:id/publish-ended", nodeCall(deps, publishEnded), http::Runs::kOnWorkers);
  router.add(M::kPost, "/internal/v1/nodes/:id/usage", nodeCall(deps, usage), http::Runs::kOnWorkers);
}

}  // namespace ls::api
