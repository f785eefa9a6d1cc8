// External media nodes as managed nodes (SPEC §4): every node holds a lease
// that its calls (hooks, answered polls) renew; a node whose lease lapses is
// OFFLINE and its streams are ENDED; a node with an API is polled and what it
// has live is reconciled with what LunarStream thinks is live, both ways.
// Thread-safe (state lives in the Store); blocking; called from hook
// handlers and the node supervisor's threads.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "control/node_api.hpp"
#include "core/model.hpp"
#include "core/status.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace ls::control {

struct NodeLeaseOptions {
  // nodes.lease_seconds: how long a node may stay silent.
  std::int64_t leaseMs = 30'000;
  // nodes.poll_interval_seconds: how often a node with an API is asked.
  std::int64_t pollIntervalMs = 5'000;
  // A node registers a stream a moment after authorizing its publish, so a
  // publish younger than this is not ended for being absent from its list
  // (the server sets two poll intervals, 2 to 10 s).
  std::int64_t registrationGraceMs = 10'000;
};

// The lease of one node: the configured lease, and never less than three of
// its own signal intervals (its keepalive, or the poll interval when polled).
std::int64_t leaseMsFor(const MediaServer& server, const NodeLeaseOptions& options);
// Whether the node sends a periodic signal that a lease can be held on: it
// has sent a keepalive (or server-started) hook, or it has an API to poll. A
// node that only asks about publishes is never declared OFFLINE.
bool holdsLease(const MediaServer& server);
// EMBEDDED: ONLINE (it is this process). External: OFFLINE once declared (or
// when its lease has lapsed), ONLINE while its lease holds, UNKNOWN when it
// holds no lease.
NodeStatus nodeStatus(const MediaServer& server, UnixMillis now, const NodeLeaseOptions& options);

// A media server as listings show it.
struct NodeView {
  MediaServer server;
  NodeStatus status = NodeStatus::kUnknown;
  std::int64_t liveStreams = 0;
};

// A remote LunarStream media node's heartbeat (POST /internal/v1/nodes/{id}/heartbeat).
struct NodeHeartbeat {
  // Random per process start: a new one means the node restarted, so its
  // streams from before are ENDED.
  std::string bootId;
  // The stream keys with a live publisher on the node.
  std::vector<std::string> liveStreamKeys;
  // How often the node sends heartbeats.
  std::int64_t intervalMs = 0;
};

struct NodeHeartbeatAnswer {
  std::int64_t leaseSeconds = 0;
  std::int64_t heartbeatIntervalMs = 0;
  // Keys the node must cut: live there, but not a livestream of that node here.
  std::vector<std::string> cutStreamKeys;
};

class NodeService {
 public:
  // api may be null (no node is ever polled or cut then).
  NodeService(Store& store, const Clock& clock, NodeApi* api, NodeLeaseOptions options);

  [[nodiscard]] const NodeLeaseOptions& options() const { return options_; }
  [[nodiscard]] NodeApi* api() const { return api_; }

  // A call from the node (contact.at = now when 0). Logs a node that comes
  // back, and a restart that ended its streams.
  Status heard(const MediaServer& server, NodeContact contact);
  // The node said it is exiting: OFFLINE now, its streams ENDED.
  Status exited(const MediaServer& server);
  // The node reported that it has no stream at all: its STARTED streams
  // (older than the registration grace) are ENDED.
  Status reportsNoStreams(const MediaServer& server);
  // The node says streamKey is live (MediaMTX ready): STARTED again if an
  // end was recorded meanwhile. Streams of other nodes are left alone.
  Status confirmLive(const MediaServer& server, std::string_view streamKey);
  // Whether LunarStream has streamKey live on this node.
  Result<bool> isLiveOn(const MediaServer& server, std::string_view streamKey);

  // A remote node's heartbeat: renews its lease (a new bootId is a restart:
  // its streams are ENDED first), then reconciles its live keys as a poll
  // does, answering the keys to cut instead of cutting them.
  Result<NodeHeartbeatAnswer> heartbeat(const MediaServer& server, const NodeHeartbeat& beat);

  // Every leased node that has been silent for its lease becomes OFFLINE and
  // its streams ENDED, with one log line each. Run at startup and then often.
  Status sweepLeases();
  // Asks one node with an API what it has live and reconciles: a stream it
  // no longer has is ENDED, one it has that LunarStream had ended is
  // STARTED, a publisher of a key that is unknown here (deleted, or of
  // another node) is cut. A failed poll renews nothing; it is logged when
  // the node's poll outcome changes, not every time.
  Status poll(const MediaServer& server);

  // Every media server with its status and live stream count, oldest first.
  Result<std::vector<NodeView>> list();
  // The servers a project may use (global or assigned to it), ONLINE first.
  Result<std::vector<NodeView>> availableTo(std::string_view projectId);

 private:
  void notePollOutcome(const MediaServer& server, const Status& outcome);
  // Keys to cut go to *cut when given, else are cut through the node API.
  Status reconcile(const MediaServer& server, const std::vector<NodeStream>& live, UnixMillis polledAt,
                   std::vector<std::string>* cut = nullptr);

  Store& store_;
  const Clock& clock_;
  NodeApi* api_;
  NodeLeaseOptions options_;
  std::mutex pollLogMutex_;
  std::map<std::string, std::string, std::less<>> lastPollProblem_;  // by server id; "" = last poll fine
};

}  // namespace ls::control
