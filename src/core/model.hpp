// Domain types of the control plane. Plain data: no I/O, no behaviour beyond
// naming. Timestamps are UnixMillis; an unset one is std::nullopt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace ls {

struct Team {
  std::string id;
  std::string name;
  UnixMillis createdAt = 0;
};

// A member's role in a team, most powerful first. What each may do is
// control/team_policy.hpp's table.
enum class TeamRole { kOwner, kAdmin, kMember, kViewer };
std::string_view toString(TeamRole r);  // "owner", "admin", "member", "viewer"
std::optional<TeamRole> parseTeamRole(std::string_view s);

// A project's own partner API limits; a project without one gets the
// configured defaults (ratelimit.partner_per_minute / _per_hour).
struct ProjectRateLimit {
  std::int64_t perMinute = 0;  // >= 1
  std::int64_t perHour = 0;    // >= 1
  bool operator==(const ProjectRateLimit&) const = default;
};

struct Project {
  std::string id;
  std::string teamId;
  std::string name;
  // SHA-256 (hex) of the active API key; the key itself is never stored.
  std::string apiKeyHash;
  // When false, only the original rendition is packaged (no ABR ladder).
  bool abrEnabled = true;
  UnixMillis createdAt = 0;
  // nullopt: the configured default limits.
  std::optional<ProjectRateLimit> rateLimit;
};

enum class MediaServerType { kEmbedded, kZlMediaKit, kMediaMtx };
std::string_view toString(MediaServerType t);
std::optional<MediaServerType> parseMediaServerType(std::string_view s);

// An operator's say over one CDN in content steering (docs/steering.md):
// kAuto ranks it by measured health, kPin puts it first while it is healthy,
// kDrain never offers it to players (it leaves PATHWAY-PRIORITY and is listed
// last in hlsSources).
enum class CdnSteering { kAuto, kPin, kDrain };
std::string_view toString(CdnSteering mode);  // "auto", "pin", "drain"
std::optional<CdnSteering> parseCdnSteering(std::string_view s);

struct CdnEndpoint {
  std::string name;     // "bunny", "gcore", ...
  std::string baseUrl;  // "https://cdn.example.com" (no trailing slash)
  CdnSteering steering = CdnSteering::kAuto;

  friend bool operator==(const CdnEndpoint&, const CdnEndpoint&) = default;
};

// What the control plane knows of an external node's liveness (SPEC §4).
struct NodeLiveness {
  // Last time the node called a hook or answered an API poll.
  std::optional<UnixMillis> lastSeenAt;
  // Last periodic signal (keepalive hook, server-started hook, successful
  // poll). A node that has sent one holds a lease from then on.
  std::optional<UnixMillis> heartbeatAt;
  // The node's keepalive interval when it told us (ZLMediaKit hook.alive_interval); 0 = unknown.
  std::int64_t keepaliveIntervalMs = 0;
  // Set when the lease lapsed (or the node said it exited); cleared by its next signal.
  std::optional<UnixMillis> offlineSince;
  // Highest ZLMediaKit hook_index seen since the node's last start; -1 = none.
  std::int64_t lastHookIndex = -1;
};

enum class NodeStatus { kOnline, kOffline, kUnknown };
std::string_view toString(NodeStatus s);

struct MediaServer {
  std::string id;
  std::string name;
  MediaServerType type = MediaServerType::kEmbedded;
  std::string rtmpBaseUrl;  // "rtmp://host:1935/live"
  std::string hlsBaseUrl;   // origin, "http://host:8080"
  std::vector<CdnEndpoint> cdns;
  // SHA-256 (hex) of the secret that this server's hook calls carry; empty for EMBEDDED.
  std::string hookSecretHash;
  UnixMillis createdAt = 0;

  // Where its HLS lives under each base URL: a path with {streamKey} and
  // optionally {app}; empty = the type's own layout (control/urls.hpp).
  std::string hlsPathTemplate;
  // Addresses (CIDR blocks or single IPs) whose hook calls need no secret.
  std::vector<std::string> hookAllow;
  // The node's own name for itself (ZLMediaKit [general] mediaServerId);
  // tells apart nodes that share an allowed address. Empty = not checked.
  std::string remoteId;
  // The node's control API: base URL ("http://10.0.0.5:8080", "" = none) and
  // the credential LunarStream presents to it (ZLMediaKit api.secret,
  // MediaMTX Basic-auth password). Kept as given: it is a credential for the
  // node, which LunarStream must be able to send.
  std::string apiUrl;
  std::string apiSecret;
  // Projects that may use the server; empty = every project.
  std::vector<std::string> projectIds;
  NodeLiveness liveness;
};

// A LunarStream `--role media` node in another process: type EMBEDDED (it
// is our media plane) registered with `node add`, so it has a node secret
// (kept hashed in hookSecretHash). The `--role all` process's own embedded
// server has none.
inline bool isRemoteNode(const MediaServer& server) {
  return server.type == MediaServerType::kEmbedded && !server.hookSecretHash.empty();
}

// The status as the API reports it.
enum class LivestreamStatus { kReadyForUse, kStarted, kEnded, kTokenExpired };
std::string_view toString(LivestreamStatus s);
std::optional<LivestreamStatus> parseLivestreamStatus(std::string_view s);

struct Livestream {
  std::string id;
  std::string projectId;
  std::string mediaServerId;
  std::string name;
  std::string streamKey;
  // The stored phase: kReadyForUse, kStarted or kEnded. kTokenExpired is never
  // stored; it is derived from tokenExpiresAt (see core/lifecycle.hpp).
  LivestreamStatus phase = LivestreamStatus::kReadyForUse;
  // jti of the only push token that is accepted; a new token replaces it.
  std::string currentTokenId;
  UnixMillis tokenExpiresAt = 0;
  UnixMillis createdAt = 0;
  std::optional<UnixMillis> startedAt;
  std::optional<UnixMillis> endedAt;
  // What carried the current (or last) publish: the protocol the node named
  // ("rtmp", "rtsp", "srt", ...; "" when not told) and the node's sequence
  // number of the hook that authorized it (ZLMediaKit hook_index), so an
  // "unpublished" report older than the publish is recognised as stale.
  std::string publishProtocol;
  std::optional<std::int64_t> publishSequence;
};

// The publish being recorded by Store::startLivestream.
struct PublishOrigin {
  std::string protocol;
  std::optional<std::int64_t> sequence;
};

// Who made a change recorded in the audit log: a logged-in user (console /
// admin API), the admin CLI (label: the OS user name), or a project's API key.
enum class ActorType { kUser, kCli, kApiKey };
std::string_view toString(ActorType t);
std::optional<ActorType> parseActorType(std::string_view s);

struct Actor {
  ActorType type = ActorType::kCli;
  std::string id;     // user id, OS user name, project id of the key
  std::string label;  // e.g. the user's email; may be empty
};

// One audit-log row (control/audit_log.hpp names the actions).
struct AuditEntry {
  std::string id;
  UnixMillis at = 0;
  Actor actor;
  std::string action;     // "project.api_key.regenerated", ...
  std::string teamId;     // "" when none (media servers are global)
  std::string projectId;  // "" when none
  std::string targetType;
  std::string targetId;
  std::string detailsJson = "{}";  // a JSON object
};

}  // namespace ls
