#include "app/steering_prober.hpp"

#include <algorithm>
#include <chrono>
#include <spdlog/spdlog.h>

#include "control/urls.hpp"
#include "core/log_text.hpp"

namespace ls::app {

namespace {

struct Probe {
  std::string serverId;
  std::string cdn;
  std::string url;
};

}  // namespace

SteeringProber::SteeringProber(Store& store, control::SteeringState& state, const Clock& clock)
    : store_(store), state_(state), clock_(clock) {}

SteeringProber::~SteeringProber() {
  stop();
  client_.shutdown();
}

void SteeringProber::probeOnce() {
  auto servers = store_.listMediaServers();
  if (!servers.ok()) {
    spdlog::warn("content steering: cannot read the media servers: {}", logText(servers.status().message()));
    return;
  }
  std::vector<std::string> ids;
  std::vector<Probe> probes;
  for (const MediaServer& server : *servers) {
    ids.push_back(server.id);
    state_.configure(server);
    if (server.cdns.empty()) continue;
    auto live = store_.listStartedLivestreams(server.id);
    if (!live.ok() || live->empty()) continue;
    // The stream live longest: its playlists exist (a newer one's may not yet).
    // One live for less than kSettleMs may still be before its first segment:
    // its master is held at the origin, and a probe timing out on it would
    // mark a healthy CDN down at every go-live.
    const Livestream& oldest = *std::min_element(live->begin(), live->end(), [](const Livestream& a, const Livestream& b) {
      return a.startedAt.value_or(0) < b.startedAt.value_or(0);
    });
    if (clock_.now() - oldest.startedAt.value_or(0) < kSettleMs) continue;
    const std::string path = control::hlsPath(server, oldest.streamKey);
    for (const CdnEndpoint& cdn : server.cdns) {
      probes.push_back({server.id, cdn.name, control::joinUrl(cdn.baseUrl, path)});
    }
  }
  state_.retain(ids);
  if (probes.empty()) return;

  const control::SteeringOptions& options = state_.options();
  std::mutex doneMu;
  std::condition_variable doneCv;
  std::vector<std::pair<std::size_t, control::ProbeResult>> results;
  for (std::size_t i = 0; i < probes.size(); ++i) {
    http_client::AsyncRequest request;
    request.method = "GET";
    request.url = probes[i].url;
    request.timeout = std::chrono::milliseconds(options.probeTimeoutMs);
    request.connectTimeout = request.timeout;
    request.userAgent = "lunarstream-steering-probe";
    request.keepBodyBytes = 0;
    client_.submit(std::move(request), [&, i](http_client::AsyncResponse response) {
      control::ProbeResult result;
      result.status = response.status;
      result.latencyMs = response.elapsed.count();
      result.ok = response.error == http_client::AsyncError::kNone && response.status < 500;
      result.problem = response.error != http_client::AsyncError::kNone ? response.errorMessage
                                                                          : "HTTP " + std::to_string(response.status);
      std::lock_guard lock(doneMu);
      results.emplace_back(i, std::move(result));
      doneCv.notify_all();
    });
  }
  std::vector<std::pair<std::size_t, control::ProbeResult>> done;
  {
    // Every completion runs exactly once, within the request's timeout.
    std::unique_lock lock(doneMu);
    doneCv.wait(lock, [&] { return results.size() == probes.size(); });
    done = std::move(results);
  }
  for (const auto& [i, result] : done) {
    if (!result.ok) {
      spdlog::debug("content steering: probe of CDN {} failed: {}", logText(probes[i].cdn), logText(result.problem));
    }
    state_.record(probes[i].serverId, probes[i].cdn, result);
  }
}

void SteeringProber::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void SteeringProber::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SteeringProber::run() {
  const auto interval = std::chrono::milliseconds(std::max<std::int64_t>(100, state_.options().probeIntervalMs));
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto next = std::chrono::steady_clock::now() + interval;
    lock.unlock();
    probeOnce();
    lock.lock();
    wake_.wait_until(lock, next, [this] { return stopping_; });
  }
}

}  // namespace ls::app
