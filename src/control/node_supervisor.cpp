#include "control/node_supervisor.hpp"

#include <spdlog/spdlog.h>

#include "core/log_text.hpp"

namespace ls::control {

NodeSupervisor::NodeSupervisor(NodeService& nodes, Store& store, const Clock& clock, NodeSupervisorOptions options)
    : nodes_(nodes), store_(store), clock_(clock), options_(options) {}

NodeSupervisor::~NodeSupervisor() { stop(); }

void NodeSupervisor::start() {
  threads_.emplace_back([this] { tickLoop(); });
  for (std::size_t i = 0; i < options_.pollThreads; ++i) threads_.emplace_back([this] { pollLoop(); });
}

void NodeSupervisor::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void NodeSupervisor::tickLoop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    tick();
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(options_.tickMs), [this] { return stopping_; });
  }
}

void NodeSupervisor::tick() {
  if (Status s = nodes_.sweepLeases(); !s.isOk()) spdlog::warn("node leases: {}", logText(s.message()));
  NodeApi* api = nodes_.api();
  if (api == nullptr) return;
  auto servers = store_.listMediaServers();
  if (!servers.ok()) return;  // the sweep above has logged the store's trouble
  const UnixMillis now = clock_.now();
  std::lock_guard lock(mutex_);
  for (MediaServer& server : *servers) {
    // Remote LunarStream nodes report their streams in their own heartbeats.
    if (!api->configured(server) || isRemoteNode(server) || inFlight_.contains(server.id)) continue;
    auto last = lastPoll_.find(server.id);
    if (last != lastPoll_.end() && now - last->second < nodes_.options().pollIntervalMs) continue;
    lastPoll_[server.id] = now;
    inFlight_.insert(server.id);
    due_.push_back(std::move(server));
  }
  if (!due_.empty()) wake_.notify_all();
}

void NodeSupervisor::pollLoop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !due_.empty(); });
    if (stopping_) return;
    MediaServer server = std::move(due_.front());
    due_.pop_front();
    lock.unlock();
    // A failed poll is logged by NodeService when the node's outcome changes.
    (void)nodes_.poll(server);
    lock.lock();
    inFlight_.erase(server.id);
  }
}

}  // namespace ls::control
