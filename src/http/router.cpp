#include "http/router.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <utility>

#include "core/log_text.hpp"

namespace ls::http {
namespace {

// A handler threw: the request and what was thrown go to the log (the client gets a 500).
void logHandlerFailure(const Request& request, const std::exception_ptr& thrown) {
  try {
    std::rethrow_exception(thrown);
  } catch (const std::exception& e) {
    spdlog::warn("http: handler for {} {} threw: {}", logText(request.methodName()), logText(request.path()),
                 logText(e.what()));
  } catch (...) {
    spdlog::warn("http: handler for {} {} threw a non-standard exception", logText(request.methodName()),
                 logText(request.path()));
  }
}

std::size_t methodIndex(Method method) {
  return static_cast<std::size_t>(method);
}

// Splits "/a/b/" into {"a","b"}; false when the path is not absolute or deeper than `out` holds.
bool splitPath(std::string_view path, std::array<std::string_view, Router::kMaxSegments>& out, std::size_t& count) {
  count = 0;
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);  // "/livestream/" == "/livestream"
  if (path.empty()) return true;
  while (true) {
    if (count == out.size()) return false;
    const std::size_t slash = path.find('/');
    out[count++] = path.substr(0, slash);
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

}  // namespace

struct Router::Node {
  struct Slot {
    Route route;
    std::vector<std::string> paramNames;  // in path order; names may differ between routes sharing a node
  };
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
  std::unique_ptr<Node> param;
  std::array<Slot, kRoutableMethodCount> slots;
};

struct Router::Prefix {
  Method method;
  std::string prefix;
  Route route;
};

namespace {

struct MatchState {
  const std::array<std::string_view, Router::kMaxSegments>* segments;
  std::size_t segmentCount;
  std::size_t method;
  std::array<std::string_view, Router::kMaxSegments> captures;
};

template <typename NodeT>
const typename NodeT::Slot* matchNode(const NodeT& node, MatchState& state, std::size_t depth, std::size_t captured) {
  if (depth == state.segmentCount) {
    const auto& slot = node.slots[state.method];
    return slot.route.valid() ? &slot : nullptr;
  }
  const std::string_view segment = (*state.segments)[depth];
  for (const auto& [literal, child] : node.literals) {
    if (literal != segment) continue;
    if (const auto* found = matchNode(*child, state, depth + 1, captured)) return found;
    break;
  }
  if (node.param && !segment.empty()) {
    state.captures[captured] = segment;
    if (const auto* found = matchNode(*node.param, state, depth + 1, captured + 1)) return found;
  }
  return nullptr;
}

}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::add(Method method, std::string_view pattern, Handler handler, Runs runs) {
  Route route;
  route.handler = std::move(handler);
  route.runs = runs;
  addRoute(method, pattern, std::move(route));
}

void Router::addDeferred(Method method, std::string_view pattern, DeferredHandler handler, Deferral deferral) {
  if (!deferral.onTimeout) {
    spdlog::error("http router: deferred route {} needs a timeout answer; ignored", pattern);
    return;
  }
  Route route;
  route.deferred = std::move(handler);
  route.deferral = std::move(deferral);
  // The connection's park timer needs a positive wait.
  route.deferral.maxWait = std::max(route.deferral.maxWait, std::chrono::milliseconds(1));
  addRoute(method, pattern, std::move(route));
}

void Router::addRoute(Method method, std::string_view pattern, Route route) {
  if (method == Method::kOther || !route.valid()) {
    spdlog::error("http router: route {} needs a known method and a handler; ignored", pattern);
    return;
  }
  std::array<std::string_view, kMaxSegments> segments;
  std::size_t count = 0;
  if (!splitPath(pattern, segments, count)) {
    spdlog::error("http router: malformed pattern '{}'; ignored", pattern);
    return;
  }
  std::vector<std::string> paramNames;
  Node* node = root_.get();
  for (std::size_t i = 0; i < count; ++i) {
    const std::string_view segment = segments[i];
    if (!segment.empty() && segment.front() == ':') {
      if (segment.size() == 1) {
        spdlog::error("http router: pattern '{}' has an unnamed parameter; ignored", pattern);
        return;
      }
      paramNames.emplace_back(segment.substr(1));
      if (!node->param) node->param = std::make_unique<Node>();
      node = node->param.get();
      continue;
    }
    auto it = std::find_if(node->literals.begin(), node->literals.end(),
                           [&](const auto& entry) { return entry.first == segment; });
    if (it == node->literals.end()) {
      node->literals.emplace_back(std::string(segment), std::make_unique<Node>());
      it = std::prev(node->literals.end());
    }
    node = it->second.get();
  }
  Node::Slot& slot = node->slots[methodIndex(method)];
  if (slot.route.valid()) {
    spdlog::warn("http router: {} {} registered twice; the last one wins", methodName(method), pattern);
  } else {
    registered_.push_back(RouteInfo{method, std::string(pattern), false});
  }
  hasWorkerRoutes_ = hasWorkerRoutes_ || (route.handler && route.runs == Runs::kOnWorkers);
  slot.route = std::move(route);
  slot.paramNames = std::move(paramNames);
}

void Router::addPrefix(Method method, std::string_view prefix, Handler handler, Runs runs) {
  if (method == Method::kOther || !handler || prefix.empty() || prefix.front() != '/') {
    spdlog::error("http router: malformed prefix route '{}'; ignored", prefix);
    return;
  }
  hasWorkerRoutes_ = hasWorkerRoutes_ || runs == Runs::kOnWorkers;
  Route route;
  route.handler = std::move(handler);
  route.runs = runs;
  prefixes_.push_back(Prefix{method, std::string(prefix), std::move(route)});
  registered_.push_back(RouteInfo{method, std::string(prefix), true});
  std::stable_sort(prefixes_.begin(), prefixes_.end(),
                   [](const Prefix& a, const Prefix& b) { return a.prefix.size() > b.prefix.size(); });
}

std::vector<RouteInfo> Router::routes() const { return registered_; }

const Route* Router::findExact(Method method, std::string_view path, Request* fill) const {
  MatchState state;
  std::array<std::string_view, kMaxSegments> segments;
  if (!splitPath(path, segments, state.segmentCount)) return nullptr;
  state.segments = &segments;
  state.method = methodIndex(method);
  const Node::Slot* slot = matchNode(*root_, state, 0, 0);
  if (slot == nullptr) return nullptr;
  if (fill != nullptr) {
    // Captures view fill->path(); setParam copies them and leaves the path alone.
    fill->clearParams();
    for (std::size_t i = 0; i < slot->paramNames.size(); ++i) fill->setParam(slot->paramNames[i], state.captures[i]);
  }
  return &slot->route;
}

const Route* Router::findPrefix(Method method, std::string_view path, Request* fill) const {
  for (const Prefix& p : prefixes_) {
    if (p.method != method || !path.starts_with(p.prefix)) continue;
    if (fill != nullptr) {
      fill->clearParams();
      fill->setParam("*", path.substr(p.prefix.size()));
    }
    return &p.route;
  }
  return nullptr;
}

const Route* Router::resolve(Method method, std::string_view path, Request* fill) const {
  if (method == Method::kOther) return nullptr;
  if (const Route* r = findExact(method, path, fill)) return r;
  if (method == Method::kHead) {
    if (const Route* r = findExact(Method::kGet, path, fill)) return r;
  }
  if (const Route* r = findPrefix(method, path, fill)) return r;
  if (method == Method::kHead) return findPrefix(Method::kGet, path, fill);
  return nullptr;
}

const Route* Router::find(Method method, Request& request) const {
  return resolve(method, request.path(), &request);
}

std::string Router::allowedMethods(std::string_view path) const {
  std::string allowed;
  for (Method m : kRoutableMethods) {
    // OPTIONS is always answered (preflight), so it closes the list of a routed path.
    if (m == Method::kOptions || resolve(m, path, nullptr) == nullptr) continue;
    if (!allowed.empty()) allowed.append(", ");
    allowed.append(methodName(m));
  }
  if (!allowed.empty()) allowed.append(", OPTIONS");
  return allowed;
}

Response Router::dispatch(Request& request) const {
  const Route* route = find(request.method(), request);
  if (route == nullptr) return unrouted(request);
  if (!route->deferred) return invoke(route->handler, request);
  // The handler may have handed the responder to another thread that answers
  // while we look: the answer is taken under a lock, and once it is claimed
  // we wait for it to land (it is on its way, not a wait for work).
  struct Answer {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<Response> response;
  };
  auto answer = std::make_shared<Answer>();
  const Responder respond([answer](Response r) {
    std::lock_guard lock(answer->mu);
    answer->response = std::move(r);
    answer->cv.notify_all();
  });
  invokeDeferred(*route, request, respond);
  if (respond.cancel()) return invoke(route->deferral.onTimeout, request);
  std::unique_lock lock(answer->mu);
  answer->cv.wait(lock, [&] { return answer->response.has_value(); });
  return std::move(*answer->response);
}

void Router::invokeDeferred(const Route& route, const Request& request, const Responder& respond) {
  try {
    route.deferred(request, respond);
    return;
  } catch (...) {
    logHandlerFailure(request, std::current_exception());
  }
  respond.send(errorResponse(500, "Internal server error"));
}

Response Router::unrouted(const Request& request) const {
  const Method method = request.method();
  if (method == Method::kOther) {
    return errorResponse(501, "Method " + std::string(request.methodName()) + " is not implemented");
  }
  if (method == Method::kOptions) return corsPreflightResponse();
  const std::string_view target = request.target();
  const std::string_view rawPath = target.substr(0, target.find('?'));
  if (rawPath.empty() || rawPath.front() != '/') return errorResponse(400, "Invalid request target");
  std::string allowed = allowedMethods(request.path());
  if (!allowed.empty()) {
    Response r = errorResponse(405, "Cannot " + std::string(request.methodName()) + " " + std::string(rawPath));
    r.header("Allow", std::move(allowed));
    return r;
  }
  return errorResponse(404, "Cannot " + std::string(request.methodName()) + " " + std::string(rawPath));
}

Response Router::invoke(const Handler& handler, const Request& request) {
  try {
    return handler(request);
  } catch (...) {
    logHandlerFailure(request, std::current_exception());
  }
  return errorResponse(500, "Internal server error");
}

Response corsPreflightResponse() {
  Response r = Response::empty(204);
  r.header("Access-Control-Allow-Origin", "*");
  r.header("Access-Control-Allow-Methods", std::string(kCorsAllowMethods));
  r.header("Access-Control-Allow-Headers", std::string(kCorsAllowHeaders));
  r.header("Access-Control-Max-Age", std::string(kCorsMaxAgeSeconds));
  return r;
}

}  // namespace ls::http
