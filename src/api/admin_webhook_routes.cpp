#include "api/admin_webhook_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <string>
#include <utility>
#include <vector>

#include "api/admin_access.hpp"
#include "api/auth_routes.hpp"
#include "api/body_reader.hpp"
#include "api/envelope.hpp"
#include "api/webhook_bodies.hpp"
#include "api/webhook_json.hpp"
#include "core/time.hpp"

namespace ls::api {

namespace {

using control::Principal;
using control::TeamAction;

Actor actorOf(const Principal& p) {
  return Actor{ActorType::kUser, p.userId, p.email};
}

std::string projectNotFound(std::string_view id) {
  return "project " + std::string(id) + " not found";
}
std::string webhookNotFound(std::string_view id) {
  return "webhook " + std::string(id) + " not found";
}

// The project :id when `principal` may do `action` in its team.
Result<Project> authorizedProject(WebhookRouteDeps& deps, const Principal& principal, std::string_view id,
                                  TeamAction action) {
  if (Status s = requireUuidParam(id); !s.isOk()) return s;
  auto project = deps.admin.api.projects.get(id);
  if (!project.ok()) return project.status();
  LS_RETURN_IF_ERROR(checkTeamAction(deps.admin, principal, project->teamId, action, projectNotFound(id)));
  return project;
}

// The endpoint :id when `principal` may do `action` in its project's team;
// another team's endpoint is a plain 404.
Result<WebhookEndpoint> authorizedEndpoint(WebhookRouteDeps& deps, const Principal& principal, std::string_view id,
                                           TeamAction action) {
  if (Status s = requireUuidParam(id); !s.isOk()) return s;
  auto endpoint = deps.webhooks.get(id);
  if (!endpoint.ok()) return endpoint.status();
  auto project = deps.admin.api.projects.get(endpoint->projectId);
  if (!project.ok()) return notFound(webhookNotFound(id));
  LS_RETURN_IF_ERROR(checkTeamAction(deps.admin, principal, project->teamId, action, webhookNotFound(id)));
  return endpoint;
}

struct PageQuery {
  std::int64_t page = 1;
  std::int64_t limit = 20;
};
Result<PageQuery> pageQuery(const http::Request& request) {
  Validator v;
  PageQuery q;
  q.page = v.queryInteger(request, "page", 1, 1'000'000).value_or(1);
  q.limit = v.queryInteger(request, "limit", 1, control::kMaxWebhookPageLimit).value_or(20);
  if (!v.ok()) return v.status();
  return q;
}

// An endpoint's answer to create and update: with "warnings" (strings) only
// when there is something to say about its URL.
boost::json::object withWarnings(boost::json::object endpoint, const std::vector<std::string>& warnings) {
  if (warnings.empty()) return endpoint;
  boost::json::array list;
  for (const std::string& w : warnings) list.emplace_back(w);
  endpoint["warnings"] = std::move(list);
  return endpoint;
}

http::Response pageOf(boost::json::array items, const PageQuery& q) {
  boost::json::object meta{{"page", q.page}, {"limit", q.limit}};
  return dataResponse(200, std::move(items), boost::json::object{{"pagination", std::move(meta)}});
}

http::Response listEndpoints(WebhookRouteDeps& deps, const http::Request& request, const Principal& principal) {
  auto project = authorizedProject(deps, principal, request.param("id"), TeamAction::kViewWebhooks);
  if (!project.ok()) return errorFor(project.status());
  auto list = deps.webhooks.list(project->id);
  if (!list.ok()) return errorFor(list.status());
  const UnixMillis now = deps.admin.api.clock.now();
  boost::json::array items;
  items.reserve(list->size());
  for (const WebhookEndpoint& e : *list) items.emplace_back(endpointJson(e, now));
  return dataResponse(200, std::move(items));
}

http::Response createEndpoint(WebhookRouteDeps& deps, const http::Request& request, const Principal& principal) {
  auto project = authorizedProject(deps, principal, request.param("id"), TeamAction::kManageWebhooks);
  if (!project.ok()) return errorFor(project.status());
  auto json = parseJsonObject(request);
  if (!json.ok()) return errorFor(json.status());
  auto body = parseCreateWebhookBody(*json);
  if (!body.ok()) return errorFor(body.status());
  auto created = deps.webhooks.add(project->id, *body, actorOf(principal));
  if (!created.ok()) return errorFor(created.status());
  return dataResponse(
      201, withWarnings(endpointJsonWithSecret(*created, deps.admin.api.clock.now()), deps.webhooks.warnings(*created)));
}

http::Response listEvents(WebhookRouteDeps& deps, const http::Request& request, const Principal& principal) {
  auto project = authorizedProject(deps, principal, request.param("id"), TeamAction::kViewWebhooks);
  if (!project.ok()) return errorFor(project.status());
  auto q = pageQuery(request);
  if (!q.ok()) return errorFor(q.status());
  auto events = deps.webhooks.events(project->id, q->page, q->limit);
  if (!events.ok()) return errorFor(events.status());
  boost::json::array items;
  items.reserve(events->size());
  for (const WebhookEvent& e : *events) items.emplace_back(eventJson(e));
  return pageOf(std::move(items), *q);
}

http::Response getEndpoint(WebhookRouteDeps& deps, const http::Request& request, const Principal& principal) {
  auto endpoint = authorizedEndpoint(deps, principal, request.param("id"), TeamAction::kViewWebhooks);
  if (!endpoint.ok()) return errorFor(endpoint.status());
  return dataResponse(200, endpointJson(*endpoint, deps.admin.api.clock.now()));
}

http::Response updateEndpoint(WebhookRouteDeps& deps, const http::Request& request, const Principal& principal) {
  auto endpoint = authorizedEndpoint(deps, principal, request.param("id"), TeamAction::kManageWebhooks);
  if (!endpoint.ok()) return errorFor(endpoint.status());
  auto json = parseJsonObject(request);
  if (!json.ok()) return errorFor(json.status());
  auto patch = parseUpdateWebhookBody(*json);
  if (!patch.ok()) return errorFor(patch.status());
  auto updated = deps.webhooks.update(endpoint->id, *patch, actorOf(principal));
  if (!updated.ok()) return errorFor(updated.status());
  return dataResponse(200,
                      withWarnings(endpointJson(*updated, deps.admin.api.clock.now()), deps.webhooks.warnings(*updated)));
}

http::Response deleteEndpoint(WebhookRouteDeps& deps, const http::Request& request, const Principal& principal) {
  auto endpoint = authorizedEndpoint(deps, principal, request.param("id"), TeamAction::kManageWebhooks);
  if (!endpoint.ok()) return errorFor(endpoint.status());
  auto removed = deps.webhooks.remove(endpoint->id, actorOf(principal));
  if (!removed.ok()) return errorFor(removed.status());
  return dataResponse(200, boost::json::object{{"id", removed->id}});
}

http::Response rotateSecret(WebhookRouteDeps& deps, const http::Request& request, const Principal& principal) {
  auto endpoint = authorizedEndpoint(deps, principal, request.param("id"), TeamAction::kManageWebhooks);
  if (!endpoint.ok()) return errorFor(endpoint.status());
  auto json = parseJsonObject(request);
  if (!json.ok()) return errorFor(json.status());
  auto overlap = parseRotateWebhookSecretBody(*json);
  if (!overlap.ok()) return errorFor(overlap.status());
  auto rotated = deps.webhooks.rotateSecret(endpoint->id, *overlap, actorOf(principal));
  if (!rotated.ok()) return errorFor(rotated.status());
  return dataResponse(200, endpointJsonWithSecret(*rotated, deps.admin.api.clock.now()));
}

http::Response listAttempts(WebhookRouteDeps& deps, const http::Request& request, const Principal& principal) {
  auto endpoint = authorizedEndpoint(deps, principal, request.param("id"), TeamAction::kViewWebhooks);
  if (!endpoint.ok()) return errorFor(endpoint.status());
  auto q = pageQuery(request);
  if (!q.ok()) return errorFor(q.status());
  auto attempts = deps.webhooks.attempts(endpoint->id, q->page, q->limit);
  if (!attempts.ok()) return errorFor(attempts.status());
  boost::json::array items;
  items.reserve(attempts->size());
  for (const WebhookAttempt& a : *attempts) items.emplace_back(attemptJson(a));
  return pageOf(std::move(items), *q);
}

http::Response resendEvent(WebhookRouteDeps& deps, const http::Request& request, const Principal& principal) {
  auto endpoint = authorizedEndpoint(deps, principal, request.param("id"), TeamAction::kManageWebhooks);
  if (!endpoint.ok()) return errorFor(endpoint.status());
  const std::string_view eventId = request.param("eventId");
  if (eventId.size() > 64) return errorFor(notFound("webhook event not found"));
  auto delivery = deps.webhooks.resend(endpoint->id, eventId, actorOf(principal));
  if (!delivery.ok()) return errorFor(delivery.status());
  return dataResponse(202, deliveryJson(*delivery));
}

http::Response sendTest(WebhookRouteDeps& deps, const http::Request& request, const Principal& principal) {
  auto endpoint = authorizedEndpoint(deps, principal, request.param("id"), TeamAction::kManageWebhooks);
  if (!endpoint.ok()) return errorFor(endpoint.status());
  auto delivery = deps.webhooks.sendTest(endpoint->id, actorOf(principal));
  if (!delivery.ok()) return errorFor(delivery.status());
  return dataResponse(202, deliveryJson(*delivery));
}

using Handler = http::Response (*)(WebhookRouteDeps&, const http::Request&, const Principal&);

http::Handler bind(WebhookRouteDeps& deps, Handler fn) {
  return principalEndpoint(deps.admin.sessions, deps.admin.api.clock,
                           [&deps, fn](const http::Request& r, const Principal& p) { return fn(deps, r, p); });
}

}  // namespace

void registerAdminWebhookRoutes(http::Router& router, WebhookRouteDeps& deps) {
  using M = http::Method;
  constexpr auto kWorkers = http::Runs::kOnWorkers;
  router.add(M::kGet, "/api/v1/admin/projects/:id/webhooks", bind(deps, listEndpoints), kWorkers);
  router.add(M::kPost, "/api/v1/admin/projects/:id/webhooks", bind(deps, createEndpoint), kWorkers);
  router.add(M::kGet, "/api/v1/admin/projects/:id/webhook-events", bind(deps, listEvents), kWorkers);
  router.add(M::kGet, "/api/v1/admin/webhooks/:id", bind(deps, getEndpoint), kWorkers);
  router.add(M::kPatch, "/api/v1/admin/webhooks/:id", bind(deps, updateEndpoint), kWorkers);
  router.add(M::kDelete, "/api/v1/admin/webhooks/:id", bind(deps, deleteEndpoint), kWorkers);
  router.add(M::kPost, "/api/v1/admin/webhooks/:id/rotate-secret", bind(deps, rotateSecret), kWorkers);
  router.add(M::kGet, "/api/v1/admin/webhooks/:id/attempts", bind(deps, listAttempts), kWorkers);
  router.add(M::kPost, "/api/v1/admin/webhooks/:id/events/:eventId/resend", bind(deps, resendEvent), kWorkers);
  router.add(M::kPost, "/api/v1/admin/webhooks/:id/test", bind(deps, sendTest), kWorkers);
}

}  // namespace ls::api
