// /api/v1/auth/login, refresh, logout and me (docs/api.md, "Users and sessions"),
// and principalEndpoint, the Bearer gate the admin routes build on.
//
// Login runs argon2id, so it never runs on an event loop nor on the shared
// worker pool: its handler is deferred (parses and throttles on the loop,
// which costs microseconds) and hands the password check to `loginPool`, a
// small bounded pool; when that pool's queue is full the answer is 503 with
// Retry-After. refresh, logout and me only read and write the Store: they run
// on the server's workers like the partner routes.
//
// Throttling: every login attempt counts against `addressLimiter` (by client
// address); only failed ones count against `accountLimiter` (by normalized
// email), which is checked before any work. Either refusing answers 429 with
// Retry-After. With shared limits (PostgreSQL) both hold across API nodes.
#pragma once

#include <chrono>
#include <functional>

#include "api/bounded_pool.hpp"
#include "api/rate_limiter.hpp"
#include "control/principal.hpp"
#include "control/session_service.hpp"
#include "core/time.hpp"
#include "store/store.hpp"
#include "http/router.hpp"

namespace ls::api {

struct AuthDeps {
  control::SessionService& sessions;
  RateLimiter& addressLimiter;
  RateLimiter& accountLimiter;
  BoundedPool& loginPool;
  const Clock& clock;
  // Cookies get "; Secure" (the dashboard is served over https).
  bool cookieSecure = false;
  // The user's team memberships for /auth/me; none when null.
  Store* store = nullptr;
  // A login waiting longer than this (queue and argon2) answers 503.
  std::chrono::milliseconds loginMaxWait{30000};
};

void registerAuthRoutes(http::Router& router, AuthDeps& deps);

// A login's answer (tokens, user, cookies), also given by accepting an
// invitation as a new user.
http::Response sessionResponse(const control::IssuedSession& session, bool secure);

using PrincipalHandler = std::function<http::Response(const http::Request&, const control::Principal&)>;

// Authenticates `Authorization: Bearer <access token>` (401 "Invalid or
// expired access token" otherwise), then runs `handler`; every answer gets
// Cache-Control: no-store. Blocking (one Store read): register with
// http::Runs::kOnWorkers.
http::Handler principalEndpoint(control::SessionService& sessions, const Clock& clock, PrincipalHandler handler);

}  // namespace ls::api
