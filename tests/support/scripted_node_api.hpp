// A NodeApi whose answers a test scripts: what each node has live, whether
// cutting works, and a hook that runs inside a poll (to stand in for a hook
// arriving meanwhile, or a slow node). Records every call. Thread-safe, so
// the node supervisor's poll threads can share it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "control/node_api.hpp"

namespace ls::testing {

class ScriptedNodeApi final : public control::NodeApi {
 public:
  struct Cut {
    std::string serverId;
    std::string app;
    std::string streamKey;
    bool operator==(const Cut&) const = default;
  };

  // What liveStreams answers for the server; a server never scripted has nothing live.
  void answer(const std::string& serverId, Result<std::vector<control::NodeStream>> streams) {
    std::lock_guard lock(mutex_);
    answers_.insert_or_assign(serverId, std::move(streams));
  }
  // What cutPublisher answers from now on.
  void cutsAnswer(Status status) {
    std::lock_guard lock(mutex_);
    cutAnswer_ = std::move(status);
  }
  // Runs inside every liveStreams call before it answers, outside the lock.
  void duringPoll(std::function<void(const MediaServer&)> hook) {
    std::lock_guard lock(mutex_);
    duringPoll_ = std::move(hook);
  }

  [[nodiscard]] bool configured(const MediaServer& server) const override {
    return server.type != MediaServerType::kEmbedded && !server.apiUrl.empty();
  }

  Result<std::vector<control::NodeStream>> liveStreams(const MediaServer& server) override {
    std::function<void(const MediaServer&)> hook;
    {
      std::lock_guard lock(mutex_);
      ++polls_[server.id];
      int& now = inPoll_[server.id];
      ++now;
      maxInPoll_[server.id] = std::max(maxInPoll_[server.id], now);
      hook = duringPoll_;
    }
    if (hook) hook(server);
    std::lock_guard lock(mutex_);
    --inPoll_[server.id];
    auto it = answers_.find(server.id);
    if (it == answers_.end()) return std::vector<control::NodeStream>{};
    return it->second;
  }

  Status cutPublisher(const MediaServer& server, std::string_view app, std::string_view streamKey) override {
    std::lock_guard lock(mutex_);
    cuts_.push_back({server.id, std::string(app), std::string(streamKey)});
    return cutAnswer_;
  }

  [[nodiscard]] int polls(const std::string& serverId) const {
    std::lock_guard lock(mutex_);
    auto it = polls_.find(serverId);
    return it == polls_.end() ? 0 : it->second;
  }
  // The most liveStreams calls for one server that were ever in progress at once.
  [[nodiscard]] int maxConcurrentPolls(const std::string& serverId) const {
    std::lock_guard lock(mutex_);
    auto it = maxInPoll_.find(serverId);
    return it == maxInPoll_.end() ? 0 : it->second;
  }
  [[nodiscard]] std::vector<Cut> cuts() const {
    std::lock_guard lock(mutex_);
    return cuts_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Result<std::vector<control::NodeStream>>, std::less<>> answers_;
  Status cutAnswer_;
  std::function<void(const MediaServer&)> duringPoll_;
  std::map<std::string, int, std::less<>> polls_;
  std::map<std::string, int, std::less<>> inPoll_;
  std::map<std::string, int, std::less<>> maxInPoll_;
  std::vector<Cut> cuts_;
};

}  // namespace ls::testing
