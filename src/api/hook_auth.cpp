#include "api/hook_auth.hpp"

#include <spdlog/spdlog.h>

#include "core/log_text.hpp"

namespace ls::api {

std::string hookSecret(const http::Request& request) {
  if (auto q = request.query("secret")) return *q;
  if (auto h = request.header("ls-hook-secret")) return std::string(*h);
  return std::string(request.bearerToken());
}

Result<MediaServer> authenticateHookCall(ApiDeps& deps, const http::Request& request, MediaServerType type,
                                         std::string_view remoteId) {
  const std::string secret = hookSecret(request);
  auto server = deps.mediaServers.authenticateHook({secret, request.remoteAddress(), remoteId});
  Status refusal = server.ok() ? Status::ok() : server.status();
  if (server.ok() && server->type != type) {
    refusal = Status(Code::kPermissionDenied, "this hook is for " + std::string(toString(type)) +
                                                  " media servers, and the caller is " +
                                                  std::string(toString(server->type)) + " media server " + server->name);
  }
  if (refusal.isOk()) return server;
  spdlog::warn("hook {} from {} refused: {}", logText(request.path()), logText(request.remoteAddress()),
               logText(refusal.message()));
  return refusal;
}

void logRefusedHook(const http::Request& request, const MediaServer& server, const Status& reason) {
  spdlog::info("hook {} from {} ({} {}) refused: {}", logText(request.path()), logText(request.remoteAddress()),
               toString(server.type), logText(server.name), logText(reason.message()));
}

}  // namespace ls::api
