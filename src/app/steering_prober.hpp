// Content steering's health probes (docs/steering.md): every
// steering.probe_interval_ms, for each media server with CDNs and a live
// stream, one GET of that stream's playlist through each CDN (all at once, on
// libcurl's multi interface), the status and latency handed to the
// SteeringState, which ranks the server's pathways again. One thread of its
// own; roles all and api.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "control/steering.hpp"
#include "core/time.hpp"
#include "http_client/async_http_client.hpp"
#include "store/store.hpp"

namespace ls::app {

class SteeringProber {
 public:
  // store and state must outlive the prober.
  // `clock` dates how long a stream has been live (a stream younger than
  // kSettleMs is not probed: its master may not exist yet).
  SteeringProber(Store& store, control::SteeringState& state, const Clock& clock);
  static constexpr std::int64_t kSettleMs = 5000;
  ~SteeringProber();
  SteeringProber(const SteeringProber&) = delete;
  SteeringProber& operator=(const SteeringProber&) = delete;

  // One round now, on the caller's thread: reads the servers (their CDNs and
  // modes, so a CLI change shows within one interval), probes, records.
  void probeOnce();
  void start();
  void stop();

 private:
  void run();

  Store& store_;
  control::SteeringState& state_;
  const Clock& clock_;
  http_client::AsyncHttpClient client_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ls::app
