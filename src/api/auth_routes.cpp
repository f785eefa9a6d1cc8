#include "api/auth_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <utility>

#include "api/admin_access.hpp"
#include "api/auth_bodies.hpp"
#include "api/body_reader.hpp"
#include "api/envelope.hpp"
#include "control/user_service.hpp"

namespace ls::api {

namespace {

constexpr std::string_view kRefreshCookiePath = "/api/v1/auth";

http::Response noStore(http::Response response) {
  response.header("Cache-Control", "no-store");
  response.header("Pragma", "no-cache");
  return response;
}

http::Response fail(const Status& status) { return noStore(errorFor(status)); }

std::string cookie(std::string_view name, std::string_view value, std::string_view path, bool httpOnly,
                   std::int64_t maxAge, bool secure) {
  std::string out = std::string(name) + "=" + std::string(value) + "; Path=" + std::string(path);
  if (httpOnly) out += "; HttpOnly";
  out += "; SameSite=Strict; Max-Age=" + std::to_string(maxAge);
  if (secure) out += "; Secure";
  return out;
}

void clearCookies(http::Response& response, bool secure) {
  response.header("Set-Cookie", cookie(kRefreshCookie, "", kRefreshCookiePath, true, 0, secure));
  response.header("Set-Cookie", cookie(kCsrfCookie, "", "/", false, 0, secure));
}

http::Response sessionResponse(const control::IssuedSession& s, bool secure) {
  boost::json::object user;
  user["id"] = s.user.id;
  user["email"] = s.user.email;
  user["isAdmin"] = s.user.isAdmin;
  boost::json::object data;
  data["accessToken"] = s.accessToken;
  data["refreshToken"] = s.refreshToken;
  data["expiresIn"] = s.expiresIn;
  data["tokenType"] = "Bearer";
  data["csrfToken"] = s.csrfToken;
  data["user"] = std::move(user);
  http::Response response = dataResponse(200, std::move(data));
  response.header("Set-Cookie",
                  cookie(kRefreshCookie, s.refreshToken, kRefreshCookiePath, true, s.refreshTtlSeconds, secure));
  response.header("Set-Cookie", cookie(kCsrfCookie, s.csrfToken, "/", false, s.refreshTtlSeconds, secure));
  return noStore(std::move(response));
}

http::Response throttled(const RateDecision& decision) {
  http::Response response = http::errorResponse(429, "Too many login attempts; try again later");
  response.header("Retry-After", std::to_string(decision.resetSeconds));
  return noStore(std::move(response));
}

http::Response busy() {
  http::Response response = http::errorResponse(503, "Too many logins in progress; try again shortly");
  response.header("Retry-After", "1");
  return noStore(std::move(response));
}

// The account's throttling key: the normalized email, so "A@x.io " and
// "a@x.io" share a budget; unparseable input keys on its raw bytes.
std::string accountKey(std::string_view email) {
  auto normalized = control::normalizeEmail(email);
  return "login:" + (normalized.ok() ? *normalized : std::string(email));
}

// Where the refresh token came from: the body, or the ls_refresh cookie, in
// which case the X-CSRF-Token header must equal the ls_csrf cookie (the
// service then checks it against the family's).
struct PresentedToken {
  std::string token;
  std::optional<std::string> csrf;  // set for the cookie flow
  bool fromCookie = false;
};

Result<PresentedToken> presentedToken(const http::Request& request) {
  auto body = parseJsonObject(request);
  if (!body.ok()) return body.status();
  auto parsed = parseRefreshBody(*body);
  if (!parsed.ok()) return parsed.status();
  if (parsed->has_value()) return PresentedToken{std::move(**parsed), std::nullopt, false};
  const std::string_view cookies = request.header("cookie").value_or(std::string_view{});
  const auto refresh = cookieValue(cookies, kRefreshCookie);
  if (!refresh || refresh->empty()) {
    return Status(Code::kUnauthenticated, std::string(control::kInvalidRefreshToken));
  }
  const auto csrfCookie = cookieValue(cookies, kCsrfCookie);
  const auto csrfHeader = request.header("x-csrf-token");
  if (!csrfCookie || !csrfHeader || csrfCookie->empty() || *csrfCookie != *csrfHeader) {
    return Status(Code::kPermissionDenied, std::string(control::kBadCsrf));
  }
  return PresentedToken{std::string(*refresh), std::string(*csrfHeader), true};
}

void login(AuthDeps& deps, const http::Request& request, const http::Responder& respond) {
  auto body = parseJsonObject(request);
  if (!body.ok()) {
    respond.send(fail(body.status()));
    return;
  }
  auto parsed = parseLoginBody(*body);
  if (!parsed.ok()) {
    respond.send(fail(parsed.status()));
    return;
  }
  if (const RateDecision address = deps.addressLimiter.take("login-address:" + std::string(request.remoteAddress())); !address.allowed) {
    respond.send(throttled(address));
    return;
  }
  std::string account = accountKey(parsed->email);
  if (const RateDecision failures = deps.accountLimiter.check(account); !failures.allowed) {
    respond.send(throttled(failures));
    return;
  }
  const bool queued =
      deps.loginPool.submit([&deps, respond, body = std::move(*parsed), account = std::move(account)]() {
        if (!respond.pending()) return;  // timed out or gone while queued: skip the argon2 work
        auto issued = deps.sessions.login(body.email, body.password);
        if (!issued.ok()) {
          if (issued.status().code() == Code::kUnauthenticated) (void)deps.accountLimiter.take(account);
          respond.send(fail(issued.status()));
          return;
        }
        respond.send(sessionResponse(*issued, deps.cookieSecure));
      });
  if (!queued) respond.send(busy());
}

http::Response refresh(AuthDeps& deps, const http::Request& request) {
  auto presented = presentedToken(request);
  if (!presented.ok()) return fail(presented.status());
  auto issued = deps.sessions.refresh(presented->token, presented->csrf);
  if (!issued.ok()) {
    http::Response response = fail(issued.status());
    if (presented->fromCookie && issued.status().code() == Code::kUnauthenticated) {
      clearCookies(response, deps.cookieSecure);
    }
    return response;
  }
  return sessionResponse(*issued, deps.cookieSecure);
}

http::Response logout(AuthDeps& deps, const http::Request& request) {
  auto presented = presentedToken(request);
  if (!presented.ok()) return fail(presented.status());
  const Status s = deps.sessions.logout(presented->token, presented->csrf);
  if (!s.isOk()) return fail(s);
  boost::json::object data;
  data["loggedOut"] = true;
  http::Response response = dataResponse(200, std::move(data));
  clearCookies(response, deps.cookieSecure);
  return noStore(std::move(response));
}

http::Response me(AuthDeps& deps, const control::Principal& principal) {
  auto user = deps.sessions.me(principal);
  if (!user.ok()) return errorFor(user.status());
  boost::json::object data;
  data["id"] = user->id;
  data["email"] = user->email;
  data["isAdmin"] = user->isAdmin;
  data["createdAt"] = formatIso8601(user->createdAt);
  // Memberships arrive with teams (platform contract: empty until then).
  data["teams"] = boost::json::array{};
  return dataResponse(200, std::move(data));
}

}  // namespace

http::Handler principalEndpoint(control::SessionService& sessions, const Clock& clock, PrincipalHandler handler) {
  return [&sessions, &clock, handler = std::move(handler)](const http::Request& request) -> http::Response {
    auto principal = requirePrincipal(request, sessions, clock);
    if (!principal.ok()) return fail(principal.status());
    return noStore(handler(request, *principal));
  };
}

void registerAuthRoutes(http::Router& router, AuthDeps& deps) {
  using M = http::Method;
  router.addDeferred(
      M::kPost, "/api/v1/auth/login",
      [&deps](const http::Request& r, http::Responder respond) { login(deps, r, respond); },
      http::Deferral{deps.loginMaxWait, [](const http::Request&) { return busy(); }});
  router.add(M::kPost, "/api/v1/auth/refresh", [&deps](const http::Request& r) { return refresh(deps, r); },
             http::Runs::kOnWorkers);
  router.add(M::kPost, "/api/v1/auth/logout", [&deps](const http::Request& r) { return logout(deps, r); },
             http::Runs::kOnWorkers);
  router.add(M::kGet, "/api/v1/auth/me",
             principalEndpoint(deps.sessions, deps.clock,
                               [&deps](const http::Request&, const control::Principal& p) { return me(deps, p); }),
             http::Runs::kOnWorkers);
}

}  // namespace ls::api
