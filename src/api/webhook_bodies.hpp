// Request bodies of the administration API's webhook routes (docs/webhooks
// contract, "Management"): strict like every admin body (unknown fields,
// wrong types and broken bounds are a 400 listing every problem), with the
// URL, event types and description checked by the same rules as the CLI
// (control/webhook_service.hpp).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>

#include "control/webhook_service.hpp"
#include "core/status.hpp"
#include "store/webhook_outbox.hpp"

namespace ls::api {

// POST /api/v1/admin/projects/:projectId/webhooks {url, events?, description?, enabled?}
Result<control::WebhookInput> parseCreateWebhookBody(const boost::json::object& body);

// PATCH /api/v1/admin/webhooks/:id {url?, events?, description?, enabled?}
Result<WebhookEndpointPatch> parseUpdateWebhookBody(const boost::json::object& body);

// POST /api/v1/admin/webhooks/:id/rotate-secret {overlapSeconds?} (0..2592000)
Result<std::optional<std::int64_t>> parseRotateWebhookSecretBody(const boost::json::object& body);

}  // namespace ls::api
