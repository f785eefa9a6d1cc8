// The administration API's media-server routes (docs/admin-api-resources.md):
//   GET    /api/v1/admin/media-servers             every server, no secrets, status online/offline/unknown, liveStreams
//   GET    /api/v1/admin/media-servers/:id/health  its status, when last heard from, live streams
//   POST   /api/v1/admin/media-servers             (isAdmin) -> the server (+ hookSecret once for external ones)
//   PATCH  /api/v1/admin/media-servers/:id         (isAdmin) the fields given
//   DELETE /api/v1/admin/media-servers/:id         (isAdmin) one that no livestream uses
// Media servers are global (no team): any signed-in user reads, only a
// system administrator changes them (403 "user may not manage media
// servers"). Changes go through MediaServerService with the user as actor.
#pragma once

#include "api/admin_project_routes.hpp"
#include "http/router.hpp"

namespace ls::api {

void registerAdminMediaServerRoutes(http::Router& router, AdminDeps& deps);

}  // namespace ls::api
