#include "control/steering.hpp"

#include <algorithm>

#include "core/prometheus_text.hpp"

namespace ls::control {

namespace {

const CdnHealth* lookup(const HealthMap& health, std::string_view name) {
  auto it = health.find(name);
  return it == health.end() ? nullptr : &it->second;
}

bool healthy(const HealthMap& health, std::string_view name) {
  const CdnHealth* h = lookup(health, name);
  return h == nullptr || h->healthy();
}

// -1: not measured yet.
std::int64_t latency(const HealthMap& health, std::string_view name) {
  const CdnHealth* h = lookup(health, name);
  return h == nullptr ? -1 : h->latencyMs;
}

std::size_t indexIn(const std::vector<std::string>& order, std::string_view name) {
  auto it = std::find(order.begin(), order.end(), name);
  return it == order.end() ? order.size() : static_cast<std::size_t>(it - order.begin());
}

}  // namespace

CdnHealth applyProbe(CdnHealth health, const ProbeResult& probe, const SteeringOptions& options) {
  ++health.probes;
  if (probe.ok) {
    health.failures = 0;
    ++health.successes;
    health.problem.clear();
    health.lastLatencyMs = probe.latencyMs;
    health.latencyMs = health.latencyMs < 0 ? probe.latencyMs : (3 * health.latencyMs + probe.latencyMs) / 4;
    if (health.state == CdnHealth::State::kUnknown ||
        (health.state == CdnHealth::State::kDown && health.successes >= std::max(1, options.successesToUp))) {
      health.state = CdnHealth::State::kUp;
    }
  } else {
    ++health.failedProbes;
    health.successes = 0;
    ++health.failures;
    health.problem = probe.problem;
    if (health.failures >= std::max(1, options.failuresToDown)) health.state = CdnHealth::State::kDown;
  }
  return health;
}

std::vector<std::string> rankCdns(const std::vector<CdnEndpoint>& cdns, const HealthMap& health,
                                  const std::vector<std::string>& previous, const SteeringOptions& options) {
  std::vector<std::string> pinned;
  std::vector<std::string> automatic;
  std::vector<std::string> down;
  for (const CdnEndpoint& cdn : cdns) {
    if (cdn.steering == CdnSteering::kDrain) continue;
    if (!healthy(health, cdn.name)) {
      down.push_back(cdn.name);
    } else if (cdn.steering == CdnSteering::kPin) {
      pinned.push_back(cdn.name);
    } else {
      automatic.push_back(cdn.name);
    }
  }
  // The last ranking first (CDNs new to it after, in configured order), then
  // adjacent swaps only where the one behind is clearly faster: equal CDNs
  // keep their places however their latencies jitter.
  const auto byPrevious = [&](const std::string& a, const std::string& b) {
    return indexIn(previous, a) < indexIn(previous, b);
  };
  std::stable_sort(automatic.begin(), automatic.end(), byPrevious);
  std::stable_sort(down.begin(), down.end(), byPrevious);
  const auto clearlyFaster = [&](const std::string& behind, const std::string& ahead) {
    const std::int64_t b = latency(health, behind);
    const std::int64_t a = latency(health, ahead);
    if (b < 0) return false;  // unmeasured: no reason to move up
    if (a < 0) return true;   // measured beats unmeasured
    const std::int64_t margin = std::max(options.hysteresisMs, a * options.hysteresisPercent / 100);
    return b + margin < a;
  };
  for (std::size_t pass = 0; pass < automatic.size(); ++pass) {
    bool swapped = false;
    for (std::size_t i = 0; i + 1 < automatic.size(); ++i) {
      if (clearlyFaster(automatic[i + 1], automatic[i])) {
        std::swap(automatic[i], automatic[i + 1]);
        swapped = true;
      }
    }
    if (!swapped) break;
  }
  std::vector<std::string> out = std::move(pinned);
  out.insert(out.end(), automatic.begin(), automatic.end());
  out.insert(out.end(), down.begin(), down.end());
  return out;
}

SteeringSnapshot snapshotFor(const MediaServer& server, const std::vector<std::string>& ranked,
                             const HealthMap& health, const SteeringOptions& options) {
  SteeringSnapshot snapshot;
  snapshot.originBaseUrl = server.hlsBaseUrl;
  snapshot.ttlSeconds = options.ttlSeconds;
  const SteeringPathway origin{"origin", server.hlsBaseUrl};
  bool originPlaced = false;
  for (const std::string& name : ranked) {
    auto cdn = std::find_if(server.cdns.begin(), server.cdns.end(), [&](const CdnEndpoint& c) { return c.name == name; });
    // A base URL a playlist line cannot carry as given (a query, a fragment,
    // a quote) is left out rather than mangled.
    if (cdn == server.cdns.end() || cdn->baseUrl.find_first_of("\"#? ") != std::string::npos) continue;
    if (!originPlaced && !healthy(health, name)) {
      snapshot.pathways.push_back(origin);
      originPlaced = true;
    }
    snapshot.pathways.push_back({cdn->name, cdn->baseUrl});
  }
  if (!originPlaced) snapshot.pathways.push_back(origin);
  return snapshot;
}

std::vector<CdnEndpoint> orderedCdns(const std::vector<CdnEndpoint>& cdns, const std::vector<std::string>& ranked) {
  std::vector<CdnEndpoint> out;
  out.reserve(cdns.size());
  for (const std::string& name : ranked) {
    for (const CdnEndpoint& cdn : cdns) {
      if (cdn.name == name && cdn.steering != CdnSteering::kDrain) out.push_back(cdn);
    }
  }
  // Whatever the ranking does not name (drained, or new since) keeps its
  // configured order after it; drained CDNs come last of all.
  for (const bool drained : {false, true}) {
    for (const CdnEndpoint& cdn : cdns) {
      if ((cdn.steering == CdnSteering::kDrain) != drained) continue;
      if (std::none_of(out.begin(), out.end(), [&](const CdnEndpoint& c) { return c.name == cdn.name; })) {
        out.push_back(cdn);
      }
    }
  }
  return out;
}

void SteeringState::rank(Server& s) const { s.ranked = rankCdns(s.server.cdns, s.health, s.ranked, options_); }

void SteeringState::configure(const MediaServer& server) {
  {
    std::lock_guard lock(mu_);
    Server& s = servers_[server.id];
    s.server = server;
    // Health of CDNs no longer configured is forgotten.
    for (auto it = s.health.begin(); it != s.health.end();) {
      const bool kept = std::any_of(server.cdns.begin(), server.cdns.end(),
                                    [&](const CdnEndpoint& c) { return c.name == it->first; });
      it = kept ? std::next(it) : s.health.erase(it);
    }
    rank(s);
  }
  if (listener_) listener_(server.id);
}

void SteeringState::retain(const std::vector<std::string>& ids) {
  std::lock_guard lock(mu_);
  for (auto it = servers_.begin(); it != servers_.end();) {
    const bool kept = std::find(ids.begin(), ids.end(), it->first) != ids.end();
    it = kept ? std::next(it) : servers_.erase(it);
  }
}

void SteeringState::record(const std::string& serverId, const std::string& cdn, const ProbeResult& probe) {
  {
    std::lock_guard lock(mu_);
    auto it = servers_.find(serverId);
    if (it == servers_.end()) return;
    Server& s = it->second;
    s.health[cdn] = applyProbe(s.health[cdn], probe, options_);
    rank(s);
  }
  if (listener_) listener_(serverId);
}

std::vector<CdnEndpoint> SteeringState::orderCdns(const MediaServer& server) const {
  std::vector<std::string> ranked;
  HealthMap health;
  if (options_.enabled) {
    std::lock_guard lock(mu_);
    if (auto it = servers_.find(server.id); it != servers_.end()) {
      ranked = it->second.ranked;
      health = it->second.health;
    }
  }
  // The modes of `server` (as just read) are the current ones; the stored
  // ranking may be a probe interval old, so it is ranked again with them.
  return orderedCdns(server.cdns, rankCdns(server.cdns, health, ranked, options_));
}

SteeringSnapshot SteeringState::snapshot(const std::string& serverId) const {
  std::lock_guard lock(mu_);
  auto it = servers_.find(serverId);
  if (!options_.enabled || it == servers_.end() || it->second.server.cdns.empty()) return {};
  SteeringSnapshot snapshot = snapshotFor(it->second.server, it->second.ranked, it->second.health, options_);
  if (!snapshot.active()) return {};
  return snapshot;
}

std::vector<CdnHealthView> SteeringState::views() const {
  std::lock_guard lock(mu_);
  std::vector<CdnHealthView> out;
  for (const auto& [id, s] : servers_) {
    const SteeringSnapshot snapshot = snapshotFor(s.server, s.ranked, s.health, options_);
    for (const CdnEndpoint& cdn : s.server.cdns) {
      CdnHealthView view;
      view.serverId = id;
      view.serverName = s.server.name;
      view.cdn = cdn.name;
      view.mode = cdn.steering;
      if (auto h = s.health.find(cdn.name); h != s.health.end()) view.health = h->second;
      for (std::size_t i = 0; i < snapshot.pathways.size(); ++i) {
        if (snapshot.pathways[i].id == cdn.name) view.rank = static_cast<int>(i + 1);
      }
      out.push_back(std::move(view));
    }
  }
  return out;
}

namespace {
void appendLabels(std::string& out, const CdnHealthView& v) {
  out += "{media_server=\"";
  prometheus::appendLabelValue(out, v.serverName);
  out += "\",cdn=\"";
  prometheus::appendLabelValue(out, v.cdn);
  out += "\",mode=\"";
  prometheus::appendLabelValue(out, toString(v.mode));
  out += "\"}";
}

std::string seconds(std::int64_t ms) {
  return std::to_string(ms / 1000) + '.' + std::to_string(1000 + ms % 1000).substr(1);
}
}  // namespace

void appendSteeringMetrics(std::string& out, const std::vector<CdnHealthView>& views) {
  using prometheus::appendFamily;
  appendFamily(out, "lunarstream_cdn_up", "gauge",
               "CDN health from content-steering probes: 1 healthy, 0 down, -1 not probed yet.");
  for (const CdnHealthView& v : views) {
    out += "lunarstream_cdn_up";
    appendLabels(out, v);
    const auto state = v.health.state;
    out += state == CdnHealth::State::kUp ? " 1\n" : state == CdnHealth::State::kDown ? " 0\n" : " -1\n";
  }
  appendFamily(out, "lunarstream_cdn_probe_latency_seconds", "gauge",
               "Smoothed latency of the CDN's probe answers (a live stream's master through the CDN).");
  for (const CdnHealthView& v : views) {
    if (v.health.latencyMs < 0) continue;
    out += "lunarstream_cdn_probe_latency_seconds";
    appendLabels(out, v);
    out += ' ' + seconds(v.health.latencyMs) + '\n';
  }
  appendFamily(out, "lunarstream_cdn_probes_total", "counter", "CDN probes by outcome (ok: answered below 500).");
  for (const CdnHealthView& v : views) {
    for (const bool ok : {true, false}) {
      out += "lunarstream_cdn_probes_total";
      appendLabels(out, v);
      out.pop_back();
      out += ok ? ",outcome=\"ok\"} " : ",outcome=\"failed\"} ";
      out += std::to_string(ok ? v.health.probes - v.health.failedProbes : v.health.failedProbes) + '\n';
    }
  }
  appendFamily(out, "lunarstream_cdn_steering_rank", "gauge",
               "The CDN's place in the steering manifest's PATHWAY-PRIORITY (1 = first); 0 = not offered (drained).");
  for (const CdnHealthView& v : views) {
    out += "lunarstream_cdn_steering_rank";
    appendLabels(out, v);
    out += ' ' + std::to_string(v.rank) + '\n';
  }
}

}  // namespace ls::control
