// Media servers: the embedded one (registered on first start, its URLs kept
// in step with the configuration) and external ZLMediaKit / MediaMTX nodes
// added by an administrator. Thread-safe; blocking (Store).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "control/audit_log.hpp"
#include "core/model.hpp"
#include "core/random.hpp"
#include "core/status.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace ls::control {

class SteeringState;

struct MediaServerInput {
  std::string name;
  MediaServerType type = MediaServerType::kEmbedded;
  std::string rtmpBaseUrl;
  std::string hlsBaseUrl;
  std::vector<CdnEndpoint> cdns;
  // External servers only (MediaServer has the meaning of each).
  std::string hlsPathTemplate;
  std::vector<std::string> hookAllow;
  std::string remoteId;
  std::string apiUrl;
  std::string apiSecret;
  // Empty: every project may use it.
  std::vector<std::string> projectIds;
  // A remote LunarStream media node (`node add`): type EMBEDDED with a node
  // secret, and apiUrl is where the API tier reaches its HTTP listener.
  bool remoteNode = false;
};

// The input that would recreate `server` as it is (for an update that
// changes a few fields).
MediaServerInput inputOf(const MediaServer& server);

// What a hook call presents: a secret (may be empty), the address it came
// from, and the node's own name for itself when the body carries one.
struct HookCaller {
  std::string_view secret;
  std::string_view remoteAddress;
  std::string_view remoteId;
};

struct AddedMediaServer {
  MediaServer server;
  // Plaintext secret that the node's hook calls must carry; empty for EMBEDDED. Shown once.
  std::string hookSecret;
};

// Checks names and URLs: rtmp:// or rtmps:// for ingest, http(s):// for HLS,
// CDNs and the node API, unique CDN names, the path template, the hook
// address blocks; the external-only settings are refused for EMBEDDED. One
// message per problem.
Status validateMediaServerInput(const MediaServerInput& input);

class MediaServerService {
 public:
  MediaServerService(Store& store, const Clock& clock, Random& random);

  Result<AddedMediaServer> add(const MediaServerInput& input);
  // Replaces the configuration of an existing server (its type, id and hook
  // secret stay). kNotFound for an unknown server or project.
  Result<MediaServer> update(std::string_view id, const MediaServerInput& input);
  Result<std::vector<MediaServer>> list();
  Result<MediaServer> get(std::string_view id);
  Status remove(std::string_view id);
  // The external media server a hook call comes from: the one whose secret
  // it carries or, when it carries none, the one whose hook address list
  // holds the caller's address (narrowed by remoteId when several do; a
  // server with a remoteId refuses a caller that names another).
  // kUnauthenticated with the reason otherwise (also for EMBEDDED servers,
  // which take no hooks). Never echoes the secret.
  Result<MediaServer> authenticateHook(const HookCaller& caller);
  // A remote LunarStream media node (`node add`): type EMBEDDED, a node
  // secret (returned in hookSecret, stored hashed), apiUrl defaulting to
  // the HLS URL.
  Result<AddedMediaServer> addNode(MediaServerInput input);
  // A new node secret for a remote node; the old one stops working at once.
  Result<AddedMediaServer> rotateNodeSecret(std::string_view id);
  // The remote node `id` when `secret` is its node secret; kUnauthenticated
  // ("invalid node credentials", whatever is wrong) otherwise.
  Result<MediaServer> authenticateNode(std::string_view id, std::string_view secret);
  // The administrator's changes (CLI, administration API): as above, and
  // recorded in the audit log (media servers belong to no team).
  Result<AddedMediaServer> add(const MediaServerInput& input, const Actor& actor);
  Result<MediaServer> update(std::string_view id, const MediaServerInput& input, const Actor& actor);
  Status remove(std::string_view id, const Actor& actor);
  Result<AddedMediaServer> addNode(MediaServerInput input, const Actor& actor);
  Result<AddedMediaServer> rotateNodeSecret(std::string_view id, const Actor& actor);

  // An operator's steering mode for one CDN of a server (auto, pin, drain;
  // docs/steering.md), recorded in the audit log. kNotFound for an unknown
  // server or a CDN the server does not have.
  Result<MediaServer> setCdnSteering(std::string_view id, std::string_view cdn, CdnSteering mode, const Actor& actor);
  // Where changed servers are told at once (their steering ranks again);
  // null: nowhere. Must outlive the service; set before serving.
  void setSteering(SteeringState* steering) { steering_ = steering; }

  // The EMBEDDED server: created on first start, later starts update its URLs
  // and CDNs to what the configuration says now.
  Result<MediaServer> ensureEmbedded(const MediaServerInput& current);

 private:
  Store& store_;
  const Clock& clock_;
  Random& random_;
  AuditLog audit_;
  SteeringState* steering_ = nullptr;
};

}  // namespace ls::control
