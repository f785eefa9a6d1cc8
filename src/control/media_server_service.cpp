#include "control/media_server_service.hpp"

#include <array>
#include <set>

#include "auth/crypto.hpp"
#include "core/base_url.hpp"
#include "core/encoding.hpp"

namespace ls::control {


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
  if (problems.empty()) return Status::ok();
  std::string summary = problems.front();
  return {Code::kInvalidArgument, summary, std::move(problems)};
}

MediaServerService::MediaServerService(Store& store, const Clock& clock, Random& random)
    : store_(store), clock_(clock), random_(random) {}

Result<AddedMediaServer> MediaServerService::add(const MediaServerInput& input) {
  LS_RETURN_IF_ERROR(validateMediaServerInput(input));
  AddedMediaServer out;
  out.server.id = newUuidV4(random_);
  out.server.name = input.name;
  out.server.type = input.type;
  out.server.rtmpBaseUrl = input.rtmpBaseUrl;
  out.server.hlsBaseUrl = input.hlsBaseUrl;
  out.server.cdns = input.cdns;
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

Result<MediaServer> MediaServerService::authenticateHook(std::string_view hookSecret) {
  const Status invalid(Code::kUnauthenticated, "Invalid hook secret");
  if (hookSecret.empty() || hookSecret.size() > 256) return invalid;
  const std::string hash = auth::sha256Hex(hookSecret);
  auto servers = store_.listMediaServers();
  if (!servers.ok()) return std::move(servers).takeStatus();
  for (MediaServer& server : *servers) {
    if (!server.hookSecretHash.empty() && auth::constantTimeEquals(server.hookSecretHash, hash)) {
      return std::move(server);
    }
  }
  return invalid;
}

Status MediaServerService::remove(std::string_view id) { return store_.deleteMediaServer(id); }

Result<MediaServer> MediaServerService::ensureEmbedded(const MediaServerInput& current) {
  MediaServerInput input = current;
  input.type = MediaServerType::kEmbedded;
  LS_RETURN_IF_ERROR(validateMediaServerInput(input));
  auto servers = store_.listMediaServers();
  if (!servers.ok()) return std::move(servers).takeStatus();
  for (MediaServer& server : *servers) {
    if (server.type != MediaServerType::kEmbedded) continue;
    if (server.rtmpBaseUrl != input.rtmpBaseUrl || server.hlsBaseUrl != input.hlsBaseUrl ||
        server.cdns.size() != input.cdns.size() || server.name != input.name ||
        !std::equal(server.cdns.begin(), server.cdns.end(), input.cdns.begin(),
                    [](const CdnEndpoint& a, const CdnEndpoint& b) { return a.name == b.name && a.baseUrl == b.baseUrl; })) {
      server.name = input.name;
      server.rtmpBaseUrl = input.rtmpBaseUrl;
      server.hlsBaseUrl = input.hlsBaseUrl;
      server.cdns = input.cdns;
      LS_RETURN_IF_ERROR(store_.updateMediaServer(server));
    }
    return std::move(server);
  }
  auto added = add(input);
  if (!added.ok()) return std::move(added).takeStatus();
  return std::move(added->server);
}

}  // namespace ls::control
