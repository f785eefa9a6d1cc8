// A dashboard request never crashes and answers only what the routes promise;
// the CSP built from any URL stays one header line whose connect-src holds
// only http(s) origins.
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
    api::registerDashboardRoutes(built, []() -> Result<std::vector<std::string>> {
      return std::vector<std::string>{"https://cdn.example.com", "http://127.0.0.1:8080"};
    });
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

  if (const auto origin = api::httpOrigin(input)) {
    check(origin->starts_with("http://") || origin->starts_with("https://"));
    check(origin->find_first_of(" ;,'\"\r\n\t/@", origin->find("//") + 2) == std::string::npos);
  }
  const std::string csp = api::dashboardCsp({std::string(input), std::string(path)});
  check(csp.find_first_of("\r\n") == std::string::npos);
  check(csp.starts_with("default-src 'none'; ") && csp.ends_with("form-action 'self'"));
  return 0;
}
