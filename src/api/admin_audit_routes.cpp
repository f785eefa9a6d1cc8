#include "api/admin_audit_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "api/body_reader.hpp"
#include "api/envelope.hpp"
#include "core/time.hpp"

namespace ls::api {

namespace {

boost::json::object entryJson(const AuditEntry& e) {
  boost::json::object actor{{"type", toString(e.actor.type)}, {"id", e.actor.id}};
  if (e.actor.type == ActorType::kUser && !e.actor.label.empty()) actor["email"] = e.actor.label;
  boost::json::object o;
  o["id"] = e.id;
  o["at"] = formatIso8601(e.at);
  o["actor"] = std::move(actor);
  o["action"] = e.action;
  o["teamId"] = e.teamId.empty() ? boost::json::value(nullptr) : boost::json::value(e.teamId);
  if (!e.projectId.empty()) o["projectId"] = e.projectId;
  o["target"] = boost::json::object{{"type", e.targetType}, {"id", e.targetId}};
  boost::system::error_code ec;
  boost::json::value details = boost::json::parse(e.detailsJson, ec);
  o["details"] = (!ec && details.is_object()) ? std::move(details) : boost::json::value(boost::json::object{});
  return o;
}

http::Response listAudit(AdminDeps& deps, const http::Request& request, const control::Principal& principal) {
  Validator v;
  auto teamId = v.queryUuid(request, "teamId");
  AuditQuery query;
  query.page = v.queryInteger(request, "page", 1, 1'000'000).value_or(1);
  query.limit = v.queryInteger(request, "limit", 1, 100).value_or(50);
  if (!teamId && !principal.isAdmin) v.fail("teamId is required");
  if (!v.ok()) return errorFor(v.status());
  if (teamId) {
    if (Status s = checkTeamAction(deps, principal, *teamId, control::TeamAction::kViewAuditLog,
                                   "team " + *teamId + " not found");
        !s.isOk()) {
      return errorFor(s);
    }
    query.teamId = *teamId;
  }
  auto page = deps.api.projects.auditLog(query);
  if (!page.ok()) return errorFor(page.status());
  boost::json::array items;
  items.reserve(page->items.size());
  for (const AuditEntry& e : page->items) items.emplace_back(entryJson(e));
  return pageResponse(std::move(items), query.page, query.limit, page->total);
}

}  // namespace

void registerAdminAuditRoutes(http::Router& router, AdminDeps& deps) {
  router.add(http::Method::kGet, "/api/v1/admin/audit-log", adminEndpoint(deps, listAudit), http::Runs::kOnWorkers);
}

}  // namespace ls::api
