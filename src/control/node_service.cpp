#include "control/node_service.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <spdlog/spdlog.h>

#include "control/external_usage.hpp"
#include "control/urls.hpp"
#include "core/log_text.hpp"
#include "store/node_contact.hpp"

namespace ls::control {

namespace {

std::string nodeName(const MediaServer& server) {
  return std::string(toString(server.type)) + " media server " + logText(server.name) + " (" + server.id + ")";
}

// Another process: an external node, or a remote LunarStream node. Only the
// role-all process's own embedded server is always ONLINE.
bool isExternal(const MediaServer& server) {
  return server.type != MediaServerType::kEmbedded || isRemoteNode(server);
}

}  // namespace

std::int64_t leaseMsFor(const MediaServer& server, const NodeLeaseOptions& options) {
  std::int64_t lease = options.leaseMs;
  if (server.liveness.keepaliveIntervalMs > 0) lease = std::max(lease, 3 * server.liveness.keepaliveIntervalMs);
  if (!server.apiUrl.empty() && !isRemoteNode(server)) lease = std::max(lease, 3 * options.pollIntervalMs);
  return lease;
}

bool holdsLease(const MediaServer& server) {
  if (isRemoteNode(server)) return server.liveness.heartbeatAt.has_value();
  return isExternal(server) && (server.liveness.heartbeatAt.has_value() || !server.apiUrl.empty());
}

NodeStatus nodeStatus(const MediaServer& server, UnixMillis now, const NodeLeaseOptions& options) {
  if (!isExternal(server)) return NodeStatus::kOnline;
  if (server.liveness.offlineSince) return NodeStatus::kOffline;
  if (!holdsLease(server) || !server.liveness.lastSeenAt) return NodeStatus::kUnknown;
  return now - *server.liveness.lastSeenAt > leaseMsFor(server, options) ? NodeStatus::kOffline : NodeStatus::kOnline;
}

NodeService::NodeService(Store& store, const Clock& clock, NodeApi* api, NodeLeaseOptions options)
    : store_(store), clock_(clock), api_(api), options_(options) {}

Status NodeService::heard(const MediaServer& server, NodeContact contact) {
  if (contact.at == 0) contact.at = clock_.now();
  // A contact that may reveal a restart ends the node's streams in the store:
  // what was live before is read first so those publishes can be metered.
  // The liveness read with `server` may be a moment old; its highest hook
  // index only grows, so a restart the store detects is one planned here.
  std::vector<Livestream> startedBefore;
  if (meteredByLifecycle(server) && planNodeContact(server.liveness, contact).restartDetected) {
    auto started = store_.listStartedLivestreams(server.id);
    if (!started.ok()) return started.status();
    startedBefore = std::move(*started);
  }
  auto outcome = store_.recordNodeContact(server.id, contact);
  if (!outcome.ok()) return outcome.status();
  if (outcome->restartDetected) {
    spdlog::warn("{} restarted ({}): {} live stream(s) ENDED", nodeName(server),
                 contact.started ? "its server-started hook" : "its hook sequence started again from 0",
                 outcome->endedLivestreams);
    meterLifecycleEnds(store_, server, startedBefore, contact.at);
  }
  if (outcome->cameOnline) spdlog::info("{} is ONLINE again", nodeName(server));
  return Status::ok();
}

Status NodeService::exited(const MediaServer& server) {
  auto startedBefore = store_.listStartedLivestreams(server.id);
  if (!startedBefore.ok()) return startedBefore.status();
  const UnixMillis now = clock_.now();
  // Unconditionally: the node says it is exiting, so a contact of its that
  // another thread recorded a moment ago is older news.
  auto ended = store_.markNodeOffline(server.id, std::numeric_limits<UnixMillis>::max(), now);
  if (!ended.ok()) return ended.status();
  if (*ended) {
    spdlog::warn("{} is OFFLINE: it reported that it is exiting; {} live stream(s) ENDED", nodeName(server), **ended);
    meterLifecycleEnds(store_, server, *startedBefore, now);
  }
  return Status::ok();
}

Status NodeService::reportsNoStreams(const MediaServer& server) {
  auto started = store_.listStartedLivestreams(server.id);
  if (!started.ok()) return started.status();
  const UnixMillis now = clock_.now();
  for (const Livestream& l : *started) {
    if (l.startedAt && now - *l.startedAt < options_.registrationGraceMs) continue;
    LS_RETURN_IF_ERROR(store_.endLivestream(l.id, now));
    spdlog::info("{} reports no live stream: stream {} ENDED", nodeName(server), l.streamKey);
    meterLifecycleEnd(store_, server, l.id, now);
  }
  return Status::ok();
}

Status NodeService::confirmLive(const MediaServer& server, std::string_view streamKey) {
  auto found = store_.findLivestreamByStreamKey(streamKey);
  if (!found.ok()) return found.status();
  if (!found->has_value() || (*found)->mediaServerId != server.id) return Status::ok();
  if ((*found)->phase == LivestreamStatus::kStarted) return Status::ok();
  LS_RETURN_IF_ERROR(store_.resumeLivestream((*found)->id, clock_.now()));
  spdlog::info("{} has stream {} live: STARTED again", nodeName(server), (*found)->streamKey);
  return Status::ok();
}

Result<bool> NodeService::isLiveOn(const MediaServer& server, std::string_view streamKey) {
  auto found = store_.findLivestreamByStreamKey(streamKey);
  if (!found.ok()) return found.status();
  return found->has_value() && (*found)->mediaServerId == server.id && (*found)->phase == LivestreamStatus::kStarted;
}

Status NodeService::sweepLeases() {
  auto servers = store_.listMediaServers();
  if (!servers.ok()) return servers.status();
  const UnixMillis now = clock_.now();
  for (const MediaServer& server : *servers) {
    if (!holdsLease(server) || server.liveness.offlineSince || !server.liveness.lastSeenAt) continue;
    const std::int64_t lease = leaseMsFor(server, options_);
    const std::int64_t silentMs = now - *server.liveness.lastSeenAt;
    if (silentMs <= lease) continue;
    auto startedBefore = store_.listStartedLivestreams(server.id);
    if (!startedBefore.ok()) return startedBefore.status();
    auto ended = store_.markNodeOffline(server.id, now - lease, now);
    if (!ended.ok()) return ended.status();
    if (*ended) {
      spdlog::warn("{} is OFFLINE: nothing heard from it for {} s (lease {} s); {} live stream(s) ENDED",
                   nodeName(server), silentMs / 1000, lease / 1000, **ended);
      meterLifecycleEnds(store_, server, *startedBefore, now);
    }
  }
  return Status::ok();
}

Status NodeService::poll(const MediaServer& server) {
  if (api_ == nullptr || !api_->configured(server)) return Status(Code::kConflict, "no node API configured");
  const UnixMillis polledAt = clock_.now();
  auto live = api_->liveStreams(server);
  notePollOutcome(server, live.status());
  if (!live.ok()) return live.status();
  NodeContact contact;
  contact.at = clock_.now();
  contact.heartbeat = true;
  LS_RETURN_IF_ERROR(heard(server, contact));
  return reconcile(server, *live, polledAt);
}

Result<NodeHeartbeatAnswer> NodeService::heartbeat(const MediaServer& server, const NodeHeartbeat& beat) {
  const UnixMillis at = clock_.now();
  NodeContact contact;
  contact.at = at;
  contact.heartbeat = true;
  contact.keepaliveIntervalMs = beat.intervalMs;
  // The node's boot id is kept in remoteId (unused by remote nodes otherwise),
  // so every API process sees the same one.
  if (server.remoteId != beat.bootId) {
    contact.started = !server.remoteId.empty() || server.liveness.lastSeenAt.has_value();
    MediaServer updated = server;
    updated.remoteId = beat.bootId;
    LS_RETURN_IF_ERROR(store_.updateMediaServer(updated));
  }
  LS_RETURN_IF_ERROR(heard(server, contact));
  std::vector<NodeStream> live;
  live.reserve(beat.liveStreamKeys.size());
  for (const std::string& key : beat.liveStreamKeys) live.push_back({std::string(kLiveApp), key});
  NodeHeartbeatAnswer answer;
  answer.leaseSeconds = leaseMsFor(server, options_) / 1000;
  answer.heartbeatIntervalMs = beat.intervalMs;
  LS_RETURN_IF_ERROR(reconcile(server, live, at, &answer.cutStreamKeys));
  return answer;
}

Status NodeService::reconcile(const MediaServer& server, const std::vector<NodeStream>& live, UnixMillis polledAt,
                              std::vector<std::string>* cut) {
  std::set<std::string, std::less<>> liveKeys;
  for (const NodeStream& stream : live) {
    if (stream.app == kLiveApp) liveKeys.insert(stream.streamKey);
  }
  auto started = store_.listStartedLivestreams(server.id);
  if (!started.ok()) return started.status();
  const UnixMillis now = clock_.now();
  for (const Livestream& l : *started) {
    if (liveKeys.contains(l.streamKey)) continue;
    if (l.startedAt && *l.startedAt > polledAt - options_.registrationGraceMs) continue;
    LS_RETURN_IF_ERROR(store_.endLivestream(l.id, now));
    spdlog::info("{} no longer has stream {}: ENDED", nodeName(server), l.streamKey);
    meterLifecycleEnd(store_, server, l.id, now);
  }
  for (const std::string& key : liveKeys) {
    auto found = store_.findLivestreamByStreamKey(key);
    if (!found.ok()) return found.status();
    if (!found->has_value() || (*found)->mediaServerId != server.id) {
      if (cut != nullptr) {
        cut->push_back(key);
        spdlog::warn("{} has a publisher of stream {}, which is not one of its livestreams: told to cut it",
                     nodeName(server), logText(key));
        continue;
      }
      if (api_ == nullptr) continue;
      const Status cutStatus = api_->cutPublisher(server, kLiveApp, key);
      spdlog::warn("{} has a publisher of stream {}, which is not one of its livestreams: {}", nodeName(server),
                   logText(key), cutStatus.isOk() ? "cut" : "could not cut it: " + cutStatus.message());
      continue;
    }
    const Livestream& l = **found;
    // An end recorded after the node answered is newer than its answer.
    if (l.phase == LivestreamStatus::kStarted || (l.endedAt && *l.endedAt >= polledAt)) continue;
    LS_RETURN_IF_ERROR(store_.resumeLivestream(l.id, now));
    spdlog::info("{} has stream {} live: STARTED again", nodeName(server), l.streamKey);
  }
  return Status::ok();
}

void NodeService::notePollOutcome(const MediaServer& server, const Status& outcome) {
  const std::string problem = outcome.isOk() ? std::string() : outcome.message();
  std::lock_guard lock(pollLogMutex_);
  auto [it, first] = lastPollProblem_.try_emplace(server.id, problem);
  if (!first && it->second == problem) return;
  it->second = problem;
  if (!problem.empty()) {
    spdlog::warn("{}: its API cannot be polled: {}", nodeName(server), logText(problem));
  } else if (!first) {
    spdlog::info("{}: its API answers again", nodeName(server));
  }
}

Result<std::vector<NodeView>> NodeService::list() {
  auto servers = store_.listMediaServers();
  if (!servers.ok()) return servers.status();
  auto counts = store_.countStartedLivestreams();
  if (!counts.ok()) return counts.status();
  const std::map<std::string, std::int64_t, std::less<>> liveBy(counts->begin(), counts->end());
  const UnixMillis now = clock_.now();
  std::vector<NodeView> views;
  views.reserve(servers->size());
  for (MediaServer& server : *servers) {
    NodeView view;
    view.status = nodeStatus(server, now, options_);
    if (auto it = liveBy.find(server.id); it != liveBy.end()) view.liveStreams = it->second;
    view.server = std::move(server);
    views.push_back(std::move(view));
  }
  return views;
}

Result<std::vector<NodeView>> NodeService::availableTo(std::string_view projectId) {
  auto views = list();
  if (!views.ok()) return views.status();
  std::erase_if(*views, [&](const NodeView& view) {
    const std::vector<std::string>& ids = view.server.projectIds;
    return !ids.empty() && std::find(ids.begin(), ids.end(), projectId) == ids.end();
  });
  auto rank = [](NodeStatus s) { return s == NodeStatus::kOnline ? 0 : s == NodeStatus::kUnknown ? 1 : 2; };
  std::stable_sort(views->begin(), views->end(),
                   [&](const NodeView& a, const NodeView& b) { return rank(a.status) < rank(b.status); });
  return views;
}

}  // namespace ls::control
