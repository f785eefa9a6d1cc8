// A dashboard request never crashes and answers only what the routes promise.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "api/dashboard_routes.hpp"
#include "http/router.hpp"

namespace {

using namespace ls;

void check(bool invariant) {
  if (!invariant) std::abort();
}

const http::Router& router() {
  static const http::Router r = [] {
    http::Router built;
    api::registerDashboardRoutes(built);
    return built;
  }();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view path = input.substr(0, newline);
  const std::string_view etag = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);

  std::vector<http::Header> headers;
  if (!etag.empty()) headers.push_back({"If-None-Match", std::string(etag)});
  http::Request request = http::Request::make(http::Method::kGet, "/dashboard/" + std::string(path), {}, headers);
  const http::Response response = router().dispatch(request);
  check(response.status == 200 || response.status == 304 || response.status == 308 || response.status == 404 ||
        response.status == 400);
  if (response.status == 200) check(response.bodySize() > 0);
  if (response.status == 304) check(response.bodySize() == 0 && response.findHeader("ETag") != nullptr);

  return 0;
}
