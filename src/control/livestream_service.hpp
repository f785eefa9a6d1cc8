// Livestream use cases of the partner API: create, list, read, rename,
// delete, issue push tokens, and the public stream info. Input has been
// validated for shape by the API layer; this layer enforces project
// isolation and the lifecycle, and is the only writer of livestream rows
// besides the ingest service. Thread-safe (state lives in the Store); called
// on HTTP threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "control/audit_log.hpp"
#include "control/node_api.hpp"
#include "control/node_service.hpp"
#include "core/model.hpp"
#include "core/random.hpp"
#include "core/status.hpp"
#include "core/time.hpp"
#include "ingest/ingest_service.hpp"
#include "store/store.hpp"

namespace ls::auth {
class KeyRing;
}

namespace ls::control {

// A livestream as the API reports it: with its media server, its status at
// the time of the read, and the push token when one was just issued.
struct LivestreamRecord {
  Livestream livestream;
  MediaServer mediaServer;
  LivestreamStatus status = LivestreamStatus::kReadyForUse;
  std::optional<std::string> pushToken;
};

struct CreateLivestreamInput {
  std::string name;
  std::string mediaServerId;
  std::optional<std::int64_t> expiresInSeconds;
};

struct ListLivestreamsInput {
  std::int64_t page = 1;
  std::int64_t limit = 10;
  std::optional<LivestreamStatus> status;
  std::string search;
};

// Which livestream a token is for: by id, or by stream key.
struct TokenTarget {
  std::string id;
  std::string streamKey;
  // Non-empty: move the livestream to this media server with the new token
  // (it must exist, be available to the project, not be OFFLINE; a STARTED
  // livestream cannot move: kConflict).
  std::string mediaServerId;
};

struct LivestreamOptions {
  std::int64_t defaultTokenTtlSeconds = 3600;
  // For refusing new livestreams on an OFFLINE node.
  NodeLeaseOptions lease;
};

// What a delete did to a live publisher.
struct PublisherCut {
  bool cut = false;
  // Why it could not be cut (no node API, the node did not answer).
  std::string problem;
};

struct RemovedLivestream {
  Livestream livestream;
  // Set when the livestream was live: its publisher was cut, or why not.
  std::optional<PublisherCut> publisher;
};

class SteeringState;

class LivestreamService {
 public:
  // keys: the ring new push tokens are signed from; must outlive the service.
  LivestreamService(Store& store, const auth::KeyRing& keys, const Clock& clock, Random& random,
                    LivestreamOptions options);

  // Media nodes whose live publisher of a deleted livestream is cut at once
  // (called on the deleting thread after the row is gone). They must outlive
  // the service; add them before serving.
  void addStreamCutter(ingest::StreamCutter* cutter) { cutters_.push_back(cutter); }
  // How the publisher of a deleted livestream on an external node is cut.
  // Must outlive the service; set before serving. Null: it is not.
  void setNodeApi(NodeApi* api) { nodeApi_ = api; }
  // Orders each record's CDNs (so hlsSources) by content steering: healthy
  // first, drained last. Must outlive the service; null: the stored order.
  void setSteering(const SteeringState* steering) { steering_ = steering; }

  Result<LivestreamRecord> create(const Project& project, const CreateLivestreamInput& input);
  Result<Page<LivestreamRecord>> list(const Project& project, const ListLivestreamsInput& input);
  // The livestreams of several projects in one page, newest first (one
  // Store query; the console's list across a user's teams). None: empty.
  Result<Page<LivestreamRecord>> listOfProjects(std::vector<std::string> projectIds, const ListLivestreamsInput& input);
  // kNotFound for a livestream of another project: it does not exist for this key.
  Result<LivestreamRecord> get(const Project& project, std::string_view id);
  Result<LivestreamRecord> rename(const Project& project, std::string_view id, std::string_view name);
  // Deletes; a live publisher is cut (embedded: at once; external: through
  // the node's API within its time budget).
  Result<RemovedLivestream> remove(const Project& project, std::string_view id);
  // The same delete made from the console or the CLI, recorded in the audit
  // log (the partner API's own deletes are not, per request).
  Result<RemovedLivestream> remove(const Project& project, std::string_view id, const Actor& actor);
  // The same create, rename and token issue made from the console, recorded
  // in the audit log with `actor` (the partner API's own are not).
  Result<LivestreamRecord> create(const Project& project, const CreateLivestreamInput& input, const Actor& actor);
  Result<LivestreamRecord> rename(const Project& project, std::string_view id, std::string_view name,
                                  const Actor& actor);
  Result<LivestreamRecord> issueToken(const Project& project, const TokenTarget& target,
                                      std::optional<std::int64_t> expiresInSeconds, const Actor& actor);
  // Any project's livestream by id (the console finds the project from it);
  // kNotFound "Livestream not found".
  Result<Livestream> find(std::string_view id);
  // Issues a new current token, retiring the previous one; TOKEN_EXPIRED and
  // ENDED become READY_FOR_USE, a live stream stays STARTED.
  Result<LivestreamRecord> issueToken(const Project& project, const TokenTarget& target,
                                      std::optional<std::int64_t> expiresInSeconds);
  // No project: the public stream-info. Carries no secrets by construction.
  Result<LivestreamRecord> publicInfo(std::string_view streamKey);

 private:
  // kNotFound when the server does not exist for the project, kConflict when it is OFFLINE.
  // The server a livestream of `project` may use: kNotFound when it does not
  // exist for the project, kConflict (the message ending with what to do
  // instead, after `action`) when it is OFFLINE.
  Result<MediaServer> usableServer(const Project& project, std::string_view mediaServerId, std::string_view action);
  Result<Page<LivestreamRecord>> listOf(std::vector<std::string> projectIds, const ListLivestreamsInput& input);
  Result<Livestream> findOwned(const Project& project, const TokenTarget& target);
  PublisherCut cutExternal(const Livestream& livestream, UnixMillis deletedAt);
  Result<LivestreamRecord> withServer(Livestream livestream, std::optional<std::string> pushToken);
  // The server as records carry it: CDNs in steering order.
  MediaServer steered(MediaServer server) const;
  Result<std::string> signToken(const Livestream& livestream, std::int64_t ttlSeconds, std::string& tokenIdOut,
                                UnixMillis& expiresAtOut);

  Store& store_;
  const auth::KeyRing& keys_;
  const Clock& clock_;
  Random& random_;
  LivestreamOptions options_;
  std::vector<ingest::StreamCutter*> cutters_;
  NodeApi* nodeApi_ = nullptr;
  const SteeringState* steering_ = nullptr;
  AuditLog audit_;
};

}  // namespace ls::control
