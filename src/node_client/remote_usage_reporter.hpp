// A `--role media` node's usage goes to the API tier: POST
// /internal/v1/nodes/<id>/usage with the node secret, which applies it to the
// Store once per batch id. A batch is sent in chunks of kRowsPerRequest rows
// (bodies stay far below the API's 64 KiB), each with its own id derived
// from the batch's ("<id>/<n>"), so a resent batch adds each chunk once.
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <string_view>

#include "http_client/http_client.hpp"
#include "ingest/usage_flusher.hpp"
#include "node_client/remote_ingest_service.hpp"

namespace ls::node_client {

inline constexpr std::size_t kUsageRowsPerRequest = 200;

// The request body for one chunk (api/node_bodies.hpp parseNodeUsage reads it).
std::string usageBody(std::string_view batchId, std::span<const usage::UsageRow> rows);

class RemoteUsageReporter final : public ingest::UsageReporter {
 public:
  RemoteUsageReporter(http_client::HttpClient& client, NodeCredentials node,
                      std::chrono::milliseconds timeout = std::chrono::milliseconds(5000))
      : client_(client), node_(std::move(node)), timeout_(timeout) {}
  Status report(const usage::UsageBatch& batch) override;

 private:
  http_client::HttpClient& client_;
  const NodeCredentials node_;
  const std::chrono::milliseconds timeout_;
};

}  // namespace ls::node_client
