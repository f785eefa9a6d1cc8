#include "api/admin_media_server_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <utility>

#include "api/admin_bodies.hpp"
#include "api/body_reader.hpp"
#include "api/envelope.hpp"
#include "api/livestream_json.hpp"

namespace ls::api {

namespace {

using control::Principal;

Actor actorOf(const Principal& p) { return Actor{ActorType::kUser, p.userId, p.email}; }

Status requireSystemAdmin(const Principal& principal) {
  if (principal.isAdmin) return Status::ok();
  return Status(Code::kPermissionDenied, "user may not manage media servers");
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

std::string_view healthName(control::CdnHealth::State state) {
  switch (state) {
    case control::CdnHealth::State::kUp: return "up";
    case control::CdnHealth::State::kDown: return "down";
    case control::CdnHealth::State::kUnknown: return "unknown";
  }
  return "unknown";
}

// Each CDN's measured health beside its mode (docs/steering.md), when this
// process steers.
void addCdnHealth(boost::json::object& o, const MediaServer& server, const control::SteeringState* steering) {
  if (steering == nullptr) return;
  const std::vector<control::CdnHealthView> views = steering->views();
  boost::json::array* cdns = o["cdns"].if_array();
  if (cdns == nullptr) return;
  for (boost::json::value& item : *cdns) {
    boost::json::object* cdn = item.if_object();
    if (cdn == nullptr) continue;
    const boost::json::value* name = cdn->if_contains("name");
    for (const control::CdnHealthView& v : views) {
      if (v.serverId != server.id || name == nullptr || !name->is_string() || v.cdn != name->get_string()) continue;
      boost::json::object health{{"state", healthName(v.health.state)}, {"rank", v.rank}};
      health["latencyMs"] = v.health.latencyMs >= 0 ? boost::json::value(v.health.latencyMs) : nullptr;
      health["problem"] = v.health.problem.empty() ? boost::json::value(nullptr) : boost::json::value(v.health.problem);
      (*cdn)["health"] = std::move(health);
    }
  }
}

boost::json::object serverJson(const control::NodeView& view, const control::SteeringState* steering = nullptr) {
  boost::json::object o = mediaServerJson(view);
  o["status"] = lower(toString(view.status));  // the console's spelling: online, offline, unknown
  addCdnHealth(o, view.server, steering);
  return o;
}

Result<control::NodeView> findView(AdminDeps& deps, std::string_view id) {
  if (Status s = requireUuidParam(id); !s.isOk()) return s;
  auto views = deps.api.nodes.list();
  if (!views.ok()) return views.status();
  for (control::NodeView& view : *views) {
    if (view.server.id == id) return std::move(view);
  }
  return notFound("Media server not found");
}

http::Response listServers(AdminDeps& deps, const http::Request&, const Principal&) {
  auto views = deps.api.nodes.list();
  if (!views.ok()) return errorFor(views.status());
  boost::json::array items;
  items.reserve(views->size());
  for (const control::NodeView& view : *views) items.emplace_back(serverJson(view, deps.api.steering));
  const auto n = static_cast<std::int64_t>(items.size());
  return pageResponse(std::move(items), 1, n == 0 ? 1 : n, n);
}

http::Response health(AdminDeps& deps, const http::Request& request, const Principal&) {
  auto view = findView(deps, request.param("id"));
  if (!view.ok()) return errorFor(view.status());
  const NodeLiveness& l = view->server.liveness;
  boost::json::object o{{"id", view->server.id},
                        {"status", lower(toString(view->status))},
                        {"liveStreams", view->liveStreams}};
  o["lastSeenAt"] = l.lastSeenAt ? boost::json::value(formatIso8601(*l.lastSeenAt)) : boost::json::value(nullptr);
  o["heartbeatAt"] = l.heartbeatAt ? boost::json::value(formatIso8601(*l.heartbeatAt)) : boost::json::value(nullptr);
  o["offlineSince"] =
      l.offlineSince ? boost::json::value(formatIso8601(*l.offlineSince)) : boost::json::value(nullptr);
  return dataResponse(200, std::move(o));
}

http::Response addServer(AdminDeps& deps, const http::Request& request, const Principal& principal) {
  if (Status s = requireSystemAdmin(principal); !s.isOk()) return errorFor(s);
  auto json = parseJsonObject(request);
  if (!json.ok()) return errorFor(json.status());
  auto input = parseMediaServerBody(*json, nullptr);
  if (!input.ok()) return errorFor(input.status());
  auto added = deps.api.mediaServers.add(*input, actorOf(principal));
  if (!added.ok()) return errorFor(added.status());
  boost::json::object data = serverJson(control::NodeView{added->server, NodeStatus::kUnknown, 0});
  if (!added->hookSecret.empty()) data["hookSecret"] = added->hookSecret;
  return dataResponse(201, std::move(data));
}

http::Response updateServer(AdminDeps& deps, const http::Request& request, const Principal& principal) {
  if (Status s = requireSystemAdmin(principal); !s.isOk()) return errorFor(s);
  auto view = findView(deps, request.param("id"));
  if (!view.ok()) return errorFor(view.status());
  auto json = parseJsonObject(request);
  if (!json.ok()) return errorFor(json.status());
  const control::MediaServerInput base = control::inputOf(view->server);
  auto input = parseMediaServerBody(*json, &base);
  if (!input.ok()) return errorFor(input.status());
  auto updated = deps.api.mediaServers.update(view->server.id, *input, actorOf(principal));
  if (!updated.ok()) return errorFor(updated.status());
  return dataResponse(200, serverJson(control::NodeView{*updated, view->status, view->liveStreams}, deps.api.steering));
}

// PUT /api/v1/admin/media-servers/:id/cdns/:name/steering {"mode": "auto"|"pin"|"drain"}
http::Response setCdnSteering(AdminDeps& deps, const http::Request& request, const Principal& principal) {
  if (Status s = requireSystemAdmin(principal); !s.isOk()) return errorFor(s);
  auto view = findView(deps, request.param("id"));
  if (!view.ok()) return errorFor(view.status());
  auto json = parseJsonObject(request);
  if (!json.ok()) return errorFor(json.status());
  auto mode = parseCdnSteeringBody(*json);
  if (!mode.ok()) return errorFor(mode.status());
  auto updated = deps.api.mediaServers.setCdnSteering(view->server.id, request.param("name"), *mode, actorOf(principal));
  if (!updated.ok()) return errorFor(updated.status());
  return dataResponse(200, serverJson(control::NodeView{*updated, view->status, view->liveStreams}, deps.api.steering));
}

http::Response removeServer(AdminDeps& deps, const http::Request& request, const Principal& principal) {
  if (Status s = requireSystemAdmin(principal); !s.isOk()) return errorFor(s);
  const std::string_view id = request.param("id");
  if (Status s = requireUuidParam(id); !s.isOk()) return errorFor(s);
  if (Status s = deps.api.mediaServers.remove(id, actorOf(principal)); !s.isOk()) return errorFor(s);
  return dataResponse(200, boost::json::object{{"id", std::string(id)}});
}

}  // namespace

void registerAdminMediaServerRoutes(http::Router& router, AdminDeps& deps) {
  using M = http::Method;
  constexpr auto kWorkers = http::Runs::kOnWorkers;
  router.add(M::kGet, "/api/v1/admin/media-servers", adminEndpoint(deps, listServers), kWorkers);
  router.add(M::kPost, "/api/v1/admin/media-servers", adminEndpoint(deps, addServer), kWorkers);
  router.add(M::kGet, "/api/v1/admin/media-servers/:id/health", adminEndpoint(deps, health), kWorkers);
  router.add(M::kPatch, "/api/v1/admin/media-servers/:id", adminEndpoint(deps, updateServer), kWorkers);
  router.add(M::kDelete, "/api/v1/admin/media-servers/:id", adminEndpoint(deps, removeServer), kWorkers);
  router.add(M::kPut, "/api/v1/admin/media-servers/:id/cdns/:name/steering", adminEndpoint(deps, setCdnSteering),
             kWorkers);
}

}  // namespace ls::api
