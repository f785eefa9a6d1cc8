// Which publisher holds which stream key, and every open session of any
// protocol (to close them all on stop). Thread-safe: sessions on different
// loops register themselves; deletion and shutdown look them up from other
// threads. Holds weak references only: a session's life is its own.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "media/server/publisher.hpp"

namespace ls::media_server {

// One live publish, for metrics (labelled by livestream id: the stream key
// is what lets anyone watch, so scrapes do not list it).
struct PublishingStream {
  std::string livestreamId;
  std::string streamKey;
  std::string protocol;
  std::uint64_t bytesIn = 0;
  std::uint64_t bytesOut = 0;
};

class PublisherTable {
 public:
  // False when another live publisher already holds the key.
  bool claim(const std::string& streamKey, const std::string& livestreamId, const std::shared_ptr<Publisher>& publisher);
  void release(const std::string& streamKey, const Publisher* publisher);
  std::shared_ptr<Publisher> find(std::string_view streamKey);
  [[nodiscard]] std::size_t publishing();
  [[nodiscard]] std::vector<PublishingStream> publishingStreams();

  void track(const std::shared_ptr<Publisher>& session);
  void untrack(const Publisher* session);
  // Open sessions of every protocol, publishing or not.
  [[nodiscard]] std::size_t sessionCount();
  std::vector<std::shared_ptr<Publisher>> all();

 private:
  std::mutex mutex_;
  struct Claim {
    std::string livestreamId;
    std::weak_ptr<Publisher> publisher;
  };
  std::unordered_map<std::string, Claim> publishers_;
  std::unordered_map<const Publisher*, std::weak_ptr<Publisher>> sessions_;
};

}  // namespace ls::media_server
