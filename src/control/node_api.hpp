// The control API of an external media node (ZLMediaKit's HTTP API,
// MediaMTX's Control API), as the control plane needs it: which streams are
// live there, and cutting a publisher. Implemented in nodes/ over a real HTTP
// client; control/ only sees this interface, so its decisions are tested
// without a network.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/status.hpp"

namespace ls::control {

// One stream that a node has live (a publisher is pushing it).
struct NodeStream {
  std::string app;        // "live"
  std::string streamKey;  // the stream name
};

class NodeApi {
 public:
  virtual ~NodeApi() = default;

  // Whether the server has a node API configured (apiUrl set, type external).
  [[nodiscard]] virtual bool configured(const MediaServer& server) const = 0;
  // The streams that have a live publisher on the node now. kUnavailable
  // naming the cause (refused, timed out, HTTP status, the node's own error
  // message) when it cannot tell; kConflict when no API is configured.
  virtual Result<std::vector<NodeStream>> liveStreams(const MediaServer& server) = 0;
  // Disconnects the publisher of app/streamKey on the node. OK when it was
  // cut or was not there; kUnavailable when the node could not be asked or
  // refused; kConflict when no API is configured.
  virtual Status cutPublisher(const MediaServer& server, std::string_view app, std::string_view streamKey) = 0;
};

}  // namespace ls::control
