// Assets compiled into the binary, so one file serves everything: the preview
// page template and hls.js (installed from npm at build time by
// web/package.json; never loaded from a third-party CDN), and the OpenAPI
// document (docs/openapi.json).
#pragma once

#include <span>
#include <string_view>

namespace ls::api {

std::string_view previewPageTemplate();
std::string_view hlsJs();
// docs/openapi.json as it was at build time (served at /api/v1/openapi.json).
std::string_view openApiDocument();

}  // namespace ls::api
