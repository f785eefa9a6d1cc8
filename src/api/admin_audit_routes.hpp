// GET /api/v1/admin/audit-log?teamId=&page=&limit= (docs/admin-api-resources.md):
// newest first, {id, at, actor:{type, id, email?}, action, teamId, projectId?,
// target:{type, id}, details}. A team's log needs
// TeamAction::kViewAuditLog in it (admins and owners); without teamId only a
// system administrator reads (every team's and the global rows).
#pragma once

#include "api/admin_project_routes.hpp"
#include "http/router.hpp"

namespace ls::api {

void registerAdminAuditRoutes(http::Router& router, AdminDeps& deps);

}  // namespace ls::api
