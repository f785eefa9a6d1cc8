// Method + path routing. Pure: no sockets, no threads; unit-tested directly.
//
// Build the router fully before the server starts; dispatch() is const and is
// called concurrently from every loop thread.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/method.hpp"
#include "http/request.hpp"
#include "http/responder.hpp"
#include "http/response.hpp"

namespace ls::http {

using Handler = std::function<Response(const Request&)>;

// Which threads run a route's handler; the route declares it because only the
// handler knows whether it may wait. kOnLoop: inline on the connection's event
// loop, so it must never block (HLS reads from memory, metrics). kOnWorkers:
// on the server's worker pool (ServerOptions::blockingThreads), for handlers
// that call the Store or anything else that may wait, so they never hold up
// the HLS viewers sharing their loop.
enum class Runs { kOnLoop, kOnWorkers };

// The handler of a route that may answer later (Router::addDeferred). It runs
// on the loop and must not block: it answers through `respond` before
// returning, or hands `respond` to whoever will answer, from any thread.
using DeferredHandler = std::function<void(const Request&, Responder respond)>;

// How long a deferred route's request may wait, and what it gets then.
struct Deferral {
  std::chrono::milliseconds maxWait{4000};
  Handler onTimeout;  // runs on the loop, with the request that waited
};

// One registered route, as the server runs it: `handler`, or for a deferred
// route `deferred` and `deferral`.
struct Route {
  Handler handler;
  Runs runs = Runs::kOnLoop;
  DeferredHandler deferred;
  Deferral deferral;

  [[nodiscard]] bool valid() const noexcept { return handler || deferred; }
};

// One entry of Router::routes(): what was registered, as it was written.
struct RouteInfo {
  Method method = Method::kGet;
  std::string pattern;  // "/api/v1/livestream/:id"; for a prefix route the prefix ("/hls/")
  bool prefix = false;  // addPrefix(): every path starting with `pattern`
};

// CORS preflight answer for OPTIONS on any path without an explicit OPTIONS route.
inline constexpr std::string_view kCorsAllowMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
inline constexpr std::string_view kCorsAllowHeaders = "Content-Type, Authorization, ls-api-key";
inline constexpr std::string_view kCorsMaxAgeSeconds = "86400";

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Pattern segments: literal, or ":name" capturing one non-empty segment.
  // Static segments win over params (with backtracking: "/a/b/c" still reaches
  // "/a/:x/c" when "/a/b" leads nowhere). A trailing slash in the request is
  // ignored, as Express does by default. Registering the same method and
  // pattern twice replaces the handler. A malformed pattern (not starting with
  // '/', empty ":" name, deeper than kMaxSegments) is logged and ignored.
  void add(Method method, std::string_view pattern, Handler handler, Runs runs = Runs::kOnLoop);
  // Every path starting with `prefix` (plain string match, e.g. "/hls/"); the
  // rest of the path is the param "*". Pattern routes win; among prefixes the
  // longest wins.
  void addPrefix(Method method, std::string_view prefix, Handler handler, Runs runs = Runs::kOnLoop);
  // A route whose answer may come later (a playlist held until its stream's
  // first segment): the connection waits for the Responder without holding a
  // thread, up to `deferral.maxWait`, then sends `deferral.onTimeout`. Runs on
  // the loop. Same pattern rules as add().
  void addDeferred(Method method, std::string_view pattern, DeferredHandler handler, Deferral deferral);

  // Finds and runs the handler and fills request params. Never throws:
  //  - no route for the path: 404 envelope ("Cannot GET /x", as NestJS says it);
  //  - the path is routed for other methods: 405 envelope + Allow;
  //  - a method the server does not know (kOther): 501 envelope;
  //  - HEAD without a HEAD route runs the GET handler (the server sends no body);
  //  - OPTIONS without an OPTIONS route: 204 CORS preflight;
  //  - a handler that throws: 500 envelope, logged.
  // Runs every handler inline, whatever its Runs (tests, fuzzing). It cannot
  // wait: a deferred route gets the answer its handler gave before returning,
  // or else its timeout answer.
  Response dispatch(Request& request) const;

  // The route `dispatch` would run (HEAD falling back to GET), params filled;
  // nullptr when none.
  const Route* find(Method method, Request& request) const;
  // What `dispatch` answers when find() found nothing (404, 405, 501, preflight).
  Response unrouted(const Request& request) const;
  // Runs `handler`; a throw becomes a 500 envelope, logged.
  static Response invoke(const Handler& handler, const Request& request);
  // Runs a deferred route's handler; a throw answers 500 (if nothing answered yet).
  static void invokeDeferred(const Route& route, const Request& request, const Responder& respond);
  // Whether some route runs on workers (the server starts its pool only then).
  [[nodiscard]] bool hasWorkerRoutes() const noexcept { return hasWorkerRoutes_; }
  // "GET, HEAD, OPTIONS" style list of methods routed for `path`; "" when none.
  std::string allowedMethods(std::string_view path) const;

  // Every route registered, in registration order (a route registered twice
  // once), for tests that hold the API description to the routing table.
  [[nodiscard]] std::vector<RouteInfo> routes() const;

  static constexpr std::size_t kMaxSegments = 32;

 private:
  struct Node;
  struct Prefix;
  // `fill`, when given, receives the params; its path must be `path`.
  const Route* findExact(Method method, std::string_view path, Request* fill) const;
  const Route* findPrefix(Method method, std::string_view path, Request* fill) const;
  const Route* resolve(Method method, std::string_view path, Request* fill) const;
  void addRoute(Method method, std::string_view pattern, Route route);

  std::unique_ptr<Node> root_;
  std::vector<Prefix> prefixes_;  // longest first
  std::vector<RouteInfo> registered_;
  bool hasWorkerRoutes_ = false;
};

// The 204 CORS preflight response OPTIONS gets by default.
Response corsPreflightResponse();

}  // namespace ls::http
