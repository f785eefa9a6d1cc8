// What the publish manager needs from a protocol session (RTMP today; SRT or
// a test source tomorrow): a way to cut it and figures about it. A session
// translates its wire format into media frames for the LiveSource it is
// given; everything else about publishing is the PublishManager's.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace ls::media_server {

// Figures a session keeps while it lives. Written on the session's loop,
// read from any thread (metrics), hence atomics.
struct PublisherCounters {
  std::atomic<std::uint64_t> bytesIn{0};
  std::atomic<std::uint64_t> bytesOut{0};
  std::atomic<std::uint64_t> rejectedFrames{0};  // malformed or unsupported media
};

class Publisher {
 public:
  virtual ~Publisher() = default;
  // Thread-safe: closes the session on its own loop, ending any publish.
  virtual void kick(std::string reason) = 0;
  // "rtmp", "srt", ...; constant for the session's life.
  [[nodiscard]] virtual const std::string& protocol() const = 0;
  // The peer's address and port, for logs; constant.
  [[nodiscard]] virtual const std::string& peer() const = 0;
  [[nodiscard]] virtual const PublisherCounters& counters() const = 0;
};

}  // namespace ls::media_server
