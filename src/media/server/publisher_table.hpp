// Which session publishes which stream key, and every open session (to close
// them all on stop). Thread-safe: sessions on different loops register
// themselves; deletion and shutdown look them up from other threads.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ls::media_server {

class RtmpSession;

class PublisherTable {
 public:
  // False when another session already publishes the key.
  bool claim(const std::string& streamKey, const std::shared_ptr<RtmpSession>& session);
  void release(const std::string& streamKey, const RtmpSession* session);
  std::shared_ptr<RtmpSession> find(std::string_view streamKey);

  void track(const std::shared_ptr<RtmpSession>& session);
  void untrack(const RtmpSession* session);
  std::vector<std::shared_ptr<RtmpSession>> all();

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::weak_ptr<RtmpSession>> publishers_;
  std::unordered_map<const RtmpSession*, std::weak_ptr<RtmpSession>> sessions_;
};

}  // namespace ls::media_server
