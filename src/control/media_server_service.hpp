// Media servers: the embedded one (registered on first start, its URLs kept
// in step with the configuration) and external ZLMediaKit / MediaMTX nodes
// added by an administrator. Thread-safe; blocking (Store).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/random.hpp"
#include "core/status.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace ls::control {

struct MediaServerInput {
  std::string name;
  MediaServerType type = MediaServerType::kEmbedded;
  std::string rtmpBaseUrl;
  std::string hlsBaseUrl;
  std::vector<CdnEndpoint> cdns;
};

struct AddedMediaServer {
  MediaServer server;
  // Plaintext secret that the node's hook calls must carry; empty for EMBEDDED. Shown once.
  std::string hookSecret;
};

// Checks names and URLs: rtmp:// or rtmps:// for ingest, http(s):// for HLS
// and CDNs, unique CDN names. One message per problem.
Status validateMediaServerInput(const MediaServerInput& input);

class MediaServerService {
 public:
  MediaServerService(Store& store, const Clock& clock, Random& random);

  Result<AddedMediaServer> add(const MediaServerInput& input);
  Result<std::vector<MediaServer>> list();
  Result<MediaServer> get(std::string_view id);
  Status remove(std::string_view id);
  // The external media server whose hook secret this is; kUnauthenticated
  // otherwise (also for EMBEDDED servers, which have none).
  Result<MediaServer> authenticateHook(std::string_view hookSecret);
  // The EMBEDDED server: created on first start, later starts update its URLs
  // and CDNs to what the configuration says now.
  Result<MediaServer> ensureEmbedded(const MediaServerInput& current);

 private:
  Store& store_;
  const Clock& clock_;
  Random& random_;
};

}  // namespace ls::control
