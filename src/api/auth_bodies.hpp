// Request bodies and cookies of /api/v1/auth/* (docs/api.md, "Users and sessions").
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace ls::api {

inline constexpr std::string_view kRefreshCookie = "ls_refresh";
inline constexpr std::string_view kCsrfCookie = "ls_csrf";

struct LoginBody {
  std::string email;
  std::string password;
};

// {email, password}: both non-empty strings (email up to 320, password up to
// 1024 bytes); any other field is a 400.
Result<LoginBody> parseLoginBody(const boost::json::object& body);

// {refreshToken?}: the token when given (a string up to 256 characters).
Result<std::optional<std::string>> parseRefreshBody(const boost::json::object& body);

// The value of cookie `name` in a Cookie header ("a=1; b=2"), the first one
// when repeated; nullopt when absent. Never throws, bounded by the header.
std::optional<std::string_view> cookieValue(std::string_view cookieHeader, std::string_view name);

}  // namespace ls::api
