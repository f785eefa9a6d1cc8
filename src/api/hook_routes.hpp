// Hook endpoints for external media servers (SPEC §4). ZLMediaKit and
// MediaMTX ask the control plane whether a publish may start and report when
// streams come and go; every call carries the media server's hook secret
// (query `secret=`, header `ls-hook-secret`, or `Authorization: Bearer`),
// which also tells which media server is calling.
//
//   POST /api/v1/hooks/zlmediakit/on_publish   (and /api/v1/push-auth)
//   POST /api/v1/hooks/zlmediakit/on_stream_changed
//   POST /api/v1/hooks/mediamtx/auth           (MediaMTX authHTTPAddress)
//   POST /api/v1/hooks/mediamtx/ready | not-ready  (runOnReady / runOnNotReady)
#pragma once

#include "api/api_deps.hpp"
#include "http/router.hpp"

namespace ls::api {

void registerHookRoutes(http::Router& router, ApiDeps& deps);

}  // namespace ls::api
