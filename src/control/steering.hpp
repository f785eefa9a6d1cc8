// Content steering on the control side (docs/steering.md): the health of
// each CDN of each media server from probes, the ranking policy that orders
// a server's pathways, and the state every reader shares.
//
// The policy is sans-IO (applyProbe, rankCdns, snapshotFor, orderedCdns):
// probes come in as ProbeResult, orders go out as names. SteeringState holds
// it for every server, thread-safe; the prober (app/steering_prober) feeds it,
// LivestreamService orders hlsSources by it, the HLS origin reads its
// SteeringSnapshot.
//
// The order, for a CDN operator who pays for CDNs to carry the viewers:
//   steering manifest: healthy pinned CDNs, healthy CDNs by latency (with
//     hysteresis), then the origin as the last healthy resort, then the CDNs
//     that are down (a player whose pathways all fail still has them);
//     drained CDNs never.
//   hlsSources: the origin first (SPEC §3), then the CDNs in the manifest's
//     order, then the drained ones.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/steering.hpp"
#include "core/time.hpp"

namespace ls::control {

struct SteeringOptions {
  bool enabled = true;                 // steering.enabled
  std::int64_t ttlSeconds = 5;         // steering.ttl_seconds: the manifest's TTL
  std::int64_t probeIntervalMs = 2000; // steering.probe_interval_ms
  std::int64_t probeTimeoutMs = 1500;  // steering.probe_timeout_ms
  int failuresToDown = 2;              // steering.failures_to_down: consecutive failed probes
  int successesToUp = 2;               // steering.successes_to_up: consecutive good probes
  // Two healthy CDNs change places only when the one behind is faster by
  // more than max(hysteresisMs, hysteresisPercent of the slower's latency).
  std::int64_t hysteresisMs = 30;      // steering.hysteresis_ms
  std::int64_t hysteresisPercent = 20; // steering.hysteresis_percent
};

// One probe of a CDN: an answer (any status below 500: the CDN answered) in
// latencyMs, or a failure (no answer in time, refused, 5xx).
struct ProbeResult {
  bool ok = false;
  std::int64_t latencyMs = 0;
  int status = 0;       // 0 without an answer
  std::string problem;  // why it failed
};

struct CdnHealth {
  enum class State { kUnknown, kUp, kDown };
  State state = State::kUnknown;  // unknown (never probed) counts as healthy
  int failures = 0;               // consecutive
  int successes = 0;              // consecutive
  std::int64_t latencyMs = -1;    // smoothed (EWMA 1/4), -1 before the first answer
  std::int64_t lastLatencyMs = -1;
  std::uint64_t probes = 0;
  std::uint64_t failedProbes = 0;
  std::string problem;  // the last failure's reason, "" after a good probe

  [[nodiscard]] bool healthy() const { return state != State::kDown; }
};

// The health after one more probe: down after failuresToDown failures in a
// row, up again after successesToUp answers in a row; the first answer of a
// CDN never probed makes it up at once.
CdnHealth applyProbe(CdnHealth health, const ProbeResult& probe, const SteeringOptions& options);

using HealthMap = std::map<std::string, CdnHealth, std::less<>>;

// The non-drained CDNs of `cdns`, best first: healthy pinned ones (in their
// configured order), then healthy ones by latency, then the unhealthy ones.
// `previous` (the last ranking) breaks ties and is kept within the hysteresis.
std::vector<std::string> rankCdns(const std::vector<CdnEndpoint>& cdns, const HealthMap& health,
                                  const std::vector<std::string>& previous, const SteeringOptions& options);

// The pathways for the steering manifest: the ranked CDNs with the origin
// after the healthy ones (before any that is down).
SteeringSnapshot snapshotFor(const MediaServer& server, const std::vector<std::string>& ranked,
                             const HealthMap& health, const SteeringOptions& options);

// The server's CDNs in hlsSources order: ranked ones first, drained last.
std::vector<CdnEndpoint> orderedCdns(const std::vector<CdnEndpoint>& cdns, const std::vector<std::string>& ranked);

// One CDN's figures for /metrics and the admin API.
struct CdnHealthView {
  std::string serverId;
  std::string serverName;
  std::string cdn;
  CdnSteering mode = CdnSteering::kAuto;
  CdnHealth health;
  int rank = 0;  // position in the manifest's PATHWAY-PRIORITY (1 = first), 0 = not offered
};

// The /metrics families: lunarstream_cdn_up (1 healthy, 0 down, -1 never
// probed), lunarstream_cdn_probe_latency_seconds (smoothed),
// lunarstream_cdn_probes_total{outcome}, lunarstream_cdn_steering_rank, each
// labelled {media_server, cdn, mode}.
void appendSteeringMetrics(std::string& out, const std::vector<CdnHealthView>& views);

class SteeringState {
 public:
  explicit SteeringState(SteeringOptions options) : options_(options) {}

  [[nodiscard]] const SteeringOptions& options() const { return options_; }

  // The server as stored now (CDNs, modes, URLs): ranks it again at once, so
  // a pin or drain shows in the next manifest. Calls the listener.
  void configure(const MediaServer& server);
  // Forgets servers not in `ids` (removed).
  void retain(const std::vector<std::string>& ids);
  // A probe of one CDN of a configured server; ranks the server again.
  void record(const std::string& serverId, const std::string& cdn, const ProbeResult& probe);

  // The server's CDNs in hlsSources order (origin first is urls.cpp's part).
  // A server never configured keeps the stored order with pins first and
  // drained CDNs last.
  [[nodiscard]] std::vector<CdnEndpoint> orderCdns(const MediaServer& server) const;
  // What the server's HLS origin should steer with; inactive (no pathways)
  // when steering is off or the server has fewer than two pathways.
  [[nodiscard]] SteeringSnapshot snapshot(const std::string& serverId) const;
  [[nodiscard]] std::vector<CdnHealthView> views() const;

  // Called after a server's order or snapshot may have changed, with its
  // id, on the caller's thread (without the state's lock held). Set before use.
  void setListener(std::function<void(const std::string& serverId)> listener) { listener_ = std::move(listener); }

 private:
  struct Server {
    MediaServer server;
    HealthMap health;
    std::vector<std::string> ranked;
  };
  void rank(Server& s) const;

  const SteeringOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, Server, std::less<>> servers_;
  std::function<void(const std::string&)> listener_;
};

}  // namespace ls::control
