#include "api/hook_routes.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "api/envelope.hpp"
#include "api/hook_payload.hpp"
#include "core/log_text.hpp"

namespace ls::api {

namespace {

std::string hookSecret(const http::Request& request) {
  if (auto q = request.query("secret")) return *q;
  if (auto h = request.header("ls-hook-secret")) return std::string(*h);
  if (auto a = request.header("authorization"); a && a->size() > 7 && a->substr(0, 7) == "Bearer ") {
    return std::string(a->substr(7));
  }
  return {};
}

// ZLMediaKit's answer shape: HTTP 200 with {"code": 0 | -1, "msg": ...}.
http::Response zlmAnswer(const Status& status) {
  boost::json::object o{{"code", status.isOk() ? 0 : -1}, {"msg", status.isOk() ? "success" : status.message()}};
  return http::Response::json(200, boost::json::serialize(o));
}

using HookFn = http::Response (*)(ApiDeps&, const http::Request&, const MediaServer&);

http::Handler hook(ApiDeps& deps, MediaServerType type, HookFn fn) {
  return [&deps, type, fn](const http::Request& request) -> http::Response {
    auto server = deps.mediaServers.authenticateHook(hookSecret(request));
    if (!server.ok()) return errorFor(server.status());
    if (server->type != type) {
      return errorFor({Code::kPermissionDenied, "this hook is for " + std::string(toString(type)) + " media servers"});
    }
    return fn(deps, request, *server);
  };
}

Status authorize(ApiDeps& deps, const MediaServer& server, std::string app, std::string streamKey,
                 std::string_view query, std::string ip) {
  ingest::PublishRequest req;
  req.mediaServerId = server.id;
  req.app = std::move(app);
  req.streamKey = std::move(streamKey);
  req.pushToken = ingest::extractPushToken(query);
  req.remoteAddress = std::move(ip);
  auto grant = deps.ingest->authorizePublish(req);
  if (!grant.ok()) {
    spdlog::info("{} {} publish refused: {}", toString(server.type), logText(server.name), logText(grant.status().message()));
    return grant.status();
  }
  spdlog::info("{} {} publishing stream {}", toString(server.type), logText(server.name), grant->streamKey);
  return Status::ok();
}

// The publisher of a stream on this media server left.
Status ended(ApiDeps& deps, const MediaServer& server, std::string_view streamKey) {
  return deps.ingest->onPublishEnded({server.id, {}, std::string(streamKey)});
}

http::Response zlmOnPublish(ApiDeps& deps, const http::Request& request, const MediaServer& server) {
  auto publish = parseZlmPublish(request.body());
  if (!publish.ok()) return errorFor(publish.status());
  return zlmAnswer(authorize(deps, server, std::move(publish->app), std::move(publish->stream), publish->params,
                             std::move(publish->ip)));
}

http::Response zlmOnStreamChanged(ApiDeps& deps, const http::Request& request, const MediaServer& server) {
  auto event = parseZlmStreamChanged(request.body());
  if (!event.ok()) return errorFor(event.status());
  if (!publisherLeft(*event)) return zlmAnswer(Status::ok());
  return zlmAnswer(ended(deps, server, event->stream));
}

http::Response mediamtxAuth(ApiDeps& deps, const http::Request& request, const MediaServer& server) {
  auto auth = parseMediaMtxAuth(request.body());
  if (!auth.ok()) return errorFor(auth.status());
  // Only publishing needs a push token; MediaMTX asks about reads too.
  if (auth->action != "publish") return http::Response::empty(204);
  const Status s =
      authorize(deps, server, std::move(auth->app), std::move(auth->streamKey), auth->query, std::move(auth->ip));
  if (s.isOk()) return http::Response::empty(204);
  return errorFor(s.code() == Code::kUnavailable ? s : Status(Code::kUnauthenticated, s.message()));
}

http::Response mediamtxReady(ApiDeps&, const http::Request& request, const MediaServer&) {
  // A malformed body is still answered 400, like every hook's.
  auto event = parseMediaMtxPathEvent(request.body(), request.query("path").value_or(""));
  if (!event.ok()) return errorFor(event.status());
  // The publish was marked STARTED when it was authorized.
  return http::Response::empty(204);
}

http::Response mediamtxNotReady(ApiDeps& deps, const http::Request& request, const MediaServer& server) {
  auto event = parseMediaMtxPathEvent(request.body(), request.query("path").value_or(""));
  if (!event.ok()) return errorFor(event.status());
  if (Status s = ended(deps, server, event->streamKey); !s.isOk()) return errorFor(s);
  return http::Response::empty(204);
}

}  // namespace

void registerHookRoutes(http::Router& router, ApiDeps& deps) {
  using M = http::Method;
  using T = MediaServerType;
  router.add(M::kPost, "/api/v1/hooks/zlmediakit/on_publish", hook(deps, T::kZlMediaKit, zlmOnPublish),
             http::Runs::kOnWorkers);
  router.add(M::kPost, "/api/v1/push-auth", hook(deps, T::kZlMediaKit, zlmOnPublish), http::Runs::kOnWorkers);
  router.add(M::kPost, "/api/v1/hooks/zlmediakit/on_stream_changed", hook(deps, T::kZlMediaKit, zlmOnStreamChanged),
             http::Runs::kOnWorkers);
  router.add(M::kPost, "/api/v1/hooks/mediamtx/auth", hook(deps, T::kMediaMtx, mediamtxAuth), http::Runs::kOnWorkers);
  router.add(M::kPost, "/api/v1/hooks/mediamtx/ready", hook(deps, T::kMediaMtx, mediamtxReady), http::Runs::kOnWorkers);
  router.add(M::kPost, "/api/v1/hooks/mediamtx/not-ready", hook(deps, T::kMediaMtx, mediamtxNotReady),
             http::Runs::kOnWorkers);
}

}  // namespace ls::api
