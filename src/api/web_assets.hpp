// Browser assets compiled into the binary, so one file serves everything:
// the preview page template and hls.js (installed from npm at build time by
// web/package.json; never loaded from a third-party CDN).
#pragma once

#include <span>
#include <string_view>

namespace ls::api {

std::string_view previewPageTemplate();
std::string_view hlsJs();

}  // namespace ls::api
