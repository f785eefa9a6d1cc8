#include "loadgen/load_run.hpp"

#include <sys/resource.h>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <cstdio>

namespace ls::loadgen {

namespace asio = boost::asio;

namespace {

double cpuSecondsNow() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return sec(u.ru_utime) + sec(u.ru_stime);
}

// Publishers, viewers and sockets: raise the descriptor limit to what the system allows.
void raiseFileLimit(std::size_t wanted) {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) != 0) return;
  if (r.rlim_cur >= wanted) return;
  r.rlim_cur = std::min<rlim_t>(r.rlim_max, wanted);
  setrlimit(RLIMIT_NOFILE, &r);
}

class Runner {
 public:
  Runner(const Options& options, const FlvMedia& media, RunRecord& record)
      : options_(options), media_(media), record_(record), ticker_(io_), signals_(io_, SIGINT, SIGTERM) {}

  Status prepare() {
    const std::size_t n = options_.streams;
    for (std::size_t i = 0; i < n; ++i) {
      auto url = parseRtmpUrl(expandTemplate(options_.rtmpUrlTemplate, record_.keys[i], i));
      if (!url.ok()) return url.status();
      PublisherOptions po;
      po.url = std::move(*url);
      po.chunkSize = options_.chunkSize;
      po.logKeyframes = i < options_.probeStreams;
      record_.publishers.push_back(std::make_shared<RtmpPublisher>(io_, media_, std::move(po)));
    }
    auto addViewer = [&](std::size_t stream, bool probe) -> Status {
      auto url = parseHttpUrl(expandTemplate(options_.playlistUrlTemplate, record_.keys[stream], stream));
      if (!url.ok()) return url.status();
      ViewerOptions vo;
      vo.playlist = std::move(*url);
      vo.probe = probe;
      vo.probeIntervalMs = options_.probeIntervalMs;
      vo.publisher = record_.publishers[stream];
      auto viewer = std::make_shared<HlsViewer>(io_, std::move(vo));
      if (probe) {
        record_.publishers[stream]->setKeyframeListener([weak = std::weak_ptr<HlsViewer>(viewer)] {
          if (auto v = weak.lock()) v->onKeyframeWritten();
        });
      }
      record_.viewers.push_back({stream, probe, std::move(viewer)});
      return Status::ok();
    };
    for (std::size_t i = 0; i < options_.probeStreams; ++i) LS_RETURN_IF_ERROR(addViewer(i, true));
    for (std::size_t v = 0; v < options_.viewers; ++v) LS_RETURN_IF_ERROR(addViewer(v % n, false));
    raiseFileLimit(2 * (n + options_.viewers) + 64);
    return Status::ok();
  }

  void run() {
    start_ = SteadyClock::now();
    nextTick_ = start_;
    end_ = start_ + std::chrono::seconds(options_.durationS);
    const double cpuBefore = cpuSecondsNow();
    signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
      if (!ec) finish(sig == SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)");
    });
    record_.tickLateMs.reserve(static_cast<std::size_t>(options_.durationS * 1000 / options_.tickMs) + 16);
    tick();
    io_.run();
    record_.wallSeconds = std::chrono::duration<double>(SteadyClock::now() - start_).count();
    record_.cpuSeconds = cpuSecondsNow() - cpuBefore;
  }

 private:
  void tick() {
    const TimePoint now = SteadyClock::now();
    if (nextTick_ != start_) {
      record_.tickLateMs.push_back(std::chrono::duration<double, std::milli>(now - nextTick_).count());
    }
    startDue(now);
    for (auto& p : record_.publishers) p->onTick(now);
    if (now >= end_) {
      finish("");
      return;
    }
    if (++ticks_ % 10 == 0) {
      if (options_.failFast) {
        if (std::string why = firstFailure(); !why.empty()) {
          finish("fail-fast: " + why);
          return;
        }
      }
      progress(now);
    }
    nextTick_ += std::chrono::milliseconds(options_.tickMs);
    if (nextTick_ < now) nextTick_ = now;  // late ticks do not bunch up
    ticker_.expires_at(nextTick_);
    ticker_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec && !finished_) tick();
    });
  }

  void startDue(TimePoint now) {
    const std::size_t n = record_.publishers.size();
    while (started_ < n) {
      const auto offset = std::chrono::milliseconds(options_.rampMs * static_cast<std::int64_t>(started_) /
                                                    static_cast<std::int64_t>(n));
      if (start_ + offset > now) break;
      record_.publishers[started_]->start(now);
      for (ViewerEntry& v : record_.viewers) {
        if (v.stream == started_) v.viewer->start();
      }
      ++started_;
    }
  }

  std::string firstFailure() const {
    for (std::size_t i = 0; i < record_.publishers.size(); ++i) {
      const PublisherStats& s = record_.publishers[i]->stats();
      if (s.state == PublisherState::kRefused || s.state == PublisherState::kFailed) {
        return "stream " + std::to_string(i) + " " + toString(s.state) + ": " + s.error;
      }
      if (s.maxLagMs > options_.maxLagMs) {
        return "stream " + std::to_string(i) + " fell " + std::to_string(s.maxLagMs) + " ms behind";
      }
    }
    for (const ViewerEntry& v : record_.viewers) {
      const ViewerStats& s = v.viewer->stats();
      if (s.errors > 0) return "viewer of stream " + std::to_string(v.stream) + ": " + s.lastError;
      for (float lag : s.availabilityLagMs) {
        if (lag > static_cast<float>(options_.maxSegmentLagMs)) return "a segment was listed late";
      }
    }
    return {};
  }

  void progress(TimePoint now) {
    if (options_.quiet || now - lastProgress_ < std::chrono::seconds(5)) return;
    lastProgress_ = now;
    std::size_t publishing = 0;
    std::int64_t worst = 0;
    for (const auto& p : record_.publishers) {
      if (p->publishing()) ++publishing;
      worst = std::max(worst, p->stats().maxLagMs);
    }
    std::fprintf(stderr, "loadgen: t=%.0fs publishing %zu/%zu, worst lag %lld ms\n",
                 std::chrono::duration<double>(now - start_).count(), publishing, record_.publishers.size(),
                 static_cast<long long>(worst));
  }

  void finish(std::string why) {
    if (finished_) return;
    finished_ = true;
    record_.stoppedEarly = std::move(why);
    record_.endedAt = SteadyClock::now();
    ticker_.cancel();
    boost::system::error_code ignored;
    signals_.cancel(ignored);
    for (auto& p : record_.publishers) p->stop(record_.endedAt);
    for (auto& v : record_.viewers) v.viewer->stop();
    io_.stop();
  }

  const Options& options_;
  const FlvMedia& media_;
  RunRecord& record_;
  // Concurrency hint 1: one thread, so Asio skips its internal locking.
  asio::io_context io_{1};
  asio::steady_timer ticker_;
  asio::signal_set signals_;
  TimePoint start_{};
  TimePoint end_{};
  TimePoint nextTick_{};
  TimePoint lastProgress_{};
  std::size_t started_ = 0;
  std::uint64_t ticks_ = 0;
  bool finished_ = false;
};

}  // namespace

Result<RunRecord> runLoad(const Options& options, const FlvMedia& media, std::vector<std::string> keys) {
  RunRecord record;
  record.options = options;
  record.keys = std::move(keys);
  Runner runner(options, media, record);
  LS_RETURN_IF_ERROR(runner.prepare());
  runner.run();
  return record;
}

}  // namespace ls::loadgen
