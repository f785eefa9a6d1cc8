// The one contract between the control plane and every media server
// (DESIGN "One contract for every media server"): the embedded media plane
// calls it in-process; remote media nodes, ZLMediaKit and MediaMTX reach it
// through the hook endpoints. Implementations are thread-safe and may block
// (they read the Store), so media loops call them through a worker pool.
#pragma once

#include <string>
#include <string_view>

#include "core/status.hpp"
#include "core/time.hpp"

namespace ls::ingest {

struct PublishRequest {
  std::string mediaServerId;  // the node asking
  std::string app;            // RTMP application, "live"
  std::string streamKey;      // stream name without its query
  std::string pushToken;      // from the stream name's query or the tcUrl's
  std::string remoteAddress;
};

struct PublishGrant {
  std::string livestreamId;
  std::string projectId;
  std::string streamKey;
  bool abrEnabled = true;
  UnixMillis startedAt = 0;
};

class IngestService {
 public:
  virtual ~IngestService() = default;
  // Enforces every condition of SPEC §4 and, when they hold, marks the
  // livestream STARTED in the same step (so two publishers racing for one key
  // cannot both win). Refusals: kNotFound (no such livestream or wrong app:
  // "BadName"), kUnauthenticated (token missing, invalid, expired, retired,
  // for another stream or node: "Unauthorized"), kConflict (a publisher is
  // already live), kUnavailable (store down). The message is readable by the
  // broadcaster.
  virtual Result<PublishGrant> authorizePublish(const PublishRequest& request) = 0;
  // The publisher left or timed out: STARTED -> ENDED.
  virtual Status onPublishEnded(std::string_view livestreamId) = 0;
};

// The token from an OBS-style stream name query ("key?pushToken=...") or from
// the tcUrl's query; the stream name wins when both carry one. Empty when none.
std::string extractPushToken(std::string_view streamQuery, std::string_view tcUrlQuery);

}  // namespace ls::ingest
