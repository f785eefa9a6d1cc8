// The one contract between the control plane and every media server
// (DESIGN "One contract for every media server"). The ingest layer holds
// only interfaces and value types: the control plane implements
// IngestService (control/control_ingest_service), the embedded media plane
// calls it in-process, external nodes (ZLMediaKit, MediaMTX) reach the same
// calls through the hook endpoints, and remote `--role media` nodes through
// node_client::RemoteIngestService (the internal node API).
// Implementations are thread-safe and may block (they read the Store), so
// media loops call them from a dedicated control thread, never inline.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.hpp"
#include "core/time.hpp"

namespace ls::ingest {

struct PublishRequest {
  std::string mediaServerId;  // the node asking
  std::string app;            // application, "live"
  std::string streamKey;      // stream name without its query
  std::string pushToken;      // from the stream name's query (or the RTMP tcUrl's)
  std::string remoteAddress;
  // What carries the publish ("rtmp", "rtsp", "srt", ...; "" = not told) and
  // the node's sequence number of this request (ZLMediaKit hook_index), kept
  // with the livestream so a later end report can be matched to this publish.
  std::string protocol;
  std::optional<std::int64_t> sequence;
  // The node keeps a stream whose publisher dropped for a while and lets a
  // reconnect resume it, refusing a second publisher itself (ZLMediaKit,
  // continue_push_ms): a publish of a key already live on this same node is
  // then a resume, allowed.
  bool nodeResumesStreams = false;
};

struct PublishGrant {
  std::string livestreamId;
  std::string projectId;
  std::string streamKey;
  bool abrEnabled = true;
  UnixMillis startedAt = 0;
};

// Which publish ended: by livestream id when the node holds a grant (the
// embedded plane), by stream key when it only knows the key (a hook).
struct PublishEnd {
  std::string mediaServerId;
  std::string livestreamId;  // empty: look the stream up by key on that node
  std::string streamKey;
  // For reports by key: the protocol whose registration went away, and the
  // node's sequence number of the report. A report for another protocol than
  // the publish's, or older than the publish, is not about this publish.
  std::string protocol;
  std::optional<std::int64_t> sequence;
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
  // The publisher left or timed out: STARTED -> ENDED. OK when there is
  // nothing to end (deleted, or live on another node). kUnavailable when the
  // write did not land: the caller retries until it does.
  virtual Status onPublishEnded(const PublishEnd& end) = 0;
};

// What the control plane needs from a media node: cut a live publisher
// (its livestream was deleted). Implemented by media nodes; thread-safe,
// returns at once (the cut happens on the node's own loop).
class StreamCutter {
 public:
  virtual ~StreamCutter() = default;
  virtual void cutStream(std::string_view streamKey, std::string_view reason) = 0;
};

// The token from an OBS-style stream name query ("key?pushToken=...") or from
// the RTMP tcUrl's query; the stream name wins when both carry one. Empty when none.
std::string extractPushToken(std::string_view streamQuery, std::string_view tcUrlQuery = {});

}  // namespace ls::ingest
