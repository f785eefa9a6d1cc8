// One simulated HLS viewer on one HTTP/1.1 keep-alive connection: it polls a
// media playlist every target duration / 2 (RFC 8216 section 6.3.4 lets a
// client reload no sooner than half the target duration when the playlist did
// not change) and fetches every segment that appears, in order. A viewer
// starts at the newest segment, as a live player does.
//
// In probe mode it polls fast (every probeIntervalMs), fetches nothing, and
// times two things against its stream's publisher: publish -> first playlist
// listing a segment, and, for each segment, the delay between sending the
// keyframe that closes it and the segment appearing in the playlist.
//
// Threading: lives on the load generator's single io_context thread.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "loadgen/http_response_reader.hpp"
#include "loadgen/playlist.hpp"
#include "loadgen/rtmp_publisher.hpp"
#include "loadgen/urls.hpp"

namespace ls::loadgen {

struct ViewerOptions {
  HttpUrl playlist;
  bool probe = false;
  std::int64_t probeIntervalMs = 50;
  std::int64_t waitingPollMs = 500;  // before the stream has a playlist
  // The publisher of the viewed stream (probes time against it); must outlive the viewer.
  std::shared_ptr<const RtmpPublisher> publisher;
};

struct ViewerStats {
  std::uint64_t polls = 0;
  std::uint64_t playlistsOk = 0;
  std::uint64_t notReady = 0;  // 404 or no segment yet, before the first playable playlist
  std::uint64_t errors = 0;    // failed requests after the stream became playable, and I/O errors
  std::uint64_t segments = 0;
  std::uint64_t segmentBytes = 0;
  std::uint64_t reconnects = 0;
  std::string lastError;
  std::vector<float> segmentLatencyMs;
  // Probe only.
  std::int64_t firstPlayableMs = -1;            // from the publish command
  std::int64_t firstPlayableAfterStartMs = -1;  // from NetStream.Publish.Start (first media sent)
  std::vector<float> availabilityLagMs;
  std::uint64_t unmatchedSegments = 0;  // no sent keyframe within 250 ms of the segment's end
  bool lostTrack = false;               // a segment was never seen (polls too slow): lag stops
};

class HlsViewer : public std::enable_shared_from_this<HlsViewer> {
 public:
  HlsViewer(boost::asio::io_context& io, ViewerOptions options);

  void start();
  void stop();
  // Probe: its publisher just sent a keyframe; poll every kFastPollMs until a
  // new segment is listed (at most kFastPollWindowMs), so the availability lag
  // is measured to a few ms rather than to the regular poll interval.
  void onKeyframeWritten();
  [[nodiscard]] const ViewerStats& stats() const noexcept { return stats_; }

 private:
  void schedulePoll();
  void poll();
  void send(std::string target, bool isPlaylist);
  void writeRequest();
  void readMore();
  void onResponseDone();
  void onPlaylist(TimePoint now);
  void probeSegments(TimePoint now);
  void fetchNextOrWait();
  void onError(std::string what);

  ViewerOptions options_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  HttpResponseReader reader_;
  std::array<char, 64 * 1024> readBuffer_{};
  std::string request_;
  bool requestIsPlaylist_ = false;
  bool stopped_ = false;
  bool inFlight_ = false;
  TimePoint fastUntil_{};
  TimePoint requestAt_{};
  TimePoint pollAt_{};
  MediaPlaylist playlist_;
  bool playable_ = false;
  std::optional<std::uint64_t> lastSequence_;  // newest segment fetched (viewer) or seen (probe)
  std::int64_t probeEndMs_ = 0;                // media time at the end of the last seen segment
  std::deque<std::string> fetchQueue_;
  ViewerStats stats_;
};

}  // namespace ls::loadgen
