// ingest::IngestService over HTTP: a `--role media` node asks the API tier
// (POST <control url>/internal/v1/nodes/{id}/publish, publish-ended) with
// its node secret. Refusals come back with the same Status codes the
// in-process ControlIngestService returns; an API tier that cannot be
// reached is kUnavailable. Blocking and thread-safe: called from the media
// server's control thread, never from a media loop.
#pragma once

#include <chrono>
#include <string>

#include "http_client/http_client.hpp"
#include "ingest/ingest_service.hpp"

namespace ls::node_client {

struct NodeCredentials {
  std::string controlUrl;  // the API tier, "http://api:8080"
  std::string nodeId;
  std::string nodeSecret;
};

// POST <controlUrl>/internal/v1/nodes/<id>/<what> with the node secret.
// kUnavailable when there is no answer.
Result<http_client::ClientResponse> callControl(http_client::HttpClient& client, const NodeCredentials& node,
                                                std::string_view what, std::string body,
                                                std::chrono::milliseconds timeout);

class RemoteIngestService final : public ingest::IngestService {
 public:
  // client must outlive this object.
  RemoteIngestService(http_client::HttpClient& client, NodeCredentials node,
                      std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));

  Result<ingest::PublishGrant> authorizePublish(const ingest::PublishRequest& request) override;
  Status onPublishEnded(const ingest::PublishEnd& end) override;

 private:
  http_client::HttpClient& client_;
  NodeCredentials node_;
  std::chrono::milliseconds timeout_;
};

}  // namespace ls::node_client
