// Domain types of the control plane. Plain data: no I/O, no behaviour beyond
// naming. Timestamps are UnixMillis; an unset one is std::nullopt.
#pragma once

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

struct Project {
  std::string id;
  std::string teamId;
  std::string name;
  // SHA-256 (hex) of the active API key; the key itself is never stored.
  std::string apiKeyHash;
  // When false, only the original rendition is packaged (no ABR ladder).
  bool abrEnabled = true;
  UnixMillis createdAt = 0;
};

enum class MediaServerType { kEmbedded, kZlMediaKit, kMediaMtx };
std::string_view toString(MediaServerType t);
std::optional<MediaServerType> parseMediaServerType(std::string_view s);

struct CdnEndpoint {
  std::string name;     // "bunny", "gcore", ...
  std::string baseUrl;  // "https://cdn.example.com" (no trailing slash)
};

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
};

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
};

}  // namespace ls
