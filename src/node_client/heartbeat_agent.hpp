// A `--role media` node's heartbeats to the API tier: every interval, POST
// .../heartbeat with the node's boot id and the stream keys it has live;
// the answer lists keys the control plane does not hold as STARTED on this
// node, which are cut (the safety net when a cut call did not reach us).
// One thread of its own; HTTP never runs on a media loop.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http_client/http_client.hpp"
#include "core/steering.hpp"
#include "ingest/ingest_service.hpp"
#include "node_client/remote_ingest_service.hpp"

namespace ls::node_client {

struct HeartbeatOptions {
  std::chrono::milliseconds interval{2000};  // node.heartbeat_interval_ms
  std::chrono::milliseconds timeout{2000};
  // Content steering: the node's pathways and their order as the API tier
  // measured them (the answer's "steering"; steering_json.hpp), after every
  // answer that carries a valid one (an inactive snapshot when it is null).
  // On the agent's thread. Empty: ignored.
  std::function<void(const SteeringSnapshot&)> onSteering;
};

class HeartbeatAgent {
 public:
  using LiveKeys = std::function<std::vector<std::string>()>;
  // client and cutter must outlive the agent. bootId: random per process start.
  HeartbeatAgent(http_client::HttpClient& client, NodeCredentials node, std::string bootId, LiveKeys liveKeys,
                 ingest::StreamCutter& cutter, HeartbeatOptions options = {});
  ~HeartbeatAgent();
  HeartbeatAgent(const HeartbeatAgent&) = delete;
  HeartbeatAgent& operator=(const HeartbeatAgent&) = delete;

  // One heartbeat now. kUnauthenticated when the API tier refuses the node's
  // credentials; kUnavailable when it cannot be reached or fails.
  Status beat();
  void start();
  void stop();

 private:
  void run();
  void noteOutcome(const Status& outcome);

  http_client::HttpClient& client_;
  NodeCredentials node_;
  std::string bootId_;
  LiveKeys liveKeys_;
  ingest::StreamCutter& cutter_;
  HeartbeatOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::string lastProblem_;
  bool first_ = true;
  std::thread thread_;
};

}  // namespace ls::node_client
