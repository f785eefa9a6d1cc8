#include "store/usage_rows.hpp"

#include <string>

namespace ls::store {

Status checkUsageBatch(const usage::UsageBatch& batch) {
  if (batch.id.empty() || batch.id.size() > 64) return invalidArgument("usage batch id must be 1..64 characters");
  for (const usage::UsageRow& row : batch.rows) {
    usage::Metric metric{};
    if (row.projectId.empty()) return invalidArgument("usage row without a project");
    if (!usage::parseMetric(row.metric, metric)) return invalidArgument("unknown usage metric: " + row.metric);
    if (row.value < 0) return invalidArgument("usage value must not be negative");
    if (usage::hourStart(row.bucketStart) != row.bucketStart) {
      return invalidArgument("usage bucket must start on the hour");
    }
  }
  return Status::ok();
}

Status checkUsageRange(UnixMillis from, UnixMillis to) {
  if (to < from) return invalidArgument("usage range ends before it starts");
  return Status::ok();
}

}  // namespace ls::store
