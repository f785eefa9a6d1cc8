// One RTMP publisher: the client side of the plain handshake (C0/C1/C2, RTMP
// spec 5.2), connect / releaseStream / FCPublish / createStream / publish as
// FFmpeg and OBS send them, then the FLV file replayed in real time. The
// owner's ticker calls onTick(); each call appends the tags that are due to
// one buffer and writes it with a single send, so N publishers cost about N
// writes per tick however many frames are due.
//
// Falling behind is measured, never hidden: at most maxBacklogBytes wait in
// user space, and a publisher whose socket blocks stops taking due tags, so
// its media clock lags the wall clock (the "lag" and "real-time ratio").
//
// Threading: lives on the load generator's single io_context thread.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "loadgen/flv_media.hpp"
#include "loadgen/urls.hpp"
#include "media/rtmp/chunk_decoder.hpp"
#include "media/rtmp/chunk_encoder.hpp"

namespace ls::loadgen {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;

struct PublisherOptions {
  RtmpUrl url;
  std::uint32_t chunkSize = 4096;  // announced with Set Chunk Size, as OBS does
  std::size_t maxBacklogBytes = 512 * 1024;
  bool logKeyframes = false;  // for the segment-availability probe
};

enum class PublisherState { kIdle, kConnecting, kHandshake, kCommands, kPublishing, kRefused, kFailed, kStopped };
const char* toString(PublisherState state);

struct KeyframeSent {
  std::int64_t mediaMs = 0;  // on the publisher's own timeline (0 = first frame)
  TimePoint at;              // when the bytes were handed to the kernel
};

struct PublisherStats {
  PublisherState state = PublisherState::kIdle;
  std::string error;          // refusal (onStatus code: description) or failure reason
  bool disconnected = false;  // the server closed or reset the connection while publishing
  TimePoint connectAt{};
  TimePoint publishSentAt{};   // the publish command was written
  TimePoint publishStartAt{};  // NetStream.Publish.Start arrived; media time 0
  TimePoint endedAt{};
  std::int64_t mediaMsWritten = -1;  // time of the last tag fully written to the socket
  std::int64_t maxLagMs = 0;         // how long a due tag waited to be written, at worst
  std::uint64_t bytesWritten = 0;
  std::uint64_t tagsWritten = 0;
  std::vector<KeyframeSent> keyframes;  // only with logKeyframes
};

class RtmpPublisher : public std::enable_shared_from_this<RtmpPublisher> {
 public:
  RtmpPublisher(boost::asio::io_context& io, const FlvMedia& media, PublisherOptions options);

  void start(TimePoint now);
  // Sends what is due at `now` and updates the lag.
  void onTick(TimePoint now);
  void stop(TimePoint now);

  // Called after a logged keyframe reached the kernel (once per GOP; the probe polls fast then).
  void setKeyframeListener(std::function<void()> listener) { keyframeListener_ = std::move(listener); }

  [[nodiscard]] const PublisherStats& stats() const noexcept { return stats_; }
  [[nodiscard]] bool publishing() const noexcept { return stats_.state == PublisherState::kPublishing; }
  // Wall time this publisher has been publishing, in ms (0 before).
  [[nodiscard]] std::int64_t publishedMs(TimePoint now) const;

 private:
  void readMore();
  void onRead(std::size_t n);
  void onHandshakeBytes(std::span<const std::uint8_t> in);
  void onChunkBytes(std::span<const std::uint8_t> in);
  void onMessage(const rtmp::ChunkMessage& message);
  void onCommand(std::span<const std::uint8_t> payload, bool amf3);
  void sendCommand(std::uint32_t csid, std::uint32_t streamId, const std::vector<std::uint8_t>& payload);
  void startMedia();
  void appendDueTags(std::int64_t elapsedMs);
  void appendTag(std::uint8_t type, std::uint32_t timestamp, std::span<const std::uint8_t> body);
  void flush();
  void fail(std::string reason, bool disconnected);

  const FlvMedia& media_;
  PublisherOptions options_;
  boost::asio::ip::tcp::socket socket_;
  PublisherStats stats_;

  std::array<std::uint8_t, 16 * 1024> readBuffer_{};
  std::vector<std::uint8_t> handshake_;  // S0+S1+S2 gathered
  rtmp::ChunkDecoder decoder_;
  rtmp::ChunkEncoder encoder_;
  std::vector<std::uint8_t> scratch_;
  std::uint32_t streamId_ = 0;

  // Two buffers: `out_` collects, `inflight_` is being written.
  std::vector<std::uint8_t> out_;
  std::vector<std::uint8_t> inflight_;
  bool writing_ = false;
  std::int64_t outFirstMs_ = -1;  // media time of the first/last tag in each buffer
  std::int64_t outLastMs_ = -1;
  std::int64_t inflightFirstMs_ = -1;
  std::int64_t inflightLastMs_ = -1;
  std::uint64_t outTags_ = 0;
  std::uint64_t inflightTags_ = 0;
  std::vector<std::int64_t> outKeyframes_;
  std::vector<std::int64_t> inflightKeyframes_;
  std::function<void()> keyframeListener_;

  // Replay cursor over the shared tag list.
  std::size_t cursor_ = 0;
  std::int64_t loopOffsetMs_ = 0;
};

}  // namespace ls::loadgen
