// Keeps the leases of external media nodes and polls the ones with an API
// (control::NodeService does the work; this owns the threads and the
// schedule). One ticker thread sweeps the leases every second and hands the
// nodes that are due a poll to a few poll threads, so one slow node never
// delays another's poll or the lease sweep. Media servers added or changed
// while running (by the CLI, another process) are picked up at the next tick.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "control/node_service.hpp"
#include "core/time.hpp"

namespace ls::control {

struct NodeSupervisorOptions {
  std::int64_t tickMs = 1000;
  std::size_t pollThreads = 4;
};

class NodeSupervisor {
 public:
  NodeSupervisor(NodeService& nodes, Store& store, const Clock& clock, NodeSupervisorOptions options = {});
  ~NodeSupervisor();
  NodeSupervisor(const NodeSupervisor&) = delete;
  NodeSupervisor& operator=(const NodeSupervisor&) = delete;

  void start();
  // Joins every thread; a poll in flight finishes first (its HTTP timeout bounds it).
  void stop();

 private:
  void tickLoop();
  void pollLoop();
  void tick();

  NodeService& nodes_;
  Store& store_;
  const Clock& clock_;
  NodeSupervisorOptions options_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::deque<MediaServer> due_;
  std::set<std::string, std::less<>> inFlight_;          // server ids queued or being polled
  std::map<std::string, UnixMillis, std::less<>> lastPoll_;  // server id -> when its last poll started
  std::vector<std::thread> threads_;
};

}  // namespace ls::control
