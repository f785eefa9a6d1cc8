#include "api/livestream_routes.hpp"

#include <boost/json/array.hpp>

#include "api/body_reader.hpp"
#include "api/envelope.hpp"
#include "api/livestream_bodies.hpp"
#include "api/livestream_json.hpp"
#include "api/partner_auth.hpp"

namespace ls::api {

namespace {

http::Response created(const ApiDeps& deps, const Result<control::LivestreamRecord>& record) {
  if (!record.ok()) return errorFor(record.status());
  return dataResponse(201, livestreamJson(*record, deps.apiBaseUrl, Secrets::kInclude, deps.llHls));
}

http::Response single(const ApiDeps& deps, const Result<control::LivestreamRecord>& record) {
  if (!record.ok()) return errorFor(record.status());
  return dataResponse(200, livestreamJson(*record, deps.apiBaseUrl, Secrets::kOmit, deps.llHls));
}

http::Response createLivestream(ApiDeps& deps, const http::Request& request, const Project& project) {
  auto json = parseJsonObject(request);
  if (!json.ok()) return errorFor(json.status());
  auto body = parseCreateLivestreamBody(*json);
  if (!body.ok()) return errorFor(body.status());
  if (Status s = checkProjectMatch(body->projectId, project); !s.isOk()) return errorFor(s);
  return created(deps, deps.livestreams.create(project, {body->name, body->mediaServerId, body->expiresIn}));
}

http::Response listLivestreams(ApiDeps& deps, const http::Request& request, const Project& project) {
  Validator v;
  auto projectId = v.queryUuid(request, "projectId");
  control::ListLivestreamsInput input = readListLivestreamsQuery(v, request, 10);
  if (!v.ok()) return errorFor(v.status());
  if (Status s = checkProjectMatch(projectId, project); !s.isOk()) return errorFor(s);
  auto page = deps.livestreams.list(project, input);
  if (!page.ok()) return errorFor(page.status());
  boost::json::array items;
  items.reserve(page->items.size());
  for (const control::LivestreamRecord& record : page->items) {
    items.emplace_back(livestreamJson(record, deps.apiBaseUrl, Secrets::kOmit, deps.llHls));
  }
  return pageResponse(std::move(items), input.page, input.limit, page->total);
}

http::Response getLivestream(ApiDeps& deps, const http::Request& request, const Project& project) {
  const std::string_view id = request.param("id");
  if (Status s = requireUuidParam(id); !s.isOk()) return errorFor(s);
  Validator v;
  auto projectId = v.queryUuid(request, "projectId");
  if (!v.ok()) return errorFor(v.status());
  if (Status s = checkProjectMatch(projectId, project); !s.isOk()) return errorFor(s);
  return single(deps, deps.livestreams.get(project, id));
}

http::Response updateLivestream(ApiDeps& deps, const http::Request& request, const Project& project) {
  const std::string_view id = request.param("id");
  if (Status s = requireUuidParam(id); !s.isOk()) return errorFor(s);
  auto json = parseJsonObject(request);
  if (!json.ok()) return errorFor(json.status());
  auto body = parseUpdateLivestreamBody(*json);
  if (!body.ok()) return errorFor(body.status());
  if (Status s = checkProjectMatch(body->projectId, project); !s.isOk()) return errorFor(s);
  return single(deps, deps.livestreams.rename(project, id, body->name));
}

http::Response deleteLivestream(ApiDeps& deps, const http::Request& request, const Project& project) {
  const std::string_view id = request.param("id");
  if (Status s = requireUuidParam(id); !s.isOk()) return errorFor(s);
  auto removed = deps.livestreams.remove(project, id);
  if (!removed.ok()) return errorFor(removed.status());
  boost::json::object data{{"id", removed->livestream.id}};
  // Beyond the seed's {id}: what happened to a live publisher.
  if (removed->publisher) {
    data["publisherCut"] = removed->publisher->cut;
    if (!removed->publisher->cut) data["publisherCutError"] = removed->publisher->problem;
  }
  return dataResponse(200, std::move(data));
}

http::Response generatePushToken(ApiDeps& deps, const http::Request& request, const Project& project) {
  auto json = parseJsonObject(request);
  if (!json.ok()) return errorFor(json.status());
  auto body = parsePushTokenBody(*json);
  if (!body.ok()) return errorFor(body.status());
  if (Status s = checkProjectMatch(body->projectId, project); !s.isOk()) return errorFor(s);
  control::TokenTarget target;
  target.id = body->livestreamId;
  target.streamKey = body->streamKey;
  target.mediaServerId = body->mediaServerId;
  return created(deps, deps.livestreams.issueToken(project, target, body->expiresIn));
}

using Fn = http::Response (*)(ApiDeps&, const http::Request&, const Project&);

http::Handler bind(ApiDeps& deps, Fn fn) {
  return partnerEndpoint(deps, [&deps, fn](const http::Request& r, const Project& p) { return fn(deps, r, p); });
}

}  // namespace

control::ListLivestreamsInput readListLivestreamsQuery(Validator& v, const http::Request& request,
                                                       std::int64_t defaultLimit) {
  control::ListLivestreamsInput input;
  input.page = v.queryInteger(request, "page", 1, 1'000'000).value_or(1);
  input.limit = v.queryInteger(request, "limit", 1, 100).value_or(defaultLimit);
  if (auto status = request.query("status"); status && !status->empty()) {
    input.status = parseLivestreamStatus(*status);
    if (!input.status) {
      v.fail("status must be one of the following values: READY_FOR_USE, STARTED, ENDED, TOKEN_EXPIRED");
    }
  }
  if (auto search = request.query("search")) {
    if (search->size() > 255) v.fail("search must be shorter than or equal to 255 characters");
    input.search = *search;
  }
  return input;
}

void registerLivestreamRoutes(http::Router& router, ApiDeps& deps) {
  using M = http::Method;
  // Every one of them calls the Store: worker threads, never an event loop.
  router.add(M::kPost, "/api/v1/livestream", bind(deps, createLivestream), http::Runs::kOnWorkers);
  router.add(M::kGet, "/api/v1/livestream", bind(deps, listLivestreams), http::Runs::kOnWorkers);
  router.add(M::kPost, "/api/v1/livestream/generate-push-token", bind(deps, generatePushToken), http::Runs::kOnWorkers);
  router.add(M::kGet, "/api/v1/livestream/:id", bind(deps, getLivestream), http::Runs::kOnWorkers);
  router.add(M::kPatch, "/api/v1/livestream/:id", bind(deps, updateLivestream), http::Runs::kOnWorkers);
  router.add(M::kDelete, "/api/v1/livestream/:id", bind(deps, deleteLivestream), http::Runs::kOnWorkers);
}

}  // namespace ls::api
