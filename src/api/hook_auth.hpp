// Who is calling a hook endpoint: the media server found from the call's
// secret or address (control::MediaServerService::authenticateHook), of the
// type the endpoint is for. A refusal is logged here, once per call, with
// the endpoint, the caller's address and the reason; the secret never is.
#pragma once

#include <string_view>

#include "api/api_deps.hpp"
#include "core/model.hpp"
#include "core/status.hpp"
#include "http/request.hpp"

namespace ls::api {

// The secret a hook call carries: query `secret`, header `ls-hook-secret`, or
// `Authorization: Bearer`; "" when none.
std::string hookSecret(const http::Request& request);

// remoteId: the node's own name for itself when the body carries one.
Result<MediaServer> authenticateHookCall(ApiDeps& deps, const http::Request& request, MediaServerType type,
                                         std::string_view remoteId);

// Logs a hook call that was refused after authentication (bad token, unknown
// key, ...) the same way: one line, endpoint, server, address, reason.
void logRefusedHook(const http::Request& request, const MediaServer& server, const Status& reason);

}  // namespace ls::api
