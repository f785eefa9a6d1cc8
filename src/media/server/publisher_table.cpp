#include "media/server/publisher_table.hpp"

namespace ls::media_server {

bool PublisherTable::claim(const std::string& streamKey, const std::string& livestreamId,
                           const std::shared_ptr<Publisher>& publisher) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = publishers_.try_emplace(streamKey, Claim{livestreamId, publisher});
  if (inserted) return true;
  if (!it->second.publisher.expired()) return false;
  it->second = Claim{livestreamId, publisher};
  return true;
}

void PublisherTable::release(const std::string& streamKey, const Publisher* publisher) {
  std::lock_guard lock(mutex_);
  auto it = publishers_.find(streamKey);
  if (it == publishers_.end()) return;
  auto current = it->second.publisher.lock();
  if (!current || current.get() == publisher) publishers_.erase(it);
}

std::shared_ptr<Publisher> PublisherTable::find(std::string_view streamKey) {
  std::lock_guard lock(mutex_);
  auto it = publishers_.find(std::string(streamKey));
  return it == publishers_.end() ? nullptr : it->second.publisher.lock();
}

std::size_t PublisherTable::publishing() {
  std::lock_guard lock(mutex_);
  return publishers_.size();
}

std::vector<PublishingStream> PublisherTable::publishingStreams() {
  std::lock_guard lock(mutex_);
  std::vector<PublishingStream> out;
  out.reserve(publishers_.size());
  for (const auto& [key, claim] : publishers_) {
    auto publisher = claim.publisher.lock();
    if (!publisher) continue;
    const PublisherCounters& c = publisher->counters();
    out.push_back({claim.livestreamId, key, publisher->protocol(), c.bytesIn.load(std::memory_order_relaxed),
                   c.bytesOut.load(std::memory_order_relaxed)});
  }
  return out;
}

void PublisherTable::track(const std::shared_ptr<Publisher>& session) {
  std::lock_guard lock(mutex_);
  sessions_[session.get()] = session;
}

void PublisherTable::untrack(const Publisher* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
}

std::size_t PublisherTable::sessionCount() {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::vector<std::shared_ptr<Publisher>> PublisherTable::all() {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Publisher>> out;
  for (auto& [ptr, weak] : sessions_) {
    if (auto s = weak.lock()) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace ls::media_server
