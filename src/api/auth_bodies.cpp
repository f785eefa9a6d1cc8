#include "api/auth_bodies.hpp"

#include <utility>

#include "api/body_reader.hpp"

namespace ls::api {

Result<LoginBody> parseLoginBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"email", "password"});
  auto email = v.string(body, "email", true, 320);
  auto password = v.string(body, "password", true, 1024);
  if (!v.ok()) return v.status();
  return LoginBody{std::move(*email), std::move(*password)};
}

Result<std::optional<std::string>> parseRefreshBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"refreshToken"});
  auto token = v.string(body, "refreshToken", false, 256);
  if (!v.ok()) return v.status();
  return token;
}

std::optional<std::string_view> cookieValue(std::string_view header, std::string_view name) {
  // RFC 6265 §4.2.1: cookie-pair *( ";" SP cookie-pair ); be lenient about
  // spaces, as browsers and curl differ.
  while (!header.empty()) {
    const std::size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
    while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) pair.remove_prefix(1);
    while (!pair.empty() && (pair.back() == ' ' || pair.back() == '\t')) pair.remove_suffix(1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
    std::string_view value = pair.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return value;
  }
  return std::nullopt;
}

}  // namespace ls::api
