#include "core/model.hpp"

namespace ls {

std::string_view toString(TeamRole r) {
  switch (r) {
    case TeamRole::kOwner: return "owner";
    case TeamRole::kAdmin: return "admin";
    case TeamRole::kMember: return "member";
    case TeamRole::kViewer: return "viewer";
  }
  return "viewer";
}

std::optional<TeamRole> parseTeamRole(std::string_view s) {
  if (s == "owner") return TeamRole::kOwner;
  if (s == "admin") return TeamRole::kAdmin;
  if (s == "member") return TeamRole::kMember;
  if (s == "viewer") return TeamRole::kViewer;
  return std::nullopt;
}

std::string_view toString(MediaServerType t) {
  switch (t) {
    case MediaServerType::kEmbedded: return "EMBEDDED";
    case MediaServerType::kZlMediaKit: return "ZLMEDIAKIT";
    case MediaServerType::kMediaMtx: return "MEDIAMTX";
  }
  return "EMBEDDED";
}

std::string_view toString(CdnSteering mode) {
  switch (mode) {
    case CdnSteering::kAuto: return "auto";
    case CdnSteering::kPin: return "pin";
    case CdnSteering::kDrain: return "drain";
  }
  return "auto";
}

std::optional<CdnSteering> parseCdnSteering(std::string_view s) {
  if (s == "auto") return CdnSteering::kAuto;
  if (s == "pin") return CdnSteering::kPin;
  if (s == "drain") return CdnSteering::kDrain;
  return std::nullopt;
}

std::string_view toString(NodeStatus s) {
  switch (s) {
    case NodeStatus::kOnline: return "ONLINE";
    case NodeStatus::kOffline: return "OFFLINE";
    case NodeStatus::kUnknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

std::optional<MediaServerType> parseMediaServerType(std::string_view s) {
  if (s == "EMBEDDED") return MediaServerType::kEmbedded;
  if (s == "ZLMEDIAKIT") return MediaServerType::kZlMediaKit;
  if (s == "MEDIAMTX") return MediaServerType::kMediaMtx;
  return std::nullopt;
}

std::string_view toString(LivestreamStatus s) {
  switch (s) {
    case LivestreamStatus::kReadyForUse: return "READY_FOR_USE";
    case LivestreamStatus::kStarted: return "STARTED";
    case LivestreamStatus::kEnded: return "ENDED";
    case LivestreamStatus::kTokenExpired: return "TOKEN_EXPIRED";
  }
  return "READY_FOR_USE";
}

std::optional<LivestreamStatus> parseLivestreamStatus(std::string_view s) {
  if (s == "READY_FOR_USE") return LivestreamStatus::kReadyForUse;
  if (s == "STARTED") return LivestreamStatus::kStarted;
  if (s == "ENDED") return LivestreamStatus::kEnded;
  if (s == "TOKEN_EXPIRED") return LivestreamStatus::kTokenExpired;
  return std::nullopt;
}

std::string_view toString(ActorType t) {
  switch (t) {
    case ActorType::kUser: return "user";
    case ActorType::kCli: return "cli";
    case ActorType::kApiKey: return "api-key";
  }
  return "cli";
}

std::optional<ActorType> parseActorType(std::string_view s) {
  if (s == "user") return ActorType::kUser;
  if (s == "cli") return ActorType::kCli;
  if (s == "api-key") return ActorType::kApiKey;
  return std::nullopt;
}

}  // namespace ls
