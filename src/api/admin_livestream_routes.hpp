// The administration API's livestream routes (docs/admin-api-resources.md):
//   GET    /api/v1/admin/livestreams?teamId=&projectId=&status=&search=&page=&limit=
//          across the caller's teams (every team for isAdmin), newest first,
//          paginated, one Store query over the chosen projects; no push tokens
//   POST   /api/v1/admin/projects/:id/livestreams {name, mediaServerId?, expiresIn?}
//          -> the livestream with pushToken, rtmpServer, streamKeyWithToken, rtmpUrl
//   GET    /api/v1/admin/livestreams/:id
//   PATCH  /api/v1/admin/livestreams/:id {name}
//   POST   /api/v1/admin/livestreams/:id/push-token {expiresIn?} -> the livestream with its new token
//   DELETE /api/v1/admin/livestreams/:id (a live publisher is cut)
// A livestream's project's team decides (team_policy); outside it the
// answer is 404 "Livestream not found". Changes are audited with the user.
#pragma once

#include "api/admin_project_routes.hpp"
#include "http/router.hpp"

namespace ls::api {

void registerAdminLivestreamRoutes(http::Router& router, AdminDeps& deps);

}  // namespace ls::api
