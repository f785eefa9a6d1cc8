#include "api/hook_routes.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "api/envelope.hpp"

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

// Hook bodies carry many fields we do not use (ZLMediaKit sends a dozen);
// only the ones read are checked, for type.
Result<boost::json::object> hookBody(const http::Request& request) {
  if (request.body().empty()) return boost::json::object{};
  boost::json::parse_options options;
  options.max_depth = 8;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(request.body(), ec, {}, options);
  if (ec || !value.is_object()) return invalidArgument("hook body must be a JSON object");
  return std::move(value.as_object());
}

std::string field(const boost::json::object& body, std::string_view name) {
  const boost::json::value* v = body.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string{};
}

// ZLMediaKit's answer shape: HTTP 200 with {"code": 0 | -1, "msg": ...}.
http::Response zlmAnswer(const Status& status) {
  boost::json::object o{{"code", status.isOk() ? 0 : -1}, {"msg", status.isOk() ? "success" : status.message()}};
  return http::Response::json(200, boost::json::serialize(o));
}

using HookFn = http::Response (*)(ApiDeps&, const http::Request&, const MediaServer&, const boost::json::object&);

http::Handler hook(ApiDeps& deps, MediaServerType type, HookFn fn) {
  return [&deps, type, fn](const http::Request& request) -> http::Response {
    auto server = deps.mediaServers.authenticateHook(hookSecret(request));
    if (!server.ok()) return errorFor(server.status());
    if (server->type != type) {
      return errorFor({Code::kPermissionDenied, "this hook is for " + std::string(toString(type)) + " media servers"});
    }
    auto body = hookBody(request);
    if (!body.ok()) return errorFor(body.status());
    return fn(deps, request, *server, *body);
  };
}

Status authorize(ApiDeps& deps, const MediaServer& server, std::string app, std::string streamKey,
                 std::string_view query, std::string ip) {
  ingest::PublishRequest req;
  req.mediaServerId = server.id;
  req.app = std::move(app);
  req.streamKey = std::move(streamKey);
  req.pushToken = ingest::extractPushToken(query, "");
  req.remoteAddress = std::move(ip);
  auto grant = deps.ingest->authorizePublish(req);
  if (!grant.ok()) {
    spdlog::info("{} {} publish refused: {}", toString(server.type), server.name, grant.status().message());
    return grant.status();
  }
  spdlog::info("{} {} publishing stream {}", toString(server.type), server.name, grant->streamKey);
  return Status::ok();
}

// The publisher of a stream on this media server left.
Status ended(ApiDeps& deps, const MediaServer& server, std::string_view streamKey) {
  auto found = deps.store.findLivestreamByStreamKey(streamKey);
  if (!found.ok()) return found.status();
  if (!found->has_value() || (*found)->mediaServerId != server.id) return Status::ok();
  return deps.ingest->onPublishEnded((*found)->id);
}

http::Response zlmOnPublish(ApiDeps& deps, const http::Request&, const MediaServer& server,
                            const boost::json::object& body) {
  return zlmAnswer(authorize(deps, server, field(body, "app"), field(body, "stream"), field(body, "params"),
                             field(body, "ip")));
}

http::Response zlmOnStreamChanged(ApiDeps& deps, const http::Request&, const MediaServer& server,
                                  const boost::json::object& body) {
  // ZLMediaKit reports each protocol muxer of a stream separately; the RTMP
  // one stands for the publish (it exists exactly while the publisher does).
  const boost::json::value* regist = body.if_contains("regist");
  if (field(body, "schema") != "rtmp" || regist == nullptr || !regist->is_bool() || regist->get_bool()) {
    return zlmAnswer(Status::ok());
  }
  return zlmAnswer(ended(deps, server, field(body, "stream")));
}

// MediaMTX paths are "live/<streamKey>".
std::pair<std::string, std::string> splitPath(std::string_view path) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  const std::size_t slash = path.find('/');
  if (slash == std::string_view::npos) return {std::string(path), {}};
  return {std::string(path.substr(0, slash)), std::string(path.substr(slash + 1))};
}

http::Response mediamtxAuth(ApiDeps& deps, const http::Request&, const MediaServer& server,
                            const boost::json::object& body) {
  // Only publishing needs a push token; MediaMTX asks about reads too.
  if (field(body, "action") != "publish") return http::Response::empty(204);
  auto [app, key] = splitPath(field(body, "path"));
  const Status s = authorize(deps, server, app, key, field(body, "query"), field(body, "ip"));
  if (s.isOk()) return http::Response::empty(204);
  return errorFor(s.code() == Code::kUnavailable ? s : Status(Code::kUnauthenticated, s.message()));
}

std::string mediamtxPath(const http::Request& request, const boost::json::object& body) {
  std::string path = field(body, "path");
  if (path.empty()) path = request.query("path").value_or("");
  return path;
}

http::Response mediamtxReady(ApiDeps&, const http::Request&, const MediaServer&, const boost::json::object&) {
  // The publish was marked STARTED when it was authorized.
  return http::Response::empty(204);
}

http::Response mediamtxNotReady(ApiDeps& deps, const http::Request& request, const MediaServer& server,
                                const boost::json::object& body) {
  auto [app, key] = splitPath(mediamtxPath(request, body));
  if (Status s = ended(deps, server, key); !s.isOk()) return errorFor(s);
  return http::Response::empty(204);
}

}  // namespace

void registerHookRoutes(http::Router& router, ApiDeps& deps) {
  using M = http::Method;
  using T = MediaServerType;
  router.add(M::kPost, "/api/v1/hooks/zlmediakit/on_publish", hook(deps, T::kZlMediaKit, zlmOnPublish));
  router.add(M::kPost, "/api/v1/push-auth", hook(deps, T::kZlMediaKit, zlmOnPublish));
  router.add(M::kPost, "/api/v1/hooks/zlmediakit/on_stream_changed", hook(deps, T::kZlMediaKit, zlmOnStreamChanged));
  router.add(M::kPost, "/api/v1/hooks/mediamtx/auth", hook(deps, T::kMediaMtx, mediamtxAuth));
  router.add(M::kPost, "/api/v1/hooks/mediamtx/ready", hook(deps, T::kMediaMtx, mediamtxReady));
  router.add(M::kPost, "/api/v1/hooks/mediamtx/not-ready", hook(deps, T::kMediaMtx, mediamtxNotReady));
}

}  // namespace ls::api
