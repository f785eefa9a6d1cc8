// control::NodeApi for external media nodes, over their HTTP control APIs:
// ZLMediaKit (secret in the query) and MediaMTX (HTTP Basic, user
// "lunarstream", the server's apiSecret as password; no credentials when it
// is empty). An EMBEDDED server, or one without an apiUrl, has no node API.
//
// Threading: every call blocks its thread on HTTP for up to its budget; call
// from the control thread or an HTTP worker, never from an event loop. The
// object holds no state of its own and may be used from several threads.
#pragma once

#include <chrono>
#include <string_view>
#include <vector>

#include "control/node_api.hpp"
#include "core/model.hpp"
#include "core/status.hpp"
#include "http_client/http_client.hpp"

namespace ls::nodes {

// How long one NodeApi call may take in all, whatever the number of HTTP
// requests it makes: each request gets what its predecessors left.
struct NodeApiBudgets {
  std::chrono::milliseconds list{3000};  // liveStreams (every MediaMTX page)
  std::chrono::milliseconds cut{2000};   // cutPublisher (MediaMTX: find the connection, then kick it)
};

class ExternalNodeApi final : public control::NodeApi {
 public:
  // `client` must outlive this object.
  explicit ExternalNodeApi(http_client::HttpClient& client, NodeApiBudgets budgets = {});

  [[nodiscard]] bool configured(const MediaServer& server) const override;
  // kConflict when the server has no node API (there is no precondition
  // code in core/status.hpp; "state does not allow it" is the nearest).
  Result<std::vector<control::NodeStream>> liveStreams(const MediaServer& server) override;
  Status cutPublisher(const MediaServer& server, std::string_view app, std::string_view streamKey) override;

 private:
  http_client::HttpClient& client_;
  NodeApiBudgets budgets_;
};

}  // namespace ls::nodes
