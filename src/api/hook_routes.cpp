#include "api/hook_routes.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "api/envelope.hpp"
#include "api/hook_auth.hpp"
#include "api/hook_payload.hpp"
#include "core/encoding.hpp"
#include "core/log_text.hpp"

namespace ls::api {

namespace {

// ZLMediaKit's answer shape: always HTTP 200 (it retries anything else after
// retry_delay, refusals included) with {"code": 0 | -1, "msg": ...}.
http::Response zlmAnswer(const Status& status, boost::json::object extra = {}) {
  extra["code"] = status.isOk() ? 0 : -1;
  extra["msg"] = status.isOk() ? "success" : status.message();
  return http::Response::json(200, boost::json::serialize(extra));
}

// Whether the wrapper records the call as a contact (renewing the node's
// lease), or the handler does it itself with more to say.
enum class Contact { kRecord, kHandlerRecords };

using ZlmFn = http::Response (*)(ApiDeps&, const http::Request&, const MediaServer&);

http::Handler zlmHook(ApiDeps& deps, ZlmFn fn, Contact contact = Contact::kRecord) {
  return [&deps, fn, contact](const http::Request& request) -> http::Response {
    // The node's id and hook sequence; a body that is not JSON is refused by the handler's own parser.
    auto ref = parseZlmStreamRef(request.body());
    const ZlmHookMeta meta = ref.ok() ? ref->meta : ZlmHookMeta{};
    auto server = authenticateHookCall(deps, request, MediaServerType::kZlMediaKit, meta.mediaServerId);
    if (!server.ok()) return zlmAnswer(server.status());
    if (contact == Contact::kRecord) {
      NodeContact heard;
      heard.hookIndex = meta.hookIndex;
      if (Status s = deps.nodes.heard(*server, heard); !s.isOk()) return zlmAnswer(s);
    }
    return fn(deps, request, *server);
  };
}

Status authorize(ApiDeps& deps, const http::Request& request, const MediaServer& server,
                 ingest::PublishRequest publish) {
  publish.mediaServerId = server.id;
  auto grant = deps.ingest->authorizePublish(publish);
  if (!grant.ok()) {
    logRefusedHook(request, server, grant.status());
    return grant.status();
  }
  spdlog::info("{} {} publishing stream {}", toString(server.type), logText(server.name), grant->streamKey);
  return Status::ok();
}

// The publisher of a stream on this media server left (as far as this report says).
Status ended(ApiDeps& deps, const MediaServer& server, std::string_view streamKey, std::string protocol,
             std::optional<std::int64_t> sequence) {
  ingest::PublishEnd end;
  end.mediaServerId = server.id;
  end.streamKey = std::string(streamKey);
  end.protocol = std::move(protocol);
  end.sequence = sequence;
  return deps.ingest->onPublishEnded(end);
}

http::Response zlmOnPublish(ApiDeps& deps, const http::Request& request, const MediaServer& server) {
  auto publish = parseZlmPublish(request.body());
  if (!publish.ok()) return errorFor(publish.status());
  ingest::PublishRequest req;
  req.app = std::move(publish->app);
  req.streamKey = std::move(publish->stream);
  req.pushToken = ingest::extractPushToken(publish->params);
  req.remoteAddress = std::move(publish->ip);
  req.protocol = registrationSchemaFor(publish->schema);
  req.sequence = publish->meta.hookIndex;
  req.nodeResumesStreams = true;
  return zlmAnswer(authorize(deps, request, server, std::move(req)));
}

http::Response zlmOnStreamChanged(ApiDeps& deps, const http::Request& request, const MediaServer& server) {
  auto event = parseZlmStreamChanged(request.body());
  if (!event.ok()) return errorFor(event.status());
  // A registration means nothing new: the publish was marked STARTED when it was authorized.
  if (event->regist != false || !mayEndPublish(event->schema)) return zlmAnswer(Status::ok());
  return zlmAnswer(ended(deps, server, event->stream, event->schema, event->meta.hookIndex));
}

http::Response zlmOnServerStarted(ApiDeps& deps, const http::Request& request, const MediaServer& server) {
  // The body holds the node's whole configuration, secrets included: only
  // the keepalive interval is taken from it, and nothing of it is logged.
  auto started = parseZlmServerStarted(request.body());
  if (!started.ok()) return errorFor(started.status());
  NodeContact contact;
  contact.heartbeat = true;
  contact.started = true;
  contact.hookIndex = started->meta.hookIndex;
  contact.keepaliveIntervalMs = started->keepaliveIntervalMs;
  return zlmAnswer(deps.nodes.heard(server, contact));
}

http::Response zlmOnServerKeepalive(ApiDeps& deps, const http::Request& request, const MediaServer& server) {
  auto keepalive = parseZlmKeepalive(request.body());
  if (!keepalive.ok()) return errorFor(keepalive.status());
  NodeContact contact;
  contact.heartbeat = true;
  contact.hookIndex = keepalive->meta.hookIndex;
  if (Status s = deps.nodes.heard(server, contact); !s.isOk()) return zlmAnswer(s);
  // No stream at all on the node: any stream still STARTED there lost its end report.
  if (keepalive->mediaSources == 0) return zlmAnswer(deps.nodes.reportsNoStreams(server));
  return zlmAnswer(Status::ok());
}

http::Response zlmOnServerExited(ApiDeps& deps, const http::Request&, const MediaServer& server) {
  return zlmAnswer(deps.nodes.exited(server));
}

http::Response zlmOnStreamNotFound(ApiDeps& deps, const http::Request& request, const MediaServer& server) {
  auto ref = parseZlmStreamRef(request.body());
  if (!ref.ok()) return errorFor(ref.status());
  // A player asks for a stream the node does not have. LunarStream never
  // pulls from elsewhere: the player waits only while the stream is live
  // here (its registration may be a moment behind the publish), else it is
  // closed at once instead of after max_stream_wait_ms.
  auto live = deps.nodes.isLiveOn(server, ref->stream);
  if (!live.ok()) return zlmAnswer(live.status());
  return zlmAnswer(Status::ok(), {{"close", !*live}});
}

http::Response zlmOnStreamNoneReader(ApiDeps&, const http::Request& request, const MediaServer&) {
  auto ref = parseZlmStreamRef(request.body());
  if (!ref.ok()) return errorFor(ref.status());
  // A broadcast with nobody watching stays up: closing it would cut the publisher.
  return zlmAnswer(Status::ok(), {{"close", false}});
}

// MediaMTX: 2xx allows, anything else denies; it does not retry.
using MediaMtxFn = http::Response (*)(ApiDeps&, const http::Request&, const MediaServer&);

http::Handler mediaMtxHook(ApiDeps& deps, MediaMtxFn fn) {
  return [&deps, fn](const http::Request& request) -> http::Response {
    auto server = authenticateHookCall(deps, request, MediaServerType::kMediaMtx, {});
    if (!server.ok()) return errorFor(server.status());
    if (Status s = deps.nodes.heard(*server, {}); !s.isOk()) return errorFor(s);
    return fn(deps, request, *server);
  };
}

// LunarStream's own calls to the node's Control API (Basic auth, user
// "lunarstream", the server's API secret) come back here as action "api".
bool isLunarStreamApiCall(const MediaServer& server, const MediaMtxAuth& auth) {
  return !server.apiSecret.empty() && auth.user == "lunarstream" && constantTimeEquals(auth.password, server.apiSecret);
}

http::Response mediamtxAuth(ApiDeps& deps, const http::Request& request, const MediaServer& server) {
  auto auth = parseMediaMtxAuth(request.body());
  if (!auth.ok()) return errorFor(auth.status());
  if (auth->action == "read" || auth->action == "playback") return http::Response::empty(204);
  if (auth->action == "api" || auth->action == "metrics" || auth->action == "pprof") {
    if (isLunarStreamApiCall(server, *auth)) return http::Response::empty(204);
    const Status denied(Code::kUnauthenticated,
                        "the " + auth->action + " action is allowed only with LunarStream's API credentials");
    logRefusedHook(request, server, denied);
    return errorFor(denied);
  }
  if (auth->action != "publish") {
    const Status denied(Code::kUnauthenticated, "unknown action '" + auth->action.substr(0, 32) + "'");
    logRefusedHook(request, server, denied);
    return errorFor(denied);
  }
  ingest::PublishRequest req;
  req.app = std::move(auth->app);
  req.streamKey = std::move(auth->streamKey);
  req.pushToken = ingest::extractPushToken(auth->query);
  req.remoteAddress = std::move(auth->ip);
  req.protocol = std::move(auth->protocol);
  const Status s = authorize(deps, request, server, std::move(req));
  if (s.isOk()) return http::Response::empty(204);
  return errorFor(s.code() == Code::kUnavailable ? s : Status(Code::kUnauthenticated, s.message()));
}

http::Response mediamtxReady(ApiDeps& deps, const http::Request& request, const MediaServer& server) {
  auto event = parseMediaMtxPathEvent(request.body(), request.query("path").value_or(""));
  if (!event.ok()) return errorFor(event.status());
  if (Status s = deps.nodes.confirmLive(server, event->streamKey); !s.isOk()) return errorFor(s);
  return http::Response::empty(204);
}

http::Response mediamtxNotReady(ApiDeps& deps, const http::Request& request, const MediaServer& server) {
  auto event = parseMediaMtxPathEvent(request.body(), request.query("path").value_or(""));
  if (!event.ok()) return errorFor(event.status());
  if (Status s = ended(deps, server, event->streamKey, {}, std::nullopt); !s.isOk()) return errorFor(s);
  return http::Response::empty(204);
}

}  // namespace

void registerHookRoutes(http::Router& router, ApiDeps& deps) {
  using M = http::Method;
  const auto zlm = [&](std::string_view name, ZlmFn fn, Contact contact = Contact::kRecord) {
    router.add(M::kPost, "/api/v1/hooks/zlmediakit/" + std::string(name), zlmHook(deps, fn, contact),
               http::Runs::kOnWorkers);
  };
  zlm("on_publish", zlmOnPublish);
  zlm("on_stream_changed", zlmOnStreamChanged);
  zlm("on_server_started", zlmOnServerStarted, Contact::kHandlerRecords);
  zlm("on_server_keepalive", zlmOnServerKeepalive, Contact::kHandlerRecords);
  zlm("on_server_exited", zlmOnServerExited, Contact::kHandlerRecords);
  zlm("on_stream_not_found", zlmOnStreamNotFound);
  zlm("on_stream_none_reader", zlmOnStreamNoneReader);
  // The seed product's documented on_publish URL.
  router.add(M::kPost, "/api/v1/push-auth", zlmHook(deps, zlmOnPublish), http::Runs::kOnWorkers);
  router.add(M::kPost, "/api/v1/hooks/mediamtx/auth", mediaMtxHook(deps, mediamtxAuth), http::Runs::kOnWorkers);
  router.add(M::kPost, "/api/v1/hooks/mediamtx/ready", mediaMtxHook(deps, mediamtxReady), http::Runs::kOnWorkers);
  router.add(M::kPost, "/api/v1/hooks/mediamtx/not-ready", mediaMtxHook(deps, mediamtxNotReady),
             http::Runs::kOnWorkers);
}

}  // namespace ls::api
