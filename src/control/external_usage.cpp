#include "control/external_usage.hpp"

#include <spdlog/spdlog.h>
#include <string>

#include "auth/crypto.hpp"
#include "core/log_text.hpp"

namespace ls::control {

bool meteredByLifecycle(const MediaServer& server) { return server.type != MediaServerType::kEmbedded; }

std::vector<usage::UsageBatch> lifecycleIngestBatches(const Livestream& livestream) {
  std::vector<usage::UsageBatch> batches;
  if (livestream.phase != LivestreamStatus::kEnded || !livestream.startedAt || !livestream.endedAt) return batches;
  const UnixMillis end = *livestream.endedAt;
  for (const auto& [bucket, ms] : usage::splitByHour(end, end - *livestream.startedAt)) {
    usage::UsageBatch batch;
    // Batch ids are at most 64 characters: a digest of what names the span.
    batch.id = "lc-" + auth::sha256Hex("lifecycle-ingest:" + livestream.id + ":" +
                                       std::to_string(*livestream.startedAt) + ":" + std::to_string(bucket))
                           .substr(0, 40);
    batch.rows.push_back(usage::UsageRow{.projectId = livestream.projectId,
                                         .livestreamId = livestream.id,
                                         .bucketStart = bucket,
                                         .metric = std::string(usage::metricName(usage::Metric::kIngestMs)),
                                         .dimension = "",
                                         .value = ms});
    batches.push_back(std::move(batch));
  }
  return batches;
}

namespace {

void apply(Store& store, const Livestream& livestream, UnixMillis endedAt) {
  if (livestream.phase != LivestreamStatus::kEnded || livestream.endedAt != endedAt) return;
  for (const usage::UsageBatch& batch : lifecycleIngestBatches(livestream)) {
    auto applied = store.applyUsageBatch(batch, endedAt);
    if (!applied.ok()) {
      spdlog::error("usage of stream {} (livestream {}) from {} to {} not metered: {}", livestream.streamKey,
                    livestream.id, *livestream.startedAt, endedAt, logText(applied.status().message()));
      return;
    }
  }
}

}  // namespace

void meterLifecycleEnd(Store& store, const MediaServer& server, std::string_view livestreamId, UnixMillis endedAt) {
  if (!meteredByLifecycle(server)) return;
  auto found = store.findLivestream(livestreamId);
  if (!found.ok()) {
    spdlog::error("usage of livestream {} not metered: {}", livestreamId, logText(found.status().message()));
    return;
  }
  if (found->has_value() && (*found)->mediaServerId == server.id) apply(store, **found, endedAt);
}

void meterLifecycleDelete(Store& store, const MediaServer& server, const Livestream& before, UnixMillis deletedAt) {
  if (!meteredByLifecycle(server) || before.phase != LivestreamStatus::kStarted) return;
  Livestream ended = before;
  ended.phase = LivestreamStatus::kEnded;
  ended.endedAt = deletedAt;
  apply(store, ended, deletedAt);
}

void meterLifecycleEnds(Store& store, const MediaServer& server, const std::vector<Livestream>& startedBefore,
                        UnixMillis endedAt) {
  if (!meteredByLifecycle(server)) return;
  for (const Livestream& l : startedBefore) meterLifecycleEnd(store, server, l.id, endedAt);
}

}  // namespace ls::control
