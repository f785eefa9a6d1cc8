// Owns publishing, for every protocol. A protocol session hands it a
// protocol-neutral PublishAttempt; the manager asks the ingest service (on
// the control thread: it may block), claims the stream key on this node,
// builds the sinks (the original rendition's HLS, the ABR ladder; later
// LL-HLS and recording) behind a LiveSource, and hands the session a
// Publication to feed frames into. Ending a Publication releases the key and
// records ENDED, retrying until the write lands so that a stream is never
// left STARTED after its publisher is gone.
//
// Threads: requestPublish() and Publication run on the session's loop;
// authorization and lifecycle writes run on the control thread, in order;
// cut() and counters() are thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.hpp"
#include "core/time.hpp"
#include "core/usage.hpp"
#include "ingest/ingest_service.hpp"
#include "media/hls/cmaf_packager.hpp"
#include "media/hls/publish_latency.hpp"
#include "media/hls/segment_store.hpp"
#include "media/server/live_source.hpp"
#include "media/server/publisher.hpp"
#include "media/server/publisher_table.hpp"

namespace ls::abr {
class TranscoderHub;
}

namespace ls::media_server {

// What a session knows when its client asks to publish, whatever the protocol.
struct PublishAttempt {
  std::string protocol;     // "rtmp", ...
  std::string app;          // application, "live"
  std::string streamName;   // the stream key
  std::string query;        // the query that carries the credentials ("pushToken=...")
  std::string peerAddress;  // host:port
};

struct PublishManagerOptions {
  std::string mediaServerId;  // this node, as push tokens name it
  std::int64_t segmentTargetMs = 2000;
  // An ENDED write that failed is retried after this, doubling up to the cap.
  std::int64_t endRetryFirstMs = 250;
  std::int64_t endRetryMaxMs = 10'000;
  // Where each publish's usage is counted (ingest, transcode, egress); null: not metered.
  usage::UsageMeter* usage = nullptr;
  // Low-latency HLS: a CmafPackager beside each rendition's HlsPackager.
  hls::LlOptions ll{};
};

class PublishManager;

// One accepted publish. Owned by its session, on the session's loop.
// Destroying it ends the publish.
class Publication {
 public:
  ~Publication();
  Publication(const Publication&) = delete;
  Publication& operator=(const Publication&) = delete;

  [[nodiscard]] const ingest::PublishGrant& grant() const { return grant_; }
  // Where the session delivers codec configurations and frames.
  [[nodiscard]] media::MediaSink& sink() { return source_; }
  [[nodiscard]] const SourceStats& stats() const { return source_.stats(); }
  // Bit rates the publisher declared (before its first frame, to count).
  void declareRates(const media::DeclaredRates& rates) { source_.declareRates(rates); }
  // Sinks end, the key is released, ENDED is recorded. Idempotent.
  void end();

 private:
  friend class PublishManager;
  Publication(PublishManager& manager, ingest::PublishGrant grant, const Publisher* publisher,
              std::shared_ptr<usage::StreamUsage> usage);

  PublishManager& manager_;
  ingest::PublishGrant grant_;
  std::shared_ptr<usage::StreamUsage> usage_;  // null when not metered
  const Publisher* publisher_;
  LiveSource source_;
  bool ended_ = false;
};

// Totals since start, for /metrics. Refusals are counted by code.
struct PublishCounters {
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> ended{0};
  std::atomic<std::uint64_t> endWriteRetries{0};
  std::array<std::atomic<std::uint64_t>, 10> refusedByCode{};
};

class PublishManager {
 public:
  // Everything passed in must outlive the manager. abr may be null (no ladder).
  PublishManager(PublishManagerOptions options, ingest::IngestService& ingest, boost::asio::io_context& control,
                 const Clock& clock, hls::HlsRegistry& hls, abr::TranscoderHub* abr, PublisherTable& table);
  ~PublishManager();

  // Set before serving.
  void setMediaServerId(std::string id) { options_.mediaServerId = std::move(id); }

  using Decided = std::function<void(Result<std::unique_ptr<Publication>>)>;
  // Decides on the control thread; calls `decided` on `loop` with the live
  // publication or the refusal (readable by the broadcaster). If the
  // session has gone by then, dropping the publication ends it cleanly.
  void requestPublish(std::shared_ptr<Publisher> publisher, PublishAttempt attempt, boost::asio::any_io_executor loop,
                      Decided decided);

  // Cuts the publisher of a stream key on this node, if any. Thread-safe.
  void cut(std::string_view streamKey, std::string reason);

  [[nodiscard]] const PublishCounters& counters() const { return counters_; }
  // Segment publish latency of original renditions since start.
  [[nodiscard]] const hls::PublishLatency& publishLatency() const { return latency_; }

 private:
  friend class Publication;
  Result<std::unique_ptr<Publication>> admit(const std::shared_ptr<Publisher>& publisher,
                                             Result<ingest::PublishGrant> decision);
  void buildSinks(LiveSource& source, const ingest::PublishGrant& grant,
                  const std::shared_ptr<usage::StreamUsage>& usage, bool hasVideo, bool hasAudio);
  void ended(const ingest::PublishGrant& grant, const Publisher* publisher);
  // A PublishEnd for a grant of this node.
  [[nodiscard]] ingest::PublishEnd endOf(std::string livestreamId, std::string streamKey) const;
  // Control thread only.
  void recordEnded(ingest::PublishEnd end);
  void flushPendingEnds();
  void retryPendingEndsLater();
  void countRefusal(Code code);

  PublishManagerOptions options_;
  ingest::IngestService& ingest_;
  boost::asio::io_context& control_;
  const Clock& clock_;
  hls::HlsRegistry& hls_;
  abr::TranscoderHub* abr_;
  PublisherTable& table_;
  PublishCounters counters_;
  hls::PublishLatency latency_;
  // Control thread only: ENDED writes that did not land yet, oldest first.
  std::deque<ingest::PublishEnd> pendingEnds_;
  boost::asio::steady_timer retryTimer_;
  std::int64_t retryDelayMs_ = 0;
};

}  // namespace ls::media_server
