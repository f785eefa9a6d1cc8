#include "node_client/remote_usage_reporter.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace ls::node_client {

std::string usageBody(std::string_view batchId, std::span<const usage::UsageRow> rows) {
  boost::json::array out;
  out.reserve(rows.size());
  for (const usage::UsageRow& r : rows) {
    out.emplace_back(boost::json::object{{"projectId", r.projectId},
                                         {"livestreamId", r.livestreamId},
                                         {"bucketStart", r.bucketStart},
                                         {"metric", r.metric},
                                         {"dimension", r.dimension},
                                         {"value", r.value}});
  }
  return boost::json::serialize(boost::json::object{{"batchId", batchId}, {"rows", std::move(out)}});
}

Status RemoteUsageReporter::report(const usage::UsageBatch& batch) {
  const std::span<const usage::UsageRow> rows(batch.rows);
  for (std::size_t i = 0, n = 0; i < rows.size(); i += kUsageRowsPerRequest, ++n) {
    const std::span<const usage::UsageRow> chunk = rows.subspan(i, std::min(kUsageRowsPerRequest, rows.size() - i));
    auto answer = callControl(client_, node_, "usage", usageBody(batch.id + "/" + std::to_string(n), chunk), timeout_);
    if (!answer.ok()) return answer.status();
    if (answer->status == 401) {
      return unavailable("the API tier refuses this media node's credentials (node.id / node.secret)");
    }
    if (answer->status != 200) {
      // Kept and resent: a 400 would be a bug between versions, which a retry
      // after an upgrade of the API tier fixes; nothing is counted meanwhile.
      return unavailable("the API tier did not store usage (HTTP " + std::to_string(answer->status) + ")");
    }
  }
  return Status::ok();
}

}  // namespace ls::node_client
