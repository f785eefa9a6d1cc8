#include "control/control_ingest_service.hpp"

#include "auth/push_token.hpp"
#include "control/external_usage.hpp"
#include "core/random.hpp"

namespace ls::control {

using ingest::PublishGrant;
using ingest::PublishRequest;

namespace {

// A node reports every protocol muxer of a stream separately and in no fixed
// order; only the registration that carried the publish going away means the
// publisher left, and a report sent before the publish was authorized (lower
// sequence) belongs to an earlier publish.
bool isAboutCurrentPublish(const Livestream& livestream, const ingest::PublishEnd& end) {
  if (!livestream.publishProtocol.empty() && !end.protocol.empty() && livestream.publishProtocol != end.protocol) {
    return false;
  }
  return !(livestream.publishSequence && end.sequence && *end.sequence < *livestream.publishSequence);
}

}  // namespace

ControlIngestService::ControlIngestService(Store& store, const auth::KeyRing& keys, const Clock& clock,
                                           IngestOptions options)
    : store_(store), keys_(keys), clock_(clock), options_(std::move(options)) {}

Result<PublishGrant> ControlIngestService::authorizePublish(const PublishRequest& request) {
  if (request.app != options_.app) {
    return Status(Code::kNotFound, "unknown application '" + request.app + "', publish to /" + options_.app);
  }
  if (!isStreamKey(request.streamKey)) return Status(Code::kNotFound, "unknown stream key");
  if (request.pushToken.empty()) {
    return Status(Code::kUnauthenticated, "push token missing: publish to <streamKey>?pushToken=<token>");
  }
  auto found = store_.findLivestreamByStreamKey(request.streamKey);
  if (!found.ok()) return std::move(found).takeStatus();
  if (!found->has_value()) return Status(Code::kNotFound, "unknown stream key");
  const Livestream& livestream = **found;

  const UnixMillis now = clock_.now();
  auth::PushTokenExpectations expect;
  expect.streamKey = request.streamKey;
  expect.mediaServerId = request.mediaServerId;
  expect.nowSeconds = now / 1000;
  expect.leewaySeconds = options_.tokenLeewaySeconds;
  expect.currentTokenId = livestream.currentTokenId;
  const auth::PushTokenCheck check = auth::verifyPushToken(request.pushToken, *keys_.verifiers(), expect);
  if (!check.accepted) return Status(Code::kUnauthenticated, check.reason);
  if (check.claims.sub != livestream.id || check.claims.projectId != livestream.projectId) {
    return Status(Code::kUnauthenticated, "push token was issued for another livestream");
  }

  auto project = store_.findProject(livestream.projectId);
  if (!project.ok()) return std::move(project).takeStatus();

  const Status started =
      store_.startLivestream(livestream.id, check.claims.jti, now, PublishOrigin{request.protocol, request.sequence});
  const bool resumed = started.code() == Code::kConflict && request.nodeResumesStreams &&
                       livestream.mediaServerId == request.mediaServerId;
  if (!started.isOk() && !resumed) {
    switch (started.code()) {
      case Code::kConflict: return Status(Code::kConflict, "stream is already being published");
      case Code::kPermissionDenied: return Status(Code::kUnauthenticated, "push token has been replaced by a newer one");
      case Code::kNotFound: return Status(Code::kNotFound, "unknown stream key");
      default: return started;
    }
  }
  PublishGrant grant;
  grant.livestreamId = livestream.id;
  grant.projectId = livestream.projectId;
  grant.streamKey = livestream.streamKey;
  grant.abrEnabled = project->has_value() ? (*project)->abrEnabled : true;
  grant.startedAt = now;
  return grant;
}

Status ControlIngestService::onPublishEnded(const ingest::PublishEnd& end) {
  std::string livestreamId = end.livestreamId;
  if (livestreamId.empty()) {
    auto found = store_.findLivestreamByStreamKey(end.streamKey);
    if (!found.ok()) return found.status();
    // Not ours to end: unknown, or assigned to another node.
    if (!found->has_value() || (*found)->mediaServerId != end.mediaServerId) return Status::ok();
    if (!isAboutCurrentPublish(**found, end)) return Status::ok();
    livestreamId = (*found)->id;
  }
  const UnixMillis now = clock_.now();
  const Status ended = store_.endLivestream(livestreamId, now);
  // A livestream deleted while live has no row left to end.
  if (ended.code() == Code::kNotFound) return Status::ok();
  if (!ended.isOk()) return ended;
  // An external node's publish is metered from its lifecycle (our own media
  // plane counts media time itself): only when this call ended it.
  if (end.livestreamId.empty()) {
    auto server = store_.findMediaServer(end.mediaServerId);
    if (!server.ok()) return server.status();
    if (server->has_value()) meterLifecycleEnd(store_, **server, livestreamId, now);
  }
  return Status::ok();
}

}  // namespace ls::control
