#include "api/admin_livestream_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <utility>

#include "api/admin_bodies.hpp"
#include "api/body_reader.hpp"
#include "api/envelope.hpp"
#include "api/livestream_json.hpp"
#include "api/livestream_routes.hpp"

namespace ls::api {

namespace {

using control::Principal;
using control::TeamAction;

Actor actorOf(const Principal& p) { return Actor{ActorType::kUser, p.userId, p.email}; }

// The livestream :id and its project when `principal` may do `action` there.
struct Owned {
  Livestream livestream;
  Project project;
};
Result<Owned> authorizedLivestream(AdminDeps& deps, const Principal& principal, std::string_view id,
                                   TeamAction action) {
  if (Status s = requireUuidParam(id); !s.isOk()) return s;
  auto livestream = deps.api.livestreams.find(id);
  if (!livestream.ok()) return livestream.status();
  auto project = deps.api.projects.get(livestream->projectId);
  if (!project.ok()) return notFound("Livestream not found");
  if (Status s = checkTeamAction(deps, principal, project->teamId, action, "Livestream not found"); !s.isOk()) {
    return s;
  }
  return Owned{std::move(*livestream), std::move(*project)};
}

http::Response record(AdminDeps& deps, int status, const Result<control::LivestreamRecord>& r, Secrets secrets) {
  if (!r.ok()) return errorFor(r.status());
  return dataResponse(status, livestreamJson(*r, deps.api.apiBaseUrl, secrets, deps.api.llHls));
}

// The projects a list covers: one (projectId), a team's (teamId), or every
// project of every team the caller may view (all for isAdmin).
Result<std::vector<std::string>> listedProjects(AdminDeps& deps, const Principal& principal,
                                                const std::optional<std::string>& teamId,
                                                const std::optional<std::string>& projectId) {
  std::vector<std::string> ids;
  if (projectId) {
    auto project = deps.api.projects.get(*projectId);
    if (!project.ok()) return project.status();
    LS_RETURN_IF_ERROR(checkTeamAction(deps, principal, project->teamId, TeamAction::kViewLivestreams,
                                       "project " + *projectId + " not found"));
    if (!teamId || *teamId == project->teamId) ids.push_back(project->id);
    return ids;
  }
  std::vector<Project> projects;
  if (teamId) {
    LS_RETURN_IF_ERROR(
        checkTeamAction(deps, principal, *teamId, TeamAction::kViewLivestreams, "team " + *teamId + " not found"));
    auto list = deps.api.projects.listOfTeam(*teamId);
    if (!list.ok()) return list.status();
    projects = std::move(*list);
  } else if (principal.isAdmin) {
    auto list = deps.api.projects.list();
    if (!list.ok()) return list.status();
    projects = std::move(*list);
  } else {
    auto teams = teamsOf(deps, principal.userId);
    if (!teams.ok()) return teams.status();
    for (const std::string& team : *teams) {
      if (!checkTeamAction(deps, principal, team, TeamAction::kViewLivestreams, "").isOk()) continue;
      auto list = deps.api.projects.listOfTeam(team);
      if (!list.ok()) return list.status();
      for (Project& p : *list) projects.push_back(std::move(p));
    }
  }
  ids.reserve(projects.size());
  for (const Project& p : projects) ids.push_back(p.id);
  return ids;
}

http::Response listLivestreams(AdminDeps& deps, const http::Request& request, const Principal& principal) {
  Validator v;
  auto teamId = v.queryUuid(request, "teamId");
  auto projectId = v.queryUuid(request, "projectId");
  control::ListLivestreamsInput input = readListLivestreamsQuery(v, request, 20);
  if (!v.ok()) return errorFor(v.status());
  auto ids = listedProjects(deps, principal, teamId, projectId);
  if (!ids.ok()) return errorFor(ids.status());
  auto page = deps.api.livestreams.listOfProjects(std::move(*ids), input);
  if (!page.ok()) return errorFor(page.status());
  boost::json::array items;
  items.reserve(page->items.size());
  for (const control::LivestreamRecord& r : page->items) {
    items.emplace_back(livestreamJson(r, deps.api.apiBaseUrl, Secrets::kOmit, deps.api.llHls));
  }
  return pageResponse(std::move(items), input.page, input.limit, page->total);
}

http::Response createLivestream(AdminDeps& deps, const http::Request& request, const Principal& principal) {
  const std::string_view id = request.param("id");
  if (Status s = requireUuidParam(id); !s.isOk()) return errorFor(s);
  auto project = deps.api.projects.get(id);
  if (!project.ok()) return errorFor(project.status());
  if (Status s = checkTeamAction(deps, principal, project->teamId, TeamAction::kCreateLivestream,
                                 "project " + std::string(id) + " not found");
      !s.isOk()) {
    return errorFor(s);
  }
  auto json = parseJsonObject(request);
  if (!json.ok()) return errorFor(json.status());
  auto body = parseAdminCreateLivestreamBody(*json);
  if (!body.ok()) return errorFor(body.status());
  std::string server = body->mediaServerId.value_or("");
  if (server.empty()) {
    auto available = deps.api.nodes.availableTo(project->id);  // ONLINE first
    if (!available.ok()) return errorFor(available.status());
    if (available->empty()) return errorFor(Status(Code::kConflict, "no media server is available to this project"));
    server = available->front().server.id;
  }
  return record(deps, 201,
                deps.api.livestreams.create(*project, {body->name, server, body->expiresIn}, actorOf(principal)),
                Secrets::kInclude);
}

http::Response getLivestream(AdminDeps& deps, const http::Request& request, const Principal& principal) {
  auto owned = authorizedLivestream(deps, principal, request.param("id"), TeamAction::kViewLivestreams);
  if (!owned.ok()) return errorFor(owned.status());
  return record(deps, 200, deps.api.livestreams.get(owned->project, owned->livestream.id), Secrets::kOmit);
}

http::Response renameLivestream(AdminDeps& deps, const http::Request& request, const Principal& principal) {
  auto owned = authorizedLivestream(deps, principal, request.param("id"), TeamAction::kUpdateLivestream);
  if (!owned.ok()) return errorFor(owned.status());
  auto json = parseJsonObject(request);
  if (!json.ok()) return errorFor(json.status());
  auto name = parseAdminRenameLivestreamBody(*json);
  if (!name.ok()) return errorFor(name.status());
  return record(deps, 200,
                deps.api.livestreams.rename(owned->project, owned->livestream.id, *name, actorOf(principal)),
                Secrets::kOmit);
}

http::Response pushToken(AdminDeps& deps, const http::Request& request, const Principal& principal) {
  auto owned = authorizedLivestream(deps, principal, request.param("id"), TeamAction::kRegeneratePushToken);
  if (!owned.ok()) return errorFor(owned.status());
  auto json = parseJsonObject(request);
  if (!json.ok()) return errorFor(json.status());
  auto expiresIn = parseAdminPushTokenBody(*json);
  if (!expiresIn.ok()) return errorFor(expiresIn.status());
  control::TokenTarget target;
  target.id = owned->livestream.id;
  return record(deps, 201, deps.api.livestreams.issueToken(owned->project, target, *expiresIn, actorOf(principal)),
                Secrets::kInclude);
}

http::Response deleteLivestream(AdminDeps& deps, const http::Request& request, const Principal& principal) {
  auto owned = authorizedLivestream(deps, principal, request.param("id"), TeamAction::kDeleteLivestream);
  if (!owned.ok()) return errorFor(owned.status());
  auto removed = deps.api.livestreams.remove(owned->project, owned->livestream.id, actorOf(principal));
  if (!removed.ok()) return errorFor(removed.status());
  boost::json::object data{{"id", removed->livestream.id}};
  if (removed->publisher) {
    data["publisherCut"] = removed->publisher->cut;
    if (!removed->publisher->cut) data["publisherCutError"] = removed->publisher->problem;
  }
  return dataResponse(200, std::move(data));
}

}  // namespace

void registerAdminLivestreamRoutes(http::Router& router, AdminDeps& deps) {
  using M = http::Method;
  constexpr auto kWorkers = http::Runs::kOnWorkers;
  router.add(M::kGet, "/api/v1/admin/livestreams", adminEndpoint(deps, listLivestreams), kWorkers);
  router.add(M::kPost, "/api/v1/admin/projects/:id/livestreams", adminEndpoint(deps, createLivestream), kWorkers);
  router.add(M::kGet, "/api/v1/admin/livestreams/:id", adminEndpoint(deps, getLivestream), kWorkers);
  router.add(M::kPatch, "/api/v1/admin/livestreams/:id", adminEndpoint(deps, renameLivestream), kWorkers);
  router.add(M::kPost, "/api/v1/admin/livestreams/:id/push-token", adminEndpoint(deps, pushToken), kWorkers);
  router.add(M::kDelete, "/api/v1/admin/livestreams/:id", adminEndpoint(deps, deleteLivestream), kWorkers);
}

}  // namespace ls::api
