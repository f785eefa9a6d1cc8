// Partner webhooks in the Store (SPEC §6): endpoints, the transactional
// outbox of events, and the delivery queue the dispatcher claims from.
//
// The outbox rule: an event row is written in the same transaction as the
// state change that causes it, by the Store mutation itself:
//   insertLivestream                         -> livestream.created
//   startLivestream, resumeLivestream        -> livestream.started (only when it changed)
//   endLivestream, endAllStartedLivestreams,
//   markNodeOffline, recordNodeContact       -> livestream.ended, per stream that changed
//   markNodeOffline                          -> media_server.offline
//   recordNodeContact (outcome.cameOnline)   -> media_server.online
//   deleteLivestream, deleteProject          -> livestream.deleted (per livestream)
//   replaceLivestreamToken,
//   moveLivestreamWithToken                  -> livestream.push_token_regenerated
//   emitTokenExpiredEvents (a periodic sweep)-> livestream.token_expired
// With each event the same transaction adds one delivery per enabled endpoint
// of the project that subscribes to its type. A media-server event goes to
// every project that may use the server (all when it has no assignment); a
// project without such an endpoint gets no row at all.
//
// The event's body is rendered inside that transaction by the renderer the
// process installed (setWebhookRenderer), from the rows as they are after the
// change, so every retry sends the very same bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/status.hpp"
#include "core/time.hpp"

namespace ls {

// Event type names, as sent.
namespace webhook_event {
inline constexpr std::string_view kLivestreamCreated = "livestream.created";
inline constexpr std::string_view kLivestreamStarted = "livestream.started";
inline constexpr std::string_view kLivestreamEnded = "livestream.ended";
inline constexpr std::string_view kLivestreamTokenExpired = "livestream.token_expired";
inline constexpr std::string_view kLivestreamDeleted = "livestream.deleted";
inline constexpr std::string_view kLivestreamPushTokenRegenerated = "livestream.push_token_regenerated";
inline constexpr std::string_view kMediaServerOffline = "media_server.offline";
inline constexpr std::string_view kMediaServerOnline = "media_server.online";
// Sent only by "send a test event" to the one endpoint asked, whatever it subscribes to.
inline constexpr std::string_view kTest = "webhook.test";
}  // namespace webhook_event

// Renders the `data` object of an event (a JSON object's text) from the rows
// after the change. Installed once per process before the first mutation;
// called inside the Store's transaction, so it must not call the Store.
struct WebhookRenderer {
  // The livestream as the partner API shows it, without secrets, and the
  // media server it is on.
  std::function<std::string(const Livestream&, const MediaServer&, UnixMillis now)> livestream;
  // The media server as the partner API shows it; liveStreams = how many of
  // its livestreams are STARTED after the change.
  std::function<std::string(const MediaServer&, std::int64_t liveStreams, UnixMillis now)> mediaServer;
};

struct WebhookEndpoint {
  std::string id;  // UUID v4
  std::string projectId;
  std::string url;  // absolute http(s) URL
  std::string description;
  std::vector<std::string> eventTypes;  // empty = every type
  bool enabled = true;
  // "whsec_" + base64 of the key bytes. Kept as given (it keys an HMAC, so it
  // cannot be hashed); as secret as the database, never logged.
  std::string secret;
  // During a rotation the previous secret also signs, until previousSecretExpiresAt.
  std::string previousSecret;  // "" = none
  std::optional<UnixMillis> previousSecretExpiresAt;
  UnixMillis createdAt = 0;
  UnixMillis updatedAt = 0;
  // Start of the current run of failed attempts (cleared by a success).
  std::optional<UnixMillis> failingSince;
  std::optional<UnixMillis> disabledAt;  // set with enabled = false by the dispatcher
  std::string disabledReason;            // "" unless disabled by the dispatcher
};

// Store::updateWebhookEndpoint: what to change (absent = keep).
struct WebhookEndpointPatch {
  std::optional<std::string> url;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> eventTypes;
  std::optional<bool> enabled;  // true also clears failingSince, disabledAt and disabledReason
};

struct WebhookEvent {
  std::string id;  // "evt_" + 32 hex of random bytes; the webhook-id of every attempt
  std::string projectId;
  std::string type;
  std::string subjectId;      // the livestream's or media server's id ("" for webhook.test)
  std::int64_t sequence = 0;  // per subject, from 1, in commit order
  UnixMillis occurredAt = 0;
  // Exactly the bytes sent: {"type","timestamp","sequence","data"}.
  std::string body;
};

enum class WebhookDeliveryState { kPending, kSucceeded, kFailed };
std::string_view toString(WebhookDeliveryState s);  // "pending", "succeeded", "failed"

// One event for one endpoint.
struct WebhookDelivery {
  std::string id;  // UUID v4
  std::string eventId;
  std::string endpointId;
  WebhookDeliveryState state = WebhookDeliveryState::kPending;
  std::int64_t attempts = 0;  // attempts made so far
  UnixMillis nextAttemptAt = 0;
  UnixMillis createdAt = 0;
};

// A claimed delivery: the event and the endpoint (with its secrets) to send it to.
struct WebhookJob {
  WebhookDelivery delivery;
  WebhookEvent event;
  WebhookEndpoint endpoint;
};

// One attempt, for the delivery log.
struct WebhookAttempt {
  std::string deliveryId;
  std::string endpointId;
  std::string eventId;
  std::string eventType;       // filled in by reads
  UnixMillis at = 0;           // when the request started
  int status = 0;              // HTTP status; 0 = no answer (refused, timeout, refused target)
  std::int64_t latencyMs = 0;
  std::string error;           // "" for an answer; otherwise why there was none
  std::string responsePrefix;  // the first bytes of the answer's body (at most 1024)
};

enum class WebhookAttemptOutcome {
  kSucceeded,  // 2xx: the delivery is done
  kRetry,      // another attempt at nextAttemptAt
  kFailed,     // the schedule is exhausted: the delivery is given up
};

struct WebhookAttemptResult {
  std::string workerId;  // must still hold the delivery's lease (kConflict otherwise, nothing written)
  WebhookAttempt attempt;
  WebhookAttemptOutcome outcome = WebhookAttemptOutcome::kRetry;
  UnixMillis nextAttemptAt = 0;  // for kRetry
};

// How much one claim may take (claimWebhookDeliveries).
struct WebhookClaimLimits {
  std::int64_t total = 0;        // in all
  std::int64_t perEndpoint = 0;  // of any one endpoint; 0 = total
  // Endpoints that may take less: id -> at most this many (0 = skipped).
  std::map<std::string, std::int64_t> byEndpoint;
};
// The byEndpoint caps as a JSON object {"id":n,...}, which both engines' claim
// queries read (SQLite json_each, PostgreSQL jsonb_each_text).
std::string claimCapsJson(const WebhookClaimLimits& limits);
// The most a claim may take of any one endpoint (at most limits.total): how
// far the claim queries read into each endpoint's due deliveries.
std::int64_t claimMostOfOneEndpoint(const WebhookClaimLimits& limits);

struct WebhookBacklog {
  std::int64_t pending = 0;                // deliveries waiting, of enabled endpoints
  std::optional<UnixMillis> oldestEvent;  // occurredAt of the oldest waiting delivery's event
};

class WebhookOutbox {
 public:
  virtual ~WebhookOutbox() = default;

  // Installed once per process before serving (the CLI too: it mutates).
  // Without one, mutations write no events.
  virtual void setWebhookRenderer(WebhookRenderer renderer) = 0;

  // Endpoints. insert: kNotFound for an unknown project. A project's
  // endpoints oldest first. delete also drops its deliveries and attempts.
  virtual Result<WebhookEndpoint> insertWebhookEndpoint(const WebhookEndpoint& endpoint) = 0;
  virtual Result<std::optional<WebhookEndpoint>> findWebhookEndpoint(std::string_view id) = 0;
  virtual Result<std::vector<WebhookEndpoint>> listWebhookEndpoints(std::string_view projectId) = 0;
  virtual Status updateWebhookEndpoint(std::string_view id, const WebhookEndpointPatch& patch, UnixMillis at) = 0;
  virtual Status deleteWebhookEndpoint(std::string_view id) = 0;
  // secret = newSecret; the old one becomes previousSecret until previousExpiresAt.
  virtual Status rotateWebhookSecret(std::string_view id, std::string_view newSecret, UnixMillis previousExpiresAt,
                                     UnixMillis at) = 0;
  // enabled = false, disabledAt = at, disabledReason = reason, and an attempt
  // row (status 0, error = reason) in the delivery log, in one transaction.
  virtual Status disableWebhookEndpoint(std::string_view id, std::string_view reason, UnixMillis at) = 0;

  // Emits livestream.token_expired once per token for every livestream whose
  // effective status became TOKEN_EXPIRED at or before `now` (core/lifecycle),
  // exactly once across processes; how many.
  virtual Result<std::int64_t> emitTokenExpiredEvents(UnixMillis now) = 0;

  // Claims up to limits.total deliveries that are pending, due (nextAttemptAt
  // <= now), of an enabled endpoint, and not leased by anyone (or whose lease
  // ended), leasing them to workerId until leaseUntil. At most
  // limits.perEndpoint of one endpoint, and at most byEndpoint[id] of an
  // endpoint listed there (0 = it is skipped): a caller claims only what it
  // can send or hold, and a busy endpoint's backlog never stands in front of
  // another endpoint's deliveries. Order per (endpoint, subject) is kept: a
  // delivery is claimed only when no earlier event of the same subject is
  // still pending for that endpoint. Oldest due first. Each endpoint's due
  // deliveries are read in that order through an index on (endpoint_id,
  // next_attempt_at, ...), only as many as it may take, so the cost follows
  // the enabled endpoints and what is taken, not the backlog. Across
  // processes no delivery is claimed twice while its lease holds (SQLite: one
  // write transaction; PostgreSQL: FOR UPDATE SKIP LOCKED).
  virtual Result<std::vector<WebhookJob>> claimWebhookDeliveries(std::string_view workerId, UnixMillis now,
                                                                 UnixMillis leaseUntil,
                                                                 const WebhookClaimLimits& limits) = 0;
  // Records the attempt and moves the delivery on (attempts + 1; succeeded,
  // failed, or pending at nextAttemptAt), releasing the lease; sets the
  // endpoint's failingSince on a failure when unset, clears it on success.
  // kConflict when workerId no longer holds the lease (nothing written).
  virtual Status finishWebhookAttempt(const WebhookAttemptResult& result) = 0;
  // A new pending delivery of the event to the endpoint, due at `at` (manual
  // resend: the same event id, so the same webhook-id). kNotFound when either
  // is unknown or they are of different projects.
  virtual Result<WebhookDelivery> resendWebhookEvent(std::string_view eventId, std::string_view endpointId,
                                                     UnixMillis at) = 0;
  // A webhook.test event (body rendered by the caller) with one delivery, to this endpoint only.
  virtual Result<WebhookDelivery> insertWebhookTestEvent(std::string_view endpointId, const WebhookEvent& event) = 0;

  // Reads for the delivery log and metrics.
  virtual Result<std::optional<WebhookEvent>> findWebhookEvent(std::string_view id) = 0;
  // A project's events, newest first.
  virtual Result<std::vector<WebhookEvent>> listWebhookEvents(std::string_view projectId, std::int64_t page,
                                                              std::int64_t limit) = 0;
  // An endpoint's attempts, newest first.
  virtual Result<std::vector<WebhookAttempt>> listWebhookAttempts(std::string_view endpointId, std::int64_t page,
                                                                  std::int64_t limit) = 0;
  // Pending deliveries of enabled endpoints (a disabled endpoint's wait until
  // it is enabled again, and are not a backlog the dispatcher is behind on).
  virtual Result<WebhookBacklog> webhookBacklog() = 0;
  // Drops succeeded and failed deliveries, their attempts, and events left
  // without a delivery, older than `before`; how many events.
  virtual Result<std::int64_t> purgeWebhookHistory(UnixMillis before) = 0;
};

}  // namespace ls
