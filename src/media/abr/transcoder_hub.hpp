// The media server's transcoders: starts one per publish that needs a
// ladder, joins their threads when they finish, reports their figures.
//
// Threads: start() is called on media loops (from a LiveSource's sink
// factory), snapshot() on HTTP threads, reap() periodically on whichever
// loop owns the sweep timer, stopAll() at shutdown; all of them under one
// mutex held only for the list. Joining happens outside it, and reap() only
// joins threads that have already returned, so it never waits.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "core/time.hpp"
#include "media/abr/ladder.hpp"
#include "media/abr/transcoder.hpp"
#include "media/abr/transcoder_stats.hpp"
#include "media/core/frame.hpp"
#include "media/core/sink.hpp"
#include "media/hls/publish_latency.hpp"

namespace ls::abr {

class TranscoderHub {
 public:
  // The clock must outlive the hub (packagers stamp program date-times with it).
  TranscoderHub(AbrOptions options, const Clock& clock);
  ~TranscoderHub();
  TranscoderHub(const TranscoderHub&) = delete;
  TranscoderHub& operator=(const TranscoderHub&) = delete;

  [[nodiscard]] const AbrOptions& options() const { return options_; }

  // Whether a stream with this video config (nullptr: no video) is worth a
  // transcoder: some rung lies strictly below its height, or its height is
  // not known yet (an SPS we could not parse; the pipeline decides later).
  [[nodiscard]] bool wants(const media::VideoConfig* config) const;

  // Starts a transcoder and returns the sink that feeds it, for the
  // publisher's LiveSource. nullptr once stopAll() has run.
  std::unique_ptr<media::MediaSink> start(TranscoderSetup setup);

  // Segment publish latency of every ladder rendition since start.
  [[nodiscard]] const hls::PublishLatency& publishLatency() const { return latency_; }
  // Figures of every transcoder still running.
  [[nodiscard]] std::vector<TranscoderStats::Snapshot> snapshot() const;
  // Joins the threads that have finished; returns how many.
  std::size_t reap();
  // Ends every transcoder at once (playlists get EXT-X-ENDLIST) and joins.
  void stopAll();

 private:
  const AbrOptions options_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<Transcoder>> transcoders_;
  bool stopped_ = false;
  hls::PublishLatency latency_;
};

}  // namespace ls::abr
