#include "api/partner_auth.hpp"

#include "api/envelope.hpp"
#include "auth/api_key.hpp"

namespace ls::api {

http::Handler partnerEndpoint(ApiDeps& deps, PartnerHandler handler) {
  return [&deps, handler = std::move(handler)](const http::Request& request) -> http::Response {
    const std::string_view key = request.header("ls-api-key").value_or(std::string_view{});
    auto project = deps.projects.authenticate(key);
    if (!project.ok()) return errorFor(project.status());
    // The project's own limits when it has them (read with the project on
    // every request, so a change applies at once in every API process).
    const std::vector<RateOverride> overrides = overridesFor(project->rateLimit);
    const RateDecision decision = deps.partnerLimiter.take(project->apiKeyHash, overrides);
    if (!decision.allowed) return tooManyRequests(decision);
    http::Response response = handler(request, *project);
    addRateLimitHeaders(response, decision);
    return response;
  };
}

http::Handler publicEndpoint(ApiDeps& deps, PublicHandler handler) {
  return [&deps, handler = std::move(handler)](const http::Request& request) -> http::Response {
    const RateDecision decision = deps.publicLimiter.take(request.remoteAddress());
    // A 429 carries the rate-limit headers already.
    http::Response response = decision.allowed ? handler(request) : tooManyRequests(decision);
    if (decision.allowed) addRateLimitHeaders(response, decision);
    response.header("Access-Control-Allow-Origin", "*");
    return response;
  };
}

Status checkProjectMatch(const std::optional<std::string>& projectId, const Project& project) {
  if (!projectId || *projectId == project.id) return Status::ok();
  return {Code::kPermissionDenied, "You do not have access to this project"};
}

}  // namespace ls::api
