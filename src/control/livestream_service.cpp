#include "control/livestream_service.hpp"

#include <algorithm>
#include <map>

#include "auth/push_token.hpp"
#include "auth/key_ring.hpp"
#include "auth/signing_key.hpp"
#include "control/external_usage.hpp"
#include "control/steering.hpp"
#include "control/urls.hpp"
#include "core/lifecycle.hpp"

namespace ls::control {

namespace {
Status livestreamNotFound() { return notFound("Livestream not found"); }
}  // namespace

LivestreamService::LivestreamService(Store& store, const auth::KeyRing& keys, const Clock& clock, Random& random,
                                     LivestreamOptions options)
    : store_(store), keys_(keys), clock_(clock), random_(random), options_(options), audit_(store, clock, random) {}

Result<std::string> LivestreamService::signToken(const Livestream& livestream, std::int64_t ttlSeconds,
                                                 std::string& tokenIdOut, UnixMillis& expiresAtOut) {
  const std::shared_ptr<const auth::SigningKey> signer = keys_.signer();
  // Every key retired (`lunarstream keys retire`) and none rotated in yet.
  if (!signer) return unavailable("no active push-token signing key (see `lunarstream keys list`)");
  auth::PushTokenClaims claims;
  claims.sub = livestream.id;
  claims.projectId = livestream.projectId;
  claims.mediaServerId = livestream.mediaServerId;
  claims.streamKey = livestream.streamKey;
  claims.jti = newUuidV4(random_);
  claims.iat = clock_.now() / 1000;
  claims.exp = claims.iat + ttlSeconds;
  tokenIdOut = claims.jti;
  expiresAtOut = claims.exp * 1000;
  return auth::signPushToken(*signer, claims);
}

Result<LivestreamRecord> LivestreamService::withServer(Livestream livestream, std::optional<std::string> pushToken) {
  auto server = store_.findMediaServer(livestream.mediaServerId);
  if (!server.ok()) return std::move(server).takeStatus();
  if (!server->has_value()) return internalError("livestream refers to a missing media server");
  LivestreamRecord record;
  record.status = effectiveStatus(livestream, clock_.now());
  record.livestream = std::move(livestream);
  record.mediaServer = steered(std::move(**server));
  record.pushToken = std::move(pushToken);
  return record;
}

MediaServer LivestreamService::steered(MediaServer server) const {
  server.cdns = steering_ != nullptr ? steering_->orderCdns(server)
                                     : orderedCdns(server.cdns, rankCdns(server.cdns, {}, {}, SteeringOptions{}));
  return server;
}

namespace {
Status liveCannotMove() {
  return Status(Code::kConflict,
                "livestream is STARTED: it can move to another media server only when it is not live (stop the "
                "broadcast, then generate a push token with mediaServerId)");
}
}  // namespace

Result<MediaServer> LivestreamService::usableServer(const Project& project, std::string_view mediaServerId,
                                                    std::string_view action) {
  auto server = store_.findMediaServer(mediaServerId);
  if (!server.ok()) return std::move(server).takeStatus();
  // A server assigned to other projects does not exist for this one.
  const auto& assigned = server->has_value() ? (*server)->projectIds : std::vector<std::string>{};
  if (!server->has_value() ||
      (!assigned.empty() && std::find(assigned.begin(), assigned.end(), project.id) == assigned.end())) {
    return notFound("Media server not found");
  }
  if (nodeStatus(**server, clock_.now(), options_.lease) == NodeStatus::kOffline) {
    return Status(Code::kConflict, "media server " + (*server)->name +
                                       " is OFFLINE (it has not been heard from within its lease); " +
                                       std::string(action) +
                                       " a server that GET /media-servers/available lists as ONLINE");
  }
  return std::move(**server);
}

Result<LivestreamRecord> LivestreamService::create(const Project& project, const CreateLivestreamInput& input) {
  auto server = usableServer(project, input.mediaServerId, "create the livestream on");
  if (!server.ok()) return std::move(server).takeStatus();

  Livestream livestream;
  livestream.id = newUuidV4(random_);
  livestream.projectId = project.id;
  livestream.mediaServerId = input.mediaServerId;
  livestream.name = input.name;
  livestream.streamKey = newStreamKey(random_);
  livestream.phase = LivestreamStatus::kReadyForUse;
  livestream.createdAt = clock_.now();
  auto token = signToken(livestream, input.expiresInSeconds.value_or(options_.defaultTokenTtlSeconds),
                         livestream.currentTokenId, livestream.tokenExpiresAt);
  if (!token.ok()) return std::move(token).takeStatus();

  auto inserted = store_.insertLivestream(livestream);
  if (!inserted.ok()) return std::move(inserted).takeStatus();
  LivestreamRecord record;
  record.livestream = std::move(*inserted);
  record.mediaServer = steered(std::move(*server));
  record.status = effectiveStatus(record.livestream, clock_.now());
  record.pushToken = std::move(*token);
  return record;
}

Result<Page<LivestreamRecord>> LivestreamService::list(const Project& project, const ListLivestreamsInput& input) {
  return listOf({project.id}, input);
}

Result<Page<LivestreamRecord>> LivestreamService::listOfProjects(std::vector<std::string> projectIds,
                                                                 const ListLivestreamsInput& input) {
  if (projectIds.empty()) return Page<LivestreamRecord>{};
  return listOf(std::move(projectIds), input);
}

Result<Page<LivestreamRecord>> LivestreamService::listOf(std::vector<std::string> projectIds,
                                                         const ListLivestreamsInput& input) {
  LivestreamQuery query;
  if (projectIds.size() == 1) {
    query.projectId = std::move(projectIds.front());
  } else {
    query.projectIds = std::move(projectIds);
  }
  query.page = input.page;
  query.limit = input.limit;
  query.status = input.status;
  query.search = input.search;
  query.now = clock_.now();
  auto page = store_.listLivestreams(query);
  if (!page.ok()) return std::move(page).takeStatus();

  // One lookup per distinct media server, not per row.
  std::map<std::string, MediaServer, std::less<>> servers;
  Page<LivestreamRecord> out;
  out.total = page->total;
  out.items.reserve(page->items.size());
  for (Livestream& l : page->items) {
    auto it = servers.find(l.mediaServerId);
    if (it == servers.end()) {
      auto server = store_.findMediaServer(l.mediaServerId);
      if (!server.ok()) return std::move(server).takeStatus();
      if (!server->has_value()) return internalError("livestream refers to a missing media server");
      it = servers.emplace(l.mediaServerId, steered(std::move(**server))).first;
    }
    LivestreamRecord record;
    record.status = effectiveStatus(l, query.now);
    record.livestream = std::move(l);
    record.mediaServer = it->second;
    out.items.push_back(std::move(record));
  }
  return out;
}

Result<Livestream> LivestreamService::findOwned(const Project& project, const TokenTarget& target) {
  auto found = target.id.empty() ? store_.findLivestreamByStreamKey(target.streamKey) : store_.findLivestream(target.id);
  if (!found.ok()) return std::move(found).takeStatus();
  // Another project's livestream is indistinguishable from a missing one.
  if (!found->has_value() || (*found)->projectId != project.id) return livestreamNotFound();
  return std::move(**found);
}

Result<LivestreamRecord> LivestreamService::get(const Project& project, std::string_view id) {
  auto livestream = findOwned(project, {std::string(id), {}, {}});
  if (!livestream.ok()) return std::move(livestream).takeStatus();
  return withServer(std::move(*livestream), std::nullopt);
}

Result<LivestreamRecord> LivestreamService::rename(const Project& project, std::string_view id, std::string_view name) {
  auto livestream = findOwned(project, {std::string(id), {}, {}});
  if (!livestream.ok()) return std::move(livestream).takeStatus();
  LS_RETURN_IF_ERROR(store_.renameLivestream(id, name));
  livestream->name = std::string(name);
  return withServer(std::move(*livestream), std::nullopt);
}

Result<RemovedLivestream> LivestreamService::remove(const Project& project, std::string_view id) {
  auto livestream = findOwned(project, {std::string(id), {}, {}});
  if (!livestream.ok()) return std::move(livestream).takeStatus();
  LS_RETURN_IF_ERROR(store_.deleteLivestream(id));
  const UnixMillis deletedAt = clock_.now();
  RemovedLivestream removed;
  // The embedded plane cuts by key whatever the recorded phase (a cheap no-op when not live there).
  for (ingest::StreamCutter* cutter : cutters_) cutter->cutStream(livestream->streamKey, "livestream deleted");
  if (livestream->phase == LivestreamStatus::kStarted) removed.publisher = cutExternal(*livestream, deletedAt);
  removed.livestream = std::move(*livestream);
  return removed;
}

Result<RemovedLivestream> LivestreamService::remove(const Project& project, std::string_view id, const Actor& actor) {
  auto removed = remove(project, id);
  if (!removed.ok()) return removed;
  AuditRecord record{audit::kLivestreamDeleted, project.teamId, project.id, "livestream", removed->livestream.id, {}};
  record.details = {textDetail("name", removed->livestream.name)};
  if (removed->publisher) record.details.push_back(boolDetail("publisherCut", removed->publisher->cut));
  audit_.record(actor, record);
  return removed;
}

Result<LivestreamRecord> LivestreamService::create(const Project& project, const CreateLivestreamInput& input,
                                                   const Actor& actor) {
  auto created = create(project, input);
  if (!created.ok()) return created;
  AuditRecord record{audit::kLivestreamCreated, project.teamId, project.id, "livestream", created->livestream.id, {}};
  record.details = {textDetail("name", created->livestream.name),
                    textDetail("mediaServerId", created->livestream.mediaServerId)};
  audit_.record(actor, record);
  return created;
}

Result<LivestreamRecord> LivestreamService::rename(const Project& project, std::string_view id, std::string_view name,
                                                   const Actor& actor) {
  auto renamed = rename(project, id, name);
  if (!renamed.ok()) return renamed;
  AuditRecord record{audit::kLivestreamRenamed, project.teamId, project.id, "livestream", renamed->livestream.id, {}};
  record.details = {textDetail("name", renamed->livestream.name)};
  audit_.record(actor, record);
  return renamed;
}

Result<LivestreamRecord> LivestreamService::issueToken(const Project& project, const TokenTarget& target,
                                                       std::optional<std::int64_t> expiresInSeconds,
                                                       const Actor& actor) {
  auto issued = issueToken(project, target, expiresInSeconds);
  if (!issued.ok()) return issued;
  audit_.record(actor, AuditRecord{audit::kPushTokenIssued, project.teamId, project.id, "livestream",
                                   issued->livestream.id, {}});
  return issued;
}

Result<Livestream> LivestreamService::find(std::string_view id) {
  auto found = store_.findLivestream(id);
  if (!found.ok()) return std::move(found).takeStatus();
  if (!found->has_value()) return livestreamNotFound();
  return std::move(**found);
}

PublisherCut LivestreamService::cutExternal(const Livestream& livestream, UnixMillis deletedAt) {
  PublisherCut outcome;
  auto server = store_.findMediaServer(livestream.mediaServerId);
  if (!server.ok() || !server->has_value()) {
    outcome.problem = "its media server could not be read to cut the publisher";
    return outcome;
  }
  const MediaServer& node = **server;
  // Its publish ends with the row: metered up to now (an external node's).
  meterLifecycleDelete(store_, node, livestream, deletedAt);
  if (node.type == MediaServerType::kEmbedded && !isRemoteNode(node)) {
    outcome.cut = true;
    return outcome;
  }
  if (nodeApi_ == nullptr || !nodeApi_->configured(node)) {
    outcome.problem = "media server " + node.name +
                      " has no API configured, so its publisher could not be cut; the node refuses the key's "
                      "next publish";
    return outcome;
  }
  const Status cut = nodeApi_->cutPublisher(node, kLiveApp, livestream.streamKey);
  outcome.cut = cut.isOk();
  if (!cut.isOk()) outcome.problem = "the publisher could not be cut: " + cut.message();
  return outcome;
}

Result<LivestreamRecord> LivestreamService::issueToken(const Project& project, const TokenTarget& target,
                                                       std::optional<std::int64_t> expiresInSeconds) {
  auto livestream = findOwned(project, target);
  if (!livestream.ok()) return std::move(livestream).takeStatus();
  const bool move = !target.mediaServerId.empty() && target.mediaServerId != livestream->mediaServerId;
  if (move) {
    LS_RETURN_IF_ERROR(usableServer(project, target.mediaServerId, "move the livestream to").status());
    if (livestream->phase == LivestreamStatus::kStarted) return liveCannotMove();
    livestream->mediaServerId = target.mediaServerId;  // the new token names the new server
  }
  std::string tokenId;
  UnixMillis expiresAt = 0;
  auto token = signToken(*livestream, expiresInSeconds.value_or(options_.defaultTokenTtlSeconds), tokenId, expiresAt);
  if (!token.ok()) return std::move(token).takeStatus();
  if (move) {
    // One statement: a publish racing the move lands first (then this is
    // refused as live) or finds the new token, never the old server's.
    Status moved = store_.moveLivestreamWithToken(livestream->id, target.mediaServerId, tokenId, expiresAt);
    if (moved.code() == Code::kConflict) return liveCannotMove();
    LS_RETURN_IF_ERROR(moved);
  } else {
    LS_RETURN_IF_ERROR(store_.replaceLivestreamToken(livestream->id, tokenId, expiresAt));
  }
  // Re-read: the phase may have moved (e.g. a publisher left) between the two statements.
  auto fresh = store_.findLivestream(livestream->id);
  if (!fresh.ok()) return std::move(fresh).takeStatus();
  if (!fresh->has_value()) return livestreamNotFound();
  return withServer(std::move(**fresh), std::move(*token));
}

Result<LivestreamRecord> LivestreamService::publicInfo(std::string_view streamKey) {
  auto found = store_.findLivestreamByStreamKey(streamKey);
  if (!found.ok()) return std::move(found).takeStatus();
  if (!found->has_value()) return livestreamNotFound();
  return withServer(std::move(**found), std::nullopt);
}

}  // namespace ls::control
