#include "api/web_assets.hpp"

// The files are pulled in by the assembler (.incbin), which is faster to build
// and lighter than a generated array. LS_PREVIEW_HTML and LS_HLS_JS are
// absolute paths set by CMake, as is LS_OPENAPI_JSON (docs/openapi.json).
#define LS_INCBIN(name, path)                                  \
  asm(".section .rodata\n"                                     \
      ".global " #name "_begin\n" #name "_begin:\n"            \
      ".incbin \"" path "\"\n"                                 \
      ".global " #name "_end\n" #name "_end:\n"                \
      ".byte 0\n"                                              \
      ".previous\n");                                          \
  extern "C" const char name##_begin[];                        \
  extern "C" const char name##_end[];

LS_INCBIN(ls_preview_html, LS_PREVIEW_HTML)
LS_INCBIN(ls_hls_js, LS_HLS_JS)
LS_INCBIN(ls_openapi_json, LS_OPENAPI_JSON)

namespace ls::api {

std::string_view previewPageTemplate() {
  return {ls_preview_html_begin, static_cast<std::size_t>(ls_preview_html_end - ls_preview_html_begin)};
}

std::string_view hlsJs() { return {ls_hls_js_begin, static_cast<std::size_t>(ls_hls_js_end - ls_hls_js_begin)}; }

std::string_view openApiDocument() {
  return {ls_openapi_json_begin, static_cast<std::size_t>(ls_openapi_json_end - ls_openapi_json_begin)};
}

}  // namespace ls::api
