// Partner endpoints for livestreams (SPEC §3), header ls-api-key.
#pragma once

#include <cstdint>

#include "api/api_deps.hpp"
#include "api/body_reader.hpp"
#include "control/livestream_service.hpp"
#include "http/request.hpp"
#include "http/router.hpp"

namespace ls::api {

// The list query both livestream lists take (the partner GET /livestream and
// the admin GET /admin/livestreams): page (>= 1), limit (1..100, default
// `defaultLimit`), status, search (<= 255 characters). Problems go to `v`.
control::ListLivestreamsInput readListLivestreamsQuery(Validator& v, const http::Request& request,
                                                       std::int64_t defaultLimit);

void registerLivestreamRoutes(http::Router& router, ApiDeps& deps);

}  // namespace ls::api
