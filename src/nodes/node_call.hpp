// One use of a node's API (listing its streams, cutting a publisher) and the
// time it may take: every HTTP call made for it gets what is left of one
// budget, so a MediaMTX cut that needs two calls still ends within its 2 s.
// Internal to nodes/.
//
// Its errors name the node and the request, never the secret:
//   ZLMediaKit node 'edge-1': GET http://10.0.0.5:8080/index/api/getMediaList: Couldn't connect to server
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/model.hpp"
#include "core/status.hpp"
#include "http_client/http_client.hpp"

namespace ls::nodes {

class NodeCall {
 public:
  // `client` and `server` must outlive the call; the budget starts now.
  NodeCall(http_client::HttpClient& client, const MediaServer& server, std::chrono::milliseconds budget);

  // Presents HTTP Basic credentials with every request (MediaMTX).
  void useBasicAuth(std::string user, std::string password);
  // Presents `Authorization: Bearer <token>` with every request (a remote LunarStream node).
  void useBearer(std::string token);

  // METHOD <apiUrl><pathAndQuery> with the rest of the budget: the answer
  // whatever its status, or kUnavailable when there is none (or no time left).
  Result<http_client::ClientResponse> send(std::string_view method, std::string_view pathAndQuery,
                                           std::size_t maxResponseBytes = http_client::kDefaultMaxResponseBytes);

  // kUnavailable "<node>: METHOD <url without query>: <what>", the secret
  // masked wherever it might appear (a node may echo what it was sent).
  [[nodiscard]] Status failure(std::string_view method, std::string_view pathAndQuery, std::string_view what) const;

 private:
  [[nodiscard]] std::string url(std::string_view pathAndQuery) const;
  [[nodiscard]] Status nodeFailure(std::string message) const;

  http_client::HttpClient& client_;
  const MediaServer& server_;
  std::chrono::milliseconds budget_;
  std::chrono::steady_clock::time_point deadline_;
  std::optional<std::pair<std::string, std::string>> basicAuth_;
  std::string bearer_;
};

}  // namespace ls::nodes
