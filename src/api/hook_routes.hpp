// Hook endpoints for external media servers (SPEC §4). ZLMediaKit and
// MediaMTX ask the control plane whether a publish may start, report when
// streams come and go, and (ZLMediaKit) that they started, are alive or are
// exiting. A call carries its media server's hook secret (query `secret=`,
// header `ls-hook-secret`, or `Authorization: Bearer`), which also tells which
// server is calling; from an address in a server's hook address list it may
// carry none. Each refused call is logged once with its reason and the
// caller's address, never the secret.
//
//   POST /api/v1/hooks/zlmediakit/on_publish   (and /api/v1/push-auth)
//   POST /api/v1/hooks/zlmediakit/on_stream_changed | on_server_started |
//        on_server_keepalive | on_server_exited | on_stream_not_found | on_stream_none_reader
//   POST /api/v1/hooks/mediamtx/auth           (MediaMTX authHTTPAddress)
//   POST /api/v1/hooks/mediamtx/ready | not-ready  (runOnReady / runOnNotReady)
#pragma once

#include "api/api_deps.hpp"
#include "http/router.hpp"

namespace ls::api {

void registerHookRoutes(http::Router& router, ApiDeps& deps);

}  // namespace ls::api
