// The administration API's webhook routes (docs/admin-api-resources.md, "Webhooks"):
//   GET    /api/v1/admin/projects/:id/webhooks            the project's endpoints (view)
//   POST   /api/v1/admin/projects/:id/webhooks            {url, events?, description?, enabled?}
//                                                         -> 201 endpoint + secret, shown once (manage)
//   GET    /api/v1/admin/projects/:id/webhook-events      ?page=&limit=: the project's events, newest first (view)
//   GET    /api/v1/admin/webhooks/:id                     (view)
//   PATCH  /api/v1/admin/webhooks/:id                     {url?, events?, description?, enabled?} (manage)
//   DELETE /api/v1/admin/webhooks/:id                     (manage)
//   POST   /api/v1/admin/webhooks/:id/rotate-secret       {overlapSeconds?} -> endpoint + new secret (manage)
//   GET    /api/v1/admin/webhooks/:id/attempts            ?page=&limit=: the delivery log, newest first (view)
//   POST   /api/v1/admin/webhooks/:id/events/:eventId/resend  -> 202 delivery (manage)
//   POST   /api/v1/admin/webhooks/:id/test                -> 202 delivery of a webhook.test event (manage)
// (view = TeamAction::kViewWebhooks, manage = kManageWebhooks.)
// Every route authenticates the Bearer access token and asks the admin
// access gate about the owning project's team: 403 with the policy's
// message, 404 "webhook <id> not found" / "project <id> not found" for a team
// the caller is not in. Changes go through control::WebhookService with the
// user as the audit actor. A secret appears only in the answers of create and
// rotate-secret.
#pragma once

#include "api/admin_project_routes.hpp"
#include "control/webhook_service.hpp"
#include "http/router.hpp"

namespace ls::api {

struct WebhookRouteDeps {
  AdminDeps& admin;
  control::WebhookService& webhooks;
};

void registerAdminWebhookRoutes(http::Router& router, WebhookRouteDeps& deps);

}  // namespace ls::api
