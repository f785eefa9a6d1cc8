#include "control/media_server_service.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "auth/crypto.hpp"
#include "control/steering.hpp"
#include "control/urls.hpp"
#include "core/address_block.hpp"
#include "core/base_url.hpp"
#include "core/random.hpp"
#include "core/encoding.hpp"

namespace ls::control {


namespace {

bool isPrintable(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

std::string newNodeSecret(Random& random) {
  std::array<std::uint8_t, 32> secret{};
  random.fill(secret);
  return "ls_node_" + base64UrlEncode(secret);
}

void appendExternalProblems(const MediaServerInput& input, std::vector<std::string>& problems) {
  const bool external = input.type != MediaServerType::kEmbedded;
  if (input.remoteNode) {
    if (input.type != MediaServerType::kEmbedded) problems.emplace_back("a remote node is of type EMBEDDED");
    if (!isBaseUrl(input.apiUrl, {"http://", "https://"})) problems.emplace_back("apiUrl must be an http:// or https:// URL");
    std::set<std::string_view> seen;
    for (const std::string& projectId : input.projectIds) {
      if (!isUuid(projectId)) problems.push_back("project '" + projectId.substr(0, 64) + "' is not a project id (UUID)");
      if (!seen.insert(projectId).second) problems.push_back("project " + projectId + " is listed twice");
    }
    return;
  }
  if (!input.hlsPathTemplate.empty()) {
    if (!external) {
      problems.emplace_back("hlsPathTemplate applies to external media servers only");
    } else if (Status s = validateHlsPathTemplate(input.hlsPathTemplate); !s.isOk()) {
      problems.push_back(s.message());
    }
  }
  if (!input.hookAllow.empty() && !external) problems.emplace_back("hookAllow applies to external media servers only");
  if (input.hookAllow.size() > 64) problems.emplace_back("hookAllow may list at most 64 address blocks");
  for (const std::string& block : input.hookAllow) {
    if (auto parsed = parseAddressBlock(block); !parsed.ok()) problems.push_back("hookAllow: " + parsed.status().message());
  }
  if (!input.remoteId.empty() && !external) problems.emplace_back("remoteId applies to external media servers only");
  if (input.remoteId.size() > 255 || !isPrintable(input.remoteId)) {
    problems.emplace_back("remoteId must be at most 255 printable characters without spaces");
  }
  if (!input.apiUrl.empty()) {
    if (!external) problems.emplace_back("apiUrl applies to external media servers only");
    if (!isBaseUrl(input.apiUrl, {"http://", "https://"})) problems.emplace_back("apiUrl must be an http:// or https:// URL");
  }
  if (!input.apiSecret.empty() && input.apiUrl.empty()) problems.emplace_back("apiSecret needs an apiUrl");
  if (input.apiSecret.size() > 256 || !isPrintable(input.apiSecret)) {
    problems.emplace_back("apiSecret must be at most 256 printable characters without spaces");
  }
  std::set<std::string_view> seen;
  for (const std::string& projectId : input.projectIds) {
    if (!isUuid(projectId)) problems.push_back("project '" + projectId.substr(0, 64) + "' is not a project id (UUID)");
    if (!seen.insert(projectId).second) problems.push_back("project " + projectId + " is listed twice");
  }
}

void applyInput(MediaServer& server, const MediaServerInput& input) {
  server.name = input.name;
  server.rtmpBaseUrl = input.rtmpBaseUrl;
  server.hlsBaseUrl = input.hlsBaseUrl;
  server.cdns = input.cdns;
  server.hlsPathTemplate = input.hlsPathTemplate;
  server.hookAllow = input.hookAllow;
  server.remoteId = input.remoteId;
  server.apiUrl = withoutTrailingSlash(input.apiUrl);
  server.apiSecret = input.apiSecret;
  server.projectIds = input.projectIds;
}

}  // namespace

MediaServerInput inputOf(const MediaServer& server) {
  MediaServerInput input;
  input.name = server.name;
  input.type = server.type;
  input.rtmpBaseUrl = server.rtmpBaseUrl;
  input.hlsBaseUrl = server.hlsBaseUrl;
  input.cdns = server.cdns;
  input.hlsPathTemplate = server.hlsPathTemplate;
  input.hookAllow = server.hookAllow;
  input.remoteId = server.remoteId;
  input.apiUrl = server.apiUrl;
  input.apiSecret = server.apiSecret;
  input.projectIds = server.projectIds;
  input.remoteNode = isRemoteNode(server);
  return input;
}

Status validateMediaServerInput(const MediaServerInput& input) {
  std::vector<std::string> problems;
  if (input.name.empty() || input.name.size() > 255) problems.emplace_back("name must be 1 to 255 characters");
  if (!isBaseUrl(input.rtmpBaseUrl, {"rtmp://", "rtmps://"})) {
    problems.emplace_back("rtmpBaseUrl must be an rtmp:// or rtmps:// URL");
  }
  if (!isBaseUrl(input.hlsBaseUrl, {"http://", "https://"})) {
    problems.emplace_back("hlsBaseUrl must be an http:// or https:// URL");
  }
  appendCdnProblems(input.cdns, problems);
  appendExternalProblems(input, problems);
  if (problems.empty()) return Status::ok();
  std::string summary = problems.front();
  return {Code::kInvalidArgument, summary, std::move(problems)};
}

MediaServerService::MediaServerService(Store& store, const Clock& clock, Random& random)
    : store_(store), clock_(clock), random_(random), audit_(store, clock, random) {}

namespace {
AuditRecord serverRecord(std::string_view action, const MediaServer& server) {
  return AuditRecord{action,
                     "",
                     "",
                     "media_server",
                     server.id,
                     {textDetail("name", server.name), textDetail("type", std::string(toString(server.type)))}};
}
}  // namespace

Result<AddedMediaServer> MediaServerService::add(const MediaServerInput& input, const Actor& actor) {
  auto added = add(input);
  if (added.ok()) audit_.record(actor, serverRecord(audit::kMediaServerCreated, added->server));
  return added;
}

Result<MediaServer> MediaServerService::update(std::string_view id, const MediaServerInput& input,
                                               const Actor& actor) {
  auto updated = update(id, input);
  if (updated.ok()) audit_.record(actor, serverRecord(audit::kMediaServerUpdated, *updated));
  return updated;
}

Status MediaServerService::remove(std::string_view id, const Actor& actor) {
  auto found = get(id);
  if (!found.ok()) return found.status();
  LS_RETURN_IF_ERROR(remove(id));
  audit_.record(actor, serverRecord(audit::kMediaServerRemoved, *found));
  return Status::ok();
}

Result<AddedMediaServer> MediaServerService::addNode(MediaServerInput input, const Actor& actor) {
  auto added = addNode(std::move(input));
  if (added.ok()) {
    AuditRecord record = serverRecord(audit::kMediaServerCreated, added->server);
    record.details.push_back(boolDetail("remoteNode", true));
    audit_.record(actor, record);
  }
  return added;
}

Result<AddedMediaServer> MediaServerService::rotateNodeSecret(std::string_view id, const Actor& actor) {
  auto rotated = rotateNodeSecret(id);
  if (rotated.ok()) audit_.record(actor, serverRecord(audit::kNodeSecretRotated, rotated->server));
  return rotated;
}

Result<AddedMediaServer> MediaServerService::add(const MediaServerInput& input) {
  LS_RETURN_IF_ERROR(validateMediaServerInput(input));
  AddedMediaServer out;
  out.server.id = newUuidV4(random_);
  out.server.name = input.name;
  out.server.type = input.type;
  applyInput(out.server, input);
  out.server.createdAt = clock_.now();
  if (input.type != MediaServerType::kEmbedded) {
    std::array<std::uint8_t, 32> secret{};
    random_.fill(secret);
    out.hookSecret = "ls_hook_" + base64UrlEncode(secret);
    out.server.hookSecretHash = auth::sha256Hex(out.hookSecret);
  }
  auto inserted = store_.insertMediaServer(out.server);
  if (!inserted.ok()) return std::move(inserted).takeStatus();
  out.server = std::move(*inserted);
  return out;
}

Result<std::vector<MediaServer>> MediaServerService::list() { return store_.listMediaServers(); }

Result<MediaServer> MediaServerService::get(std::string_view id) {
  auto found = store_.findMediaServer(id);
  if (!found.ok()) return std::move(found).takeStatus();
  if (!found->has_value()) return notFound("Media server not found");
  return std::move(**found);
}

Result<MediaServer> MediaServerService::update(std::string_view id, const MediaServerInput& input) {
  auto found = get(id);
  if (!found.ok()) return found.status();
  MediaServerInput checked = input;
  checked.type = found->type;
  LS_RETURN_IF_ERROR(validateMediaServerInput(checked));
  MediaServer server = std::move(*found);
  applyInput(server, checked);
  LS_RETURN_IF_ERROR(store_.updateMediaServer(server));
  if (steering_ != nullptr) steering_->configure(server);
  return server;
}

Result<MediaServer> MediaServerService::setCdnSteering(std::string_view id, std::string_view cdn, CdnSteering mode,
                                                       const Actor& actor) {
  auto found = get(id);
  if (!found.ok()) return found.status();
  MediaServer server = std::move(*found);
  auto it = std::find_if(server.cdns.begin(), server.cdns.end(), [&](const CdnEndpoint& c) { return c.name == cdn; });
  if (it == server.cdns.end()) return notFound("media server " + server.name + " has no CDN named " + std::string(cdn));
  it->steering = mode;
  LS_RETURN_IF_ERROR(store_.updateMediaServer(server));
  if (steering_ != nullptr) steering_->configure(server);
  AuditRecord record = serverRecord(audit::kMediaServerUpdated, server);
  record.details.push_back(textDetail("cdn", std::string(cdn)));
  record.details.push_back(textDetail("steering", std::string(toString(mode))));
  audit_.record(actor, record);
  return server;
}

Result<MediaServer> MediaServerService::authenticateHook(const HookCaller& caller) {
  if (caller.secret.size() > 256) return Status(Code::kUnauthenticated, "invalid hook secret");
  auto servers = store_.listMediaServers();
  if (!servers.ok()) return std::move(servers).takeStatus();
  if (!caller.secret.empty()) {
    const std::string hash = auth::sha256Hex(caller.secret);
    for (MediaServer& server : *servers) {
      if (!server.hookSecretHash.empty() && !isRemoteNode(server) && auth::constantTimeEquals(server.hookSecretHash, hash)) {
        return std::move(server);
      }
    }
    return Status(Code::kUnauthenticated, "invalid hook secret");
  }
  std::vector<MediaServer*> allowed;
  for (MediaServer& server : *servers) {
    if (server.type == MediaServerType::kEmbedded) continue;
    const bool listed = std::any_of(server.hookAllow.begin(), server.hookAllow.end(), [&](const std::string& block) {
      auto parsed = parseAddressBlock(block);
      return parsed.ok() && blockContains(*parsed, caller.remoteAddress);
    });
    if (listed) allowed.push_back(&server);
  }
  const bool addressListed = !allowed.empty();
  if (!caller.remoteId.empty()) {
    // A server that names its node answers to that name only: another node
    // behind the same address (one not added yet, a neighbour) is not it, and
    // must not renew its lease or end its streams.
    std::erase_if(allowed, [&](const MediaServer* server) {
      return !server->remoteId.empty() && server->remoteId != caller.remoteId;
    });
    if (allowed.size() > 1) {
      std::erase_if(allowed, [&](const MediaServer* server) { return server->remoteId != caller.remoteId; });
    }
  }
  if (allowed.size() == 1) return std::move(*allowed.front());
  if (allowed.empty() && addressListed) {
    // The caller's remote id is not echoed: it is whatever the caller sent.
    return Status(Code::kUnauthenticated,
                  "hook secret missing, and no media server that allows the caller's address has the caller's remote "
                  "id (ZLMediaKit mediaServerId)");
  }
  if (allowed.empty()) {
    return Status(Code::kUnauthenticated, "hook secret missing, and the caller's address is in no media server's hook address list");
  }
  return Status(Code::kUnauthenticated,
                "hook secret missing, and the caller's address is allowed for several media servers: give each its "
                "node's mediaServerId as remote id, or use the secret");
}

Status MediaServerService::remove(std::string_view id) { return store_.deleteMediaServer(id); }

Result<AddedMediaServer> MediaServerService::addNode(MediaServerInput input) {
  input.type = MediaServerType::kEmbedded;
  input.remoteNode = true;
  if (input.apiUrl.empty()) input.apiUrl = input.hlsBaseUrl;
  LS_RETURN_IF_ERROR(validateMediaServerInput(input));
  AddedMediaServer out;
  out.server.id = newUuidV4(random_);
  out.server.type = MediaServerType::kEmbedded;
  applyInput(out.server, input);
  out.server.createdAt = clock_.now();
  out.hookSecret = newNodeSecret(random_);
  out.server.hookSecretHash = auth::sha256Hex(out.hookSecret);
  auto inserted = store_.insertMediaServer(out.server);
  if (!inserted.ok()) return std::move(inserted).takeStatus();
  out.server = std::move(*inserted);
  return out;
}

Result<AddedMediaServer> MediaServerService::rotateNodeSecret(std::string_view id) {
  auto found = get(id);
  if (!found.ok()) return found.status();
  if (!isRemoteNode(*found)) return notFound("Media server " + std::string(id) + " is not a remote node");
  AddedMediaServer out;
  out.hookSecret = newNodeSecret(random_);
  out.server = std::move(*found);
  out.server.hookSecretHash = auth::sha256Hex(out.hookSecret);
  LS_RETURN_IF_ERROR(store_.updateMediaServer(out.server));
  return out;
}

Result<MediaServer> MediaServerService::authenticateNode(std::string_view id, std::string_view secret) {
  const Status refused(Code::kUnauthenticated, "invalid node credentials");
  if (secret.empty() || secret.size() > 256 || !isUuid(id)) return refused;
  auto found = store_.findMediaServer(id);
  if (!found.ok()) return std::move(found).takeStatus();
  if (!found->has_value() || !isRemoteNode(**found)) return refused;
  if (!auth::constantTimeEquals((*found)->hookSecretHash, auth::sha256Hex(secret))) return refused;
  return std::move(**found);
}

Result<MediaServer> MediaServerService::ensureEmbedded(const MediaServerInput& current) {
  MediaServerInput input = current;
  input.type = MediaServerType::kEmbedded;
  LS_RETURN_IF_ERROR(validateMediaServerInput(input));
  auto servers = store_.listMediaServers();
  if (!servers.ok()) return std::move(servers).takeStatus();
  for (MediaServer& server : *servers) {
    // A remote node is an embedded media plane too, but in another process.
    if (server.type != MediaServerType::kEmbedded || isRemoteNode(server)) continue;
    if (server.rtmpBaseUrl != input.rtmpBaseUrl || server.hlsBaseUrl != input.hlsBaseUrl ||
        server.cdns.size() != input.cdns.size() || server.name != input.name ||
        !std::equal(server.cdns.begin(), server.cdns.end(), input.cdns.begin(),
                    [](const CdnEndpoint& a, const CdnEndpoint& b) { return a.name == b.name && a.baseUrl == b.baseUrl; })) {
      server.name = input.name;
      server.rtmpBaseUrl = input.rtmpBaseUrl;
      server.hlsBaseUrl = input.hlsBaseUrl;
      // The configuration names the CDNs; their steering modes are the
      // operator's (CLI, admin API) and survive a restart with a changed list.
      std::vector<CdnEndpoint> cdns = input.cdns;
      for (CdnEndpoint& cdn : cdns) {
        for (const CdnEndpoint& old : server.cdns) {
          if (old.name == cdn.name) cdn.steering = old.steering;
        }
      }
      server.cdns = std::move(cdns);
      LS_RETURN_IF_ERROR(store_.updateMediaServer(server));
    }
    return std::move(server);
  }
  auto added = add(input);
  if (!added.ok()) return std::move(added).takeStatus();
  return std::move(added->server);
}

}  // namespace ls::control
