// A stand-in for a ZLMediaKit or MediaMTX node: the project's own HTTP
// server on 127.0.0.1, routes that answer with the recorded fixtures, and a
// log of what each request carried.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <chrono>
#include <string_view>

#include "core/model.hpp"
#include "http_client/http_client.hpp"
#include "nodes/external_node_api.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "support/local_http_server.hpp"

namespace ls::nodes::testing {

struct SeenRequest {
  std::string method;
  std::string path;    // decoded
  std::string target;  // as sent
  std::vector<std::pair<std::string, std::string>> query;
  std::optional<std::string> authorization;

  [[nodiscard]] std::optional<std::string> param(std::string_view name) const {
    for (const auto& [k, v] : query) {
      if (k == name) return v;
    }
    return std::nullopt;
  }
};

// Handlers run on the server's loop threads; the test reads from its own.
class RequestLog {
 public:
  void add(const http::Request& r) {
    SeenRequest seen{std::string(r.methodName()), std::string(r.path()), std::string(r.target()), r.queryParams(),
                     std::nullopt};
    if (auto auth = r.header("Authorization")) seen.authorization = std::string(*auth);
    std::lock_guard lock(mu_);
    requests_.push_back(std::move(seen));
  }
  [[nodiscard]] std::vector<SeenRequest> all() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<SeenRequest> requests_;
};

inline http::Response jsonAnswer(int status, std::string body) {
  return http::Response::json(status, std::move(body));
}

inline MediaServer nodeServer(MediaServerType type, std::string apiUrl, std::string secret) {
  MediaServer server;
  server.id = "ms-edge-1";
  server.name = "edge-1";
  server.type = type;
  server.apiUrl = std::move(apiUrl);
  server.apiSecret = std::move(secret);
  return server;
}

// A test that serves node API routes (added to `router` before start()) and
// asks them through ExternalNodeApi with short budgets.
class NodeApiTest : public ::testing::Test {
 protected:
  NodeApiTest(MediaServerType type, std::string_view secret) : server(nodeServer(type, "", std::string(secret))) {}

  void start() {
    node = std::make_unique<ls::testing::LocalHttpServer>(std::move(router));
    server.apiUrl = node->baseUrl();
  }
  [[nodiscard]] std::string url(std::string_view path) const { return node->baseUrl() + std::string(path); }

  http::Router router;
  RequestLog log;
  std::unique_ptr<ls::testing::LocalHttpServer> node;
  MediaServer server;
  http_client::HttpClient client;
  ExternalNodeApi api{client, NodeApiBudgets{std::chrono::milliseconds(1000), std::chrono::milliseconds(1000)}};
};

// A URL where nothing listens: a port a server just gave back.
inline std::string closedUrl() {
  ls::testing::LocalHttpServer gone{http::Router{}};
  return gone.baseUrl();
}

}  // namespace ls::nodes::testing
