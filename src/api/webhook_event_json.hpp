// The `data` of partner webhook events (store/webhook_outbox.hpp): the
// livestream exactly as GET /api/v1/livestreams/:id shows it (no secrets),
// or the media server as GET /api/v1/media-servers shows it. The app
// installs this renderer on every Store it opens for serving or for CLI
// commands that change rows, so events carry the partner API's own JSON.
#pragma once

#include <string>

#include "control/node_service.hpp"
#include "store/webhook_outbox.hpp"

namespace ls::api {

// apiBaseUrl: the public API URL the livestream routes use (previewPlayback);
// lease: how node statuses are judged (as NodeService does).
WebhookRenderer webhookRenderer(std::string apiBaseUrl, control::NodeLeaseOptions lease, bool llHls);

}  // namespace ls::api
