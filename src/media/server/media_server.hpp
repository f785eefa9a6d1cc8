// The embedded media server: ingest listeners (RTMP today) on their own
// event loops, the PublishManager that owns every publish, HLS kept in
// memory for the HTTP origin, and the control plane reached only through the
// ingest interfaces. Threads:
//   - media loops (MediaServerOptions::loops): each session lives on one;
//     codecs, the live source and its packagers run there, never blocking.
//   - one control thread: every IngestService call (database work) runs
//     there, in order, and its answer is posted back to the session's loop.
//   - HTTP threads read the HLS registry (thread-safe snapshots).
//   - one transcoder thread per stream that gets an ABR ladder (abr::TranscoderHub),
//     fed through a bounded queue by a sink on the stream's media loop.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "core/status.hpp"
#include "core/time.hpp"
#include "core/usage.hpp"
#include "ingest/ingest_service.hpp"
#include "media/abr/ladder_config.hpp"
#include "media/hls/publish_latency.hpp"
#include "media/hls/segment_store.hpp"
#include "media/server/connection_budget.hpp"
#include "media/server/hls_origin.hpp"

namespace ls::abr {
class TranscoderHub;
}

namespace ls::media_server {

struct PublishCounters;
struct PublishingStream;

// The media plane at one moment, for metrics.
struct MediaServerStats {
  std::size_t sessions = 0;      // open ingest connections of every protocol
  std::size_t publishing = 0;    // of them, publishing
  std::size_t unauthorized = 0;  // not yet authorized (holding a budget ticket)
  std::size_t unauthorizedHeldBytes = 0;
  std::size_t unauthorizedRefused = 0;
  std::vector<PublishingStream> streams;
};

struct MediaServerOptions {
  std::string mediaServerId;  // this node, as push tokens name it
  std::size_t loops = 1;
  std::int64_t segmentTargetMs = 2000;
  std::size_t windowSegments = 6;
  hls::LlOptions ll{};  // low-latency HLS (fMP4 parts) beside the MPEG-TS renditions
  std::int64_t endedLingerMs = 60'000;
  std::int64_t idleTimeoutMs = 10'000;       // no media for this long ends a publish
  std::int64_t handshakeTimeoutMs = 10'000;  // from accept until publishing
  abr::AbrOptions abr;                       // the ladder; abr.enabled = false: original only
  ConnectionBudgetOptions unauthorized;      // budgets of connections not yet publishing
  usage::UsageMeter* usage = nullptr;        // where publishes are metered; null: not metered
};

struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
};

class MediaServer final : public ingest::StreamCutter {
 public:
  // ingest, clock and random must outlive the server.
  MediaServer(MediaServerOptions options, ingest::IngestService& ingest, const Clock& clock, Random& random);
  ~MediaServer() override;
  MediaServer(const MediaServer&) = delete;
  MediaServer& operator=(const MediaServer&) = delete;

  // Binds the RTMP listener; port 0 picks a free port.
  Result<Endpoint> listen(const std::string& host, std::uint16_t port);
  void setMediaServerId(std::string id);
  void start();
  // Ends every publish (ENDED is recorded), closes sockets, joins threads.
  void stop();

  // The HLS of every live and recently ended stream, for the HTTP origin.
  [[nodiscard]] hls::HlsRegistry& hls();
  [[nodiscard]] const hls::HlsRegistry& hls() const;
  // The ABR transcoders, for metrics; nullptr when abr.enabled is false.
  [[nodiscard]] const abr::TranscoderHub* transcoders() const;
  // Publishes accepted, refused and ended since start, for metrics.
  [[nodiscard]] const PublishCounters& publishCounters() const;
  [[nodiscard]] MediaServerStats stats() const;
  // What the HLS origin answered; registerHlsRoutes counts into it.
  [[nodiscard]] OriginCounters& originCounters();
  [[nodiscard]] const OriginCounters& originCounters() const;
  // Segment publish latency of original renditions (ladder renditions: transcoders()).
  [[nodiscard]] const hls::PublishLatency& publishLatency() const;

  // The stream keys with a live publisher now; thread-safe (a remote
  // node's heartbeat reports them to the API tier).
  [[nodiscard]] std::vector<std::string> liveStreamKeys() const;

  // A deleted livestream's publisher is cut and its HLS freed at once.
  void cutStream(std::string_view streamKey, std::string_view reason) override;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace ls::media_server
