#include "loadgen/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace ls::loadgen {

namespace {

constexpr double kLoadgenSaturatedCpu = 0.9;    // share of one core
constexpr double kLoadgenSaturatedLateMs = 50;  // p99 tick lateness

class Json {
 public:
  Json& raw(std::string_view s) {
    out_.append(s);
    return *this;
  }
  Json& key(std::string_view k) {
    comma();
    fresh_ = true;  // str() must not add a second comma
    str(k);
    out_.push_back(':');
    fresh_ = true;
    return *this;
  }
  Json& str(std::string_view s) {
    comma();
    out_.push_back('"');
    for (char c : s) {
      if (c == '"' || c == '\\') {
        out_.push_back('\\');
        out_.push_back(c);
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
        out_.append(buf);
      } else {
        out_.push_back(c);
      }
    }
    out_.push_back('"');
    return *this;
  }
  Json& num(double v) {
    comma();
    if (!std::isfinite(v)) {
      out_.append("null");
      return *this;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    std::string_view s(buf);
    // Trim trailing zeros for readability: 2.500 -> 2.5, 3.000 -> 3.
    while (s.back() == '0') s.remove_suffix(1);
    if (s.back() == '.') s.remove_suffix(1);
    out_.append(s);
    return *this;
  }
  Json& integer(std::int64_t v) {
    comma();
    out_.append(std::to_string(v));
    return *this;
  }
  Json& boolean(bool v) {
    comma();
    out_.append(v ? "true" : "false");
    return *this;
  }
  Json& null() {
    comma();
    out_.append("null");
    return *this;
  }
  Json& open(char c) {
    comma();
    out_.push_back(c);
    fresh_ = true;
    return *this;
  }
  Json& close(char c) {
    out_.push_back(c);
    fresh_ = false;
    return *this;
  }
  Json& dist(std::string_view name, const Distribution& d) {
    key(name).open('{');
    key("count").integer(static_cast<std::int64_t>(d.count));
    if (d.count > 0) {
      key("min").num(d.min).key("p50").num(d.p50).key("p90").num(d.p90).key("p99").num(d.p99);
      key("max").num(d.max).key("mean").num(d.mean);
    }
    return close('}');
  }
  std::string take() { return std::move(out_); }

 private:
  void comma() {
    if (!fresh_ && !out_.empty()) out_.push_back(',');
    fresh_ = false;
  }
  std::string out_;
  bool fresh_ = true;
};

std::string nameOf(const std::string& key) {
  return key.substr(0, key.find('?'));
}

struct StreamFigures {
  std::optional<double> realtimeRatio;
  double mediaSeconds = 0;
  std::uint64_t viewerErrors = 0;
  std::int64_t firstPlayableMs = -1;
  std::int64_t firstPlayableAfterStartMs = -1;
  std::vector<double> availabilityLag;
  bool probeSawPlaylist = false;
  bool probed = false;
};

std::vector<StreamFigures> figuresOf(const RunRecord& run) {
  std::vector<StreamFigures> out(run.publishers.size());
  for (std::size_t i = 0; i < run.publishers.size(); ++i) {
    const RtmpPublisher& p = *run.publishers[i];
    const std::int64_t published = p.publishedMs(run.endedAt);
    StreamFigures& f = out[i];
    f.mediaSeconds = p.stats().mediaMsWritten < 0 ? 0 : static_cast<double>(p.stats().mediaMsWritten) / 1000;
    // Under a second of publishing says nothing about keeping up.
    if (published >= 1000) f.realtimeRatio = std::min(1.0, f.mediaSeconds * 1000 / static_cast<double>(published));
  }
  for (const ViewerEntry& v : run.viewers) {
    StreamFigures& f = out[v.stream];
    const ViewerStats& s = v.viewer->stats();
    f.viewerErrors += s.errors;
    if (!v.probe) continue;
    f.probed = true;
    f.probeSawPlaylist = s.playlistsOk > 0;
    f.firstPlayableMs = s.firstPlayableMs;
    f.firstPlayableAfterStartMs = s.firstPlayableAfterStartMs;
    f.availabilityLag.assign(s.availabilityLagMs.begin(), s.availabilityLagMs.end());
  }
  return out;
}

}  // namespace

Distribution distributionOf(std::vector<double>& values) {
  Distribution d;
  d.count = values.size();
  if (values.empty()) return d;
  std::sort(values.begin(), values.end());
  auto rank = [&](double q) {
    const auto idx = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
    return values[std::min(values.size() - 1, idx == 0 ? 0 : idx - 1)];
  };
  d.min = values.front();
  d.max = values.back();
  d.p50 = rank(0.50);
  d.p90 = rank(0.90);
  d.p99 = rank(0.99);
  d.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  return d;
}

Verdict judge(const RunRecord& run) {
  Verdict v;
  auto fail = [&v](std::string reason) {
    v.passed = false;
    if (v.reasons.size() < 20) v.reasons.push_back(std::move(reason));
  };
  if (!run.stoppedEarly.empty()) fail("stopped early: " + run.stoppedEarly);
  std::size_t notPublishing = 0;
  for (std::size_t i = 0; i < run.publishers.size(); ++i) {
    const PublisherStats& s = run.publishers[i]->stats();
    const std::string who = "stream " + std::to_string(i) + " (" + nameOf(run.keys[i]) + ")";
    if (s.state == PublisherState::kRefused)
      fail(who + " refused: " + s.error);
    else if (s.state == PublisherState::kFailed)
      fail(who + (s.disconnected ? " disconnected: " : " failed: ") + s.error);
    else if (s.publishStartAt == TimePoint{})
      ++notPublishing;
    if (s.maxLagMs > run.options.maxLagMs) {
      fail(who + " fell behind real time by " + std::to_string(s.maxLagMs) + " ms");
    }
  }
  if (notPublishing > 0) fail(std::to_string(notPublishing) + " streams never started publishing");
  for (const StreamFigures& f : figuresOf(run)) {
    if (!f.probed) continue;
    if (!f.probeSawPlaylist) fail("a probed stream never listed a segment");
    for (double lag : f.availabilityLag) {
      if (lag > static_cast<double>(run.options.maxSegmentLagMs)) {
        fail("a segment was listed " + std::to_string(std::lround(lag)) + " ms after its closing keyframe");
        break;
      }
    }
  }
  std::uint64_t viewerErrors = 0;
  for (const ViewerEntry& e : run.viewers) viewerErrors += e.viewer->stats().errors;
  if (viewerErrors > 0) fail(std::to_string(viewerErrors) + " viewer errors");
  return v;
}

std::string renderJson(const RunRecord& run, const Verdict& verdict) {
  const auto figures = figuresOf(run);
  std::vector<double> ratios, lags, first, firstAfterStart, availability, segLatency, late = run.tickLateMs;
  std::size_t publishing = 0, refused = 0, failed = 0, disconnects = 0, unmatched = 0, lostTrack = 0;
  std::uint64_t bytes = 0, viewerErrors = 0, notReady = 0, segments = 0, segmentBytes = 0, polls = 0;
  for (std::size_t i = 0; i < run.publishers.size(); ++i) {
    const PublisherStats& s = run.publishers[i]->stats();
    if (s.publishStartAt != TimePoint{}) ++publishing;
    if (s.state == PublisherState::kRefused) ++refused;
    if (s.state == PublisherState::kFailed) ++failed;
    if (s.disconnected) ++disconnects;
    bytes += s.bytesWritten;
    lags.push_back(static_cast<double>(s.maxLagMs));
    if (figures[i].realtimeRatio) ratios.push_back(*figures[i].realtimeRatio);
    if (figures[i].firstPlayableMs >= 0) first.push_back(static_cast<double>(figures[i].firstPlayableMs));
    if (figures[i].firstPlayableAfterStartMs >= 0) {
      firstAfterStart.push_back(static_cast<double>(figures[i].firstPlayableAfterStartMs));
    }
    availability.insert(availability.end(), figures[i].availabilityLag.begin(), figures[i].availabilityLag.end());
  }
  std::size_t viewerCount = 0;
  for (const ViewerEntry& e : run.viewers) {
    const ViewerStats& s = e.viewer->stats();
    viewerErrors += s.errors;
    if (e.probe) {
      unmatched += s.unmatchedSegments;
      if (s.lostTrack) ++lostTrack;
      continue;
    }
    ++viewerCount;
    notReady += s.notReady;
    segments += s.segments;
    segmentBytes += s.segmentBytes;
    polls += s.polls;
    segLatency.insert(segLatency.end(), s.segmentLatencyMs.begin(), s.segmentLatencyMs.end());
  }
  const Distribution lateDist = distributionOf(late);
  const double cpuShare = run.wallSeconds > 0 ? run.cpuSeconds / run.wallSeconds : 0;
  const bool saturated = cpuShare >= kLoadgenSaturatedCpu || lateDist.p99 > kLoadgenSaturatedLateMs;

  Json j;
  j.open('{');
  j.key("config").open('{');
  j.key("streams").integer(static_cast<std::int64_t>(run.options.streams));
  j.key("viewers").integer(static_cast<std::int64_t>(run.options.viewers));
  j.key("probeStreams").integer(static_cast<std::int64_t>(run.options.probeStreams));
  j.key("durationS").integer(run.options.durationS);
  j.key("rampMs").integer(run.options.rampMs);
  j.key("tickMs").integer(run.options.tickMs);
  j.key("chunkSize").integer(run.options.chunkSize);
  j.key("maxLagMs").integer(run.options.maxLagMs);
  j.key("maxSegmentLagMs").integer(run.options.maxSegmentLagMs);
  j.close('}');

  j.key("summary").open('{');
  j.key("passed").boolean(verdict.passed);
  j.key("failReasons").open('[');
  for (const auto& r : verdict.reasons) j.str(r);
  j.close(']');
  j.key("stoppedEarly").str(run.stoppedEarly);
  j.key("wallSeconds").num(run.wallSeconds);
  j.key("streams").integer(static_cast<std::int64_t>(run.publishers.size()));
  j.key("publishing").integer(static_cast<std::int64_t>(publishing));
  j.key("refused").integer(static_cast<std::int64_t>(refused));
  j.key("failed").integer(static_cast<std::int64_t>(failed));
  j.key("disconnects").integer(static_cast<std::int64_t>(disconnects));
  j.key("bytesWritten").integer(static_cast<std::int64_t>(bytes));
  j.key("megabitsPerSecond").num(run.wallSeconds > 0 ? static_cast<double>(bytes) * 8 / 1e6 / run.wallSeconds : 0);
  j.dist("realtimeRatio", distributionOf(ratios));
  j.dist("maxLagMs", distributionOf(lags));
  j.dist("firstPlayableMs", distributionOf(first));
  j.dist("firstPlayableAfterPublishStartMs", distributionOf(firstAfterStart));
  j.dist("segmentAvailabilityLagMs", distributionOf(availability));
  j.key("unmatchedSegments").integer(static_cast<std::int64_t>(unmatched));
  j.key("probesLostTrack").integer(static_cast<std::int64_t>(lostTrack));
  j.key("viewers").integer(static_cast<std::int64_t>(viewerCount));
  j.key("viewerErrors").integer(static_cast<std::int64_t>(viewerErrors));
  j.key("viewerNotReadyPolls").integer(static_cast<std::int64_t>(notReady));
  j.key("playlistPolls").integer(static_cast<std::int64_t>(polls));
  j.key("segmentsFetched").integer(static_cast<std::int64_t>(segments));
  j.key("segmentBytes").integer(static_cast<std::int64_t>(segmentBytes));
  j.dist("segmentFetchMs", distributionOf(segLatency));
  j.key("loadgen").open('{');
  j.key("cpuSeconds").num(run.cpuSeconds);
  j.key("cpuShareOfOneCore").num(cpuShare);
  j.dist("tickLateMs", lateDist);
  j.key("saturated").boolean(saturated);
  j.close('}');
  j.close('}');

  j.key("streams").open('[');
  for (std::size_t i = 0; i < run.publishers.size(); ++i) {
    const PublisherStats& s = run.publishers[i]->stats();
    const StreamFigures& f = figures[i];
    j.open('{');
    j.key("index").integer(static_cast<std::int64_t>(i));
    j.key("name").str(nameOf(run.keys[i]));
    j.key("state").str(toString(s.state));
    j.key("error").str(s.error);
    j.key("disconnected").boolean(s.disconnected);
    j.key("realtimeRatio");
    if (f.realtimeRatio)
      j.num(*f.realtimeRatio);
    else
      j.null();
    j.key("maxLagMs").integer(s.maxLagMs);
    j.key("mediaSeconds").num(f.mediaSeconds);
    j.key("bytesWritten").integer(static_cast<std::int64_t>(s.bytesWritten));
    j.key("viewerErrors").integer(static_cast<std::int64_t>(f.viewerErrors));
    if (f.probed) {
      j.key("firstPlayableMs").integer(f.firstPlayableMs);
      std::vector<double> lag = f.availabilityLag;
      j.dist("segmentAvailabilityLagMs", distributionOf(lag));
    }
    j.close('}');
  }
  j.close(']');
  j.close('}');
  return j.take() + "\n";
}

std::string renderSummaryLine(const RunRecord& run, const Verdict& verdict) {
  std::size_t publishing = 0;
  std::int64_t worstLag = 0;
  for (const auto& p : run.publishers) {
    if (p->stats().publishStartAt != TimePoint{}) ++publishing;
    worstLag = std::max(worstLag, p->stats().maxLagMs);
  }
  char line[256];
  std::snprintf(line, sizeof line,
                "loadgen: %s: %zu/%zu streams published, worst lag %lld ms, %.1f s, loadgen CPU %.2f s",
                verdict.passed ? "PASS" : "FAIL", publishing, run.publishers.size(), static_cast<long long>(worstLag),
                run.wallSeconds, run.cpuSeconds);
  std::string out(line);
  if (!verdict.reasons.empty()) out += " (" + verdict.reasons.front() + ")";
  return out;
}

}  // namespace ls::loadgen
