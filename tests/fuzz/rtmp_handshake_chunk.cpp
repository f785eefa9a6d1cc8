// libFuzzer target: ls::rtmp::ServerConnection fed arbitrary bytes, raw or
// after a valid handshake prefix. See rtmp_handshake_chunk.cmake for the
// layout of an input.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "media/rtmp/server_connection.hpp"

namespace {

class FixedRandom final : public ls::Random {
 public:
  void fill(std::span<std::uint8_t> out) override {
    for (std::uint8_t& b : out) b = static_cast<std::uint8_t>(++next_);
  }

 private:
  std::uint32_t next_ = 0;
};

class Observer final : public ls::rtmp::ServerConnectionObserver {
 public:
  ls::rtmp::ServerConnection* connection = nullptr;
  bool reject = false;
  std::size_t sink = 0;

  void onPublishRequest(const ls::rtmp::PublishRequest& request) override {
    sink += request.streamName.size() + request.streamQuery.size() + request.tcUrlQuery.size();
    if (reject) {
      connection->rejectPublish(ls::Code::kUnauthenticated, "refused");
    } else {
      connection->acceptPublish();
    }
  }
  void onMetadata(const ls::rtmp::StreamMetadata& metadata) override { sink += metadata.encoder.size(); }
  void onVideo(std::int64_t, std::span<const std::uint8_t> payload) override { touch(payload); }
  void onAudio(std::int64_t, std::span<const std::uint8_t> payload) override { touch(payload); }
  void onUnpublish() override { ++sink; }
  void onError(const ls::Status& status) override { sink += status.message().size(); }

 private:
  void touch(std::span<const std::uint8_t> payload) {
    if (!payload.empty()) sink += payload.front() + payload.back();  // spans must be readable
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  std::vector<std::uint8_t> input;
  if (mode & 1) {
    input.assign(1 + 2 * 1536, 0);
    input[0] = 3;  // C0, then an all-zero (plain) C1 and a C2
  }
  input.insert(input.end(), data + 1, data + size);
  const std::size_t piece = (mode >> 2) == 0 ? input.size() : (mode >> 2);

  FixedRandom random;
  Observer observer;
  observer.reject = (mode & 2) != 0;
  ls::rtmp::ServerConnection connection(observer, random);
  observer.connection = &connection;
  for (std::size_t pos = 0; pos < input.size(); pos += piece) {
    const std::size_t n = std::min(piece, input.size() - pos);
    if (!connection.feed(std::span<const std::uint8_t>(input).subspan(pos, n)).isOk()) break;
    connection.consumeOutput(connection.pendingOutput().size() / 2 + 1);
  }
  return 0;
}
