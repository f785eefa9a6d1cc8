// Method + path routing. Pure: no sockets, no threads; unit-tested directly.
//
// Build the router fully before the server starts; dispatch() is const and is
// called concurrently from every loop thread.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/method.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace ls::http {

using Handler = std::function<Response(const Request&)>;

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
  void add(Method method, std::string_view pattern, Handler handler);
  // Every path starting with `prefix` (plain string match, e.g. "/hls/"); the
  // rest of the path is the param "*". Pattern routes win; among prefixes the
  // longest wins.
  void addPrefix(Method method, std::string_view prefix, Handler handler);

  // Finds and runs the handler and fills request params. Never throws:
  //  - no route for the path: 404 envelope ("Cannot GET /x", as NestJS says it);
  //  - the path is routed for other methods: 405 envelope + Allow;
  //  - a method the server does not know (kOther): 501 envelope;
  //  - HEAD without a HEAD route runs the GET handler (the server sends no body);
  //  - OPTIONS without an OPTIONS route: 204 CORS preflight;
  //  - a handler that throws: 500 envelope, logged.
  Response dispatch(Request& request) const;

  // The handler `dispatch` would run (HEAD falling back to GET), params filled;
  // nullptr when none.
  const Handler* find(Method method, Request& request) const;
  // "GET, HEAD, OPTIONS" style list of methods routed for `path`; "" when none.
  std::string allowedMethods(std::string_view path) const;

  static constexpr std::size_t kMaxSegments = 32;

 private:
  struct Node;
  struct Prefix;
  // `fill`, when given, receives the params; its path must be `path`.
  const Handler* findExact(Method method, std::string_view path, Request* fill) const;
  const Handler* findPrefix(Method method, std::string_view path, Request* fill) const;
  const Handler* resolve(Method method, std::string_view path, Request* fill) const;

  std::unique_ptr<Node> root_;
  std::vector<Prefix> prefixes_;  // longest first
};

// The 204 CORS preflight response OPTIONS gets by default.
Response corsPreflightResponse();

}  // namespace ls::http
