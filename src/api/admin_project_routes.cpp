#include "api/admin_project_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <utility>

#include "api/admin_access.hpp"
#include "api/admin_bodies.hpp"
#include "api/auth_routes.hpp"
#include "api/body_reader.hpp"
#include "api/envelope.hpp"
#include "api/usage_routes.hpp"
#include "core/time.hpp"

namespace ls::api {

namespace {

using control::Principal;
using control::TeamAction;

std::string projectNotFound(std::string_view id) { return "project " + std::string(id) + " not found"; }

Actor actorOf(const Principal& p) { return Actor{ActorType::kUser, p.userId, p.email}; }

boost::json::object projectJson(const Project& p) {
  boost::json::object o;
  o["id"] = p.id;
  o["teamId"] = p.teamId;
  o["name"] = p.name;
  o["abrEnabled"] = p.abrEnabled;
  if (p.rateLimit) {
    o["rateLimit"] = boost::json::object{{"perMinute", p.rateLimit->perMinute}, {"perHour", p.rateLimit->perHour}};
  } else {
    o["rateLimit"] = nullptr;
  }
  o["createdAt"] = formatIso8601(p.createdAt);
  return o;
}

// The project `request` names (:id) when `principal` may do `action` in it.
Result<Project> authorizedProject(const AdminDeps& deps, const Principal& principal, std::string_view id,
                                  TeamAction action) {
  if (Status s = requireUuidParam(id); !s.isOk()) return s;
  auto project = deps.api.projects.get(id);
  if (!project.ok()) return project.status();
  if (Status s = checkTeamAction(deps, principal, project->teamId, action, projectNotFound(id)); !s.isOk()) return s;
  return project;
}

http::Response listProjects(AdminDeps& deps, const http::Request& request, const Principal& principal) {
  Validator v;
  auto teamId = v.queryUuid(request, "teamId");
  if (!v.ok()) return errorFor(v.status());
  std::vector<Project> projects;
  if (teamId) {
    if (Status s = checkTeamAction(deps, principal, *teamId, TeamAction::kViewProjects,
                                   "team " + *teamId + " not found");
        !s.isOk()) {
      return errorFor(s);
    }
    auto list = deps.api.projects.listOfTeam(*teamId);
    if (!list.ok()) return errorFor(list.status());
    projects = std::move(*list);
  } else if (principal.isAdmin) {
    auto list = deps.api.projects.list();
    if (!list.ok()) return errorFor(list.status());
    projects = std::move(*list);
  } else {
    auto teams = teamsOf(deps, principal.userId);
    if (!teams.ok()) return errorFor(teams.status());
    for (const std::string& team : *teams) {
      if (checkTeamAction(deps, principal, team, TeamAction::kViewProjects, "").isOk()) {
        auto list = deps.api.projects.listOfTeam(team);
        if (!list.ok()) return errorFor(list.status());
        for (Project& p : *list) projects.push_back(std::move(p));
      }
    }
  }
  boost::json::array items;
  items.reserve(projects.size());
  for (const Project& p : projects) items.emplace_back(projectJson(p));
  return dataResponse(200, std::move(items));
}

http::Response createProject(AdminDeps& deps, const http::Request& request, const Principal& principal) {
  auto json = parseJsonObject(request);
  if (!json.ok()) return errorFor(json.status());
  auto body = parseCreateProjectBody(*json);
  if (!body.ok()) return errorFor(body.status());
  if (Status s = checkTeamAction(deps, principal, body->teamId, TeamAction::kCreateProject,
                                 "team " + body->teamId + " not found");
      !s.isOk()) {
    return errorFor(s);
  }
  auto created = deps.api.projects.createInTeam(body->teamId, body->name, body->abrEnabled, actorOf(principal));
  if (!created.ok()) return errorFor(created.status());
  boost::json::object data = projectJson(created->project);
  data["apiKey"] = created->apiKey;
  return dataResponse(201, std::move(data));
}

http::Response getProject(AdminDeps& deps, const http::Request& request, const Principal& principal) {
  auto project = authorizedProject(deps, principal, request.param("id"), TeamAction::kViewProjects);
  if (!project.ok()) return errorFor(project.status());
  return dataResponse(200, projectJson(*project));
}

http::Response updateProject(AdminDeps& deps, const http::Request& request, const Principal& principal) {
  auto project = authorizedProject(deps, principal, request.param("id"), TeamAction::kUpdateProject);
  if (!project.ok()) return errorFor(project.status());
  auto json = parseJsonObject(request);
  if (!json.ok()) return errorFor(json.status());
  auto body = parseUpdateProjectBody(*json);
  if (!body.ok()) return errorFor(body.status());
  const Actor actor = actorOf(principal);
  Project current = std::move(*project);
  if (body->name && *body->name != current.name) {
    auto renamed = deps.api.projects.rename(current.id, *body->name, actor);
    if (!renamed.ok()) return errorFor(renamed.status());
    current = std::move(*renamed);
  }
  if (body->abrEnabled && *body->abrEnabled != current.abrEnabled) {
    auto changed = deps.api.projects.setAbrEnabled(current.id, *body->abrEnabled, actor);
    if (!changed.ok()) return errorFor(changed.status());
    current = std::move(*changed);
  }
  if (body->setRateLimit && body->rateLimit != current.rateLimit) {
    auto changed = deps.api.projects.setRateLimit(current.id, body->rateLimit, actor);
    if (!changed.ok()) return errorFor(changed.status());
    current = std::move(*changed);
  }
  return dataResponse(200, projectJson(current));
}

http::Response deleteProject(AdminDeps& deps, const http::Request& request, const Principal& principal) {
  auto project = authorizedProject(deps, principal, request.param("id"), TeamAction::kDeleteProject);
  if (!project.ok()) return errorFor(project.status());
  auto removed = deps.api.projects.remove(project->id, deps.api.livestreams, actorOf(principal));
  if (!removed.ok()) return errorFor(removed.status());
  boost::json::object data{{"id", removed->project.id},
                           {"livestreamsDeleted", removed->livestreamsDeleted},
                           {"publishersCut", removed->publishersCut}};
  return dataResponse(200, std::move(data));
}

http::Response regenerateApiKey(AdminDeps& deps, const http::Request& request, const Principal& principal) {
  auto project = authorizedProject(deps, principal, request.param("id"), TeamAction::kRegenerateApiKey);
  if (!project.ok()) return errorFor(project.status());
  auto key = deps.api.projects.regenerateApiKey(project->id, actorOf(principal));
  if (!key.ok()) return errorFor(key.status());
  return dataResponse(200, boost::json::object{{"apiKey", *key}});
}

http::Handler bind(AdminDeps& deps, AdminHandler fn) { return adminEndpoint(deps, fn); }

}  // namespace

http::Handler adminEndpoint(AdminDeps& deps, AdminHandler fn) {
  return principalEndpoint(deps.sessions, deps.api.clock,
                           [&deps, fn](const http::Request& r, const Principal& p) { return fn(deps, r, p); });
}

Status checkTeamAction(const AdminDeps& deps, const Principal& principal, std::string_view teamId,
                       TeamAction action, std::string_view hiddenMessage) {
  Status s = requireTeamAction(principal, teamId, action, deps.store);
  if (s.code() == Code::kNotFound && s.message() == kTeamNotFound) return notFound(std::string(hiddenMessage));
  return s;
}

Result<std::vector<std::string>> teamsOf(const AdminDeps& deps, std::string_view userId) {
  auto teams = deps.store.listUserTeams(userId);
  if (!teams.ok()) return teams.status();
  std::vector<std::string> ids;
  ids.reserve(teams->size());
  for (const UserTeam& t : *teams) ids.push_back(t.team.id);
  return ids;
}

void registerAdminProjectRoutes(http::Router& router, AdminDeps& deps) {
  using M = http::Method;
  constexpr auto kWorkers = http::Runs::kOnWorkers;
  router.add(M::kGet, "/api/v1/admin/projects", bind(deps, listProjects), kWorkers);
  router.add(M::kPost, "/api/v1/admin/projects", bind(deps, createProject), kWorkers);
  router.add(M::kGet, "/api/v1/admin/projects/:id", bind(deps, getProject), kWorkers);
  router.add(M::kPatch, "/api/v1/admin/projects/:id", bind(deps, updateProject), kWorkers);
  router.add(M::kDelete, "/api/v1/admin/projects/:id", bind(deps, deleteProject), kWorkers);
  router.add(M::kPost, "/api/v1/admin/projects/:id/api-key", bind(deps, regenerateApiKey), kWorkers);
  registerUsageRoutes(router, deps.usage,
                      [&deps](const http::Request& request, std::string_view projectId) -> Result<std::string> {
                        auto principal = requirePrincipal(request, deps.sessions, deps.api.clock);
                        if (!principal.ok()) return principal.status();
                        auto project = authorizedProject(deps, *principal, projectId, TeamAction::kViewUsage);
                        if (!project.ok()) return project.status();
                        return project->id;
                      });
}

}  // namespace ls::api
