// Login/refresh bodies give InvalidArgument or values within their caps;
// a cookie value found is a part of the header. Never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/auth_bodies.hpp"
#include "api/body_reader.hpp"
#include "http/request.hpp"

namespace {

void check(bool invariant) {
  if (!invariant) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ls::api;
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  if ((data[0] & 1) == 0) {
    ls::http::Request request = ls::http::Request::make(ls::http::Method::kPost, "/api/v1/auth/login",
                                                        std::string(input), {{"Content-Type", "application/json"}});
    auto body = parseJsonObject(request);
    if (!body.ok()) return 0;
    if (auto login = parseLoginBody(*body); login.ok()) {
      check(!login->email.empty() && login->email.size() <= 320);
      check(!login->password.empty() && login->password.size() <= 1024);
    } else {
      check(login.status().code() == ls::Code::kInvalidArgument);
    }
    if (auto refresh = parseRefreshBody(*body); refresh.ok() && refresh->has_value()) {
      check(!(*refresh)->empty() && (*refresh)->size() <= 256);
    }
    return 0;
  }
  for (std::string_view name : {kRefreshCookie, kCsrfCookie}) {
    if (auto value = cookieValue(input, name)) {
      check(value->data() >= input.data() && value->data() + value->size() <= input.data() + input.size());
    }
  }
  return 0;
}
