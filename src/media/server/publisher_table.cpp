#include "media/server/publisher_table.hpp"

namespace ls::media_server {

bool PublisherTable::claim(const std::string& streamKey, const std::shared_ptr<RtmpSession>& session) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = publishers_.try_emplace(streamKey, session);
  if (inserted) return true;
  if (!it->second.expired()) return false;
  it->second = session;
  return true;
}

void PublisherTable::release(const std::string& streamKey, const RtmpSession* session) {
  std::lock_guard lock(mutex_);
  auto it = publishers_.find(streamKey);
  if (it == publishers_.end()) return;
  auto current = it->second.lock();
  if (!current || current.get() == session) publishers_.erase(it);
}

std::shared_ptr<RtmpSession> PublisherTable::find(std::string_view streamKey) {
  std::lock_guard lock(mutex_);
  auto it = publishers_.find(std::string(streamKey));
  return it == publishers_.end() ? nullptr : it->second.lock();
}

void PublisherTable::track(const std::shared_ptr<RtmpSession>& session) {
  std::lock_guard lock(mutex_);
  sessions_[session.get()] = session;
}

void PublisherTable::untrack(const RtmpSession* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
}

std::vector<std::shared_ptr<RtmpSession>> PublisherTable::all() {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<RtmpSession>> out;
  for (auto& [ptr, weak] : sessions_) {
    if (auto s = weak.lock()) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace ls::media_server
