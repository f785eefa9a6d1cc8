#include "nodes/node_call.hpp"

#include <algorithm>

#include "core/base_url.hpp"
#include "core/quoted.hpp"
#include "http_client/url_text.hpp"

namespace ls::nodes {

namespace {

// Connecting to a node on the operator's network takes milliseconds; a
// second without a handshake means it is down, and the rest of the budget is
// better left to the answer.
constexpr std::chrono::milliseconds kConnectTimeout{1000};

std::string_view productName(MediaServerType type) {
  switch (type) {
    case MediaServerType::kZlMediaKit: return "ZLMediaKit";
    case MediaServerType::kMediaMtx: return "MediaMTX";
    case MediaServerType::kEmbedded: break;
  }
  return "media";
}

void replaceAll(std::string& text, std::string_view what, std::string_view with) {
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

}  // namespace

NodeCall::NodeCall(http_client::HttpClient& client, const MediaServer& server, std::chrono::milliseconds budget)
    : client_(client), server_(server), budget_(budget), deadline_(std::chrono::steady_clock::now() + budget) {}

void NodeCall::useBasicAuth(std::string user, std::string password) {
  basicAuth_.emplace(std::move(user), std::move(password));
}

void NodeCall::useBearer(std::string token) { bearer_ = std::move(token); }

Result<http_client::ClientResponse> NodeCall::send(std::string_view method, std::string_view pathAndQuery,
                                                   std::size_t maxResponseBytes) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
  if (left.count() <= 0) {
    return failure(method, pathAndQuery, "timed out: the " + std::to_string(budget_.count()) + " ms budget is spent");
  }
  http_client::ClientRequest request;
  request.method = std::string(method);
  request.url = url(pathAndQuery);
  request.timeout = left;
  request.connectTimeout = std::min(kConnectTimeout, left);
  request.maxResponseBytes = maxResponseBytes;
  request.basicAuth = basicAuth_;
  if (!bearer_.empty()) request.headers.emplace_back("Authorization", "Bearer " + bearer_);
  auto answer = client_.send(request);
  if (!answer.ok()) return nodeFailure(answer.status().message());
  return answer;
}

Status NodeCall::failure(std::string_view method, std::string_view pathAndQuery, std::string_view what) const {
  return nodeFailure(std::string(method) + " " + http_client::redactedUrl(url(pathAndQuery)) + ": " +
                     std::string(what));
}

std::string NodeCall::url(std::string_view pathAndQuery) const {
  return withoutTrailingSlash(server_.apiUrl) + std::string(pathAndQuery);
}

Status NodeCall::nodeFailure(std::string message) const {
  // A short secret makes this mangle the message; that is the better way to fail.
  if (!server_.apiSecret.empty()) replaceAll(message, server_.apiSecret, "***");
  return unavailable(std::string(productName(server_.type)) + " node " + quoted(server_.name) + ": " + message);
}

}  // namespace ls::nodes
