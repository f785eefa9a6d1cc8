// The engine-independent half of the webhook outbox (webhook_outbox.hpp):
// which events a change writes, their bodies, ids and fan-out. Each engine
// implements OutboxTx over its open write transaction; WebhookEmitter decides
// what to write through it, so both engines write the very same rows.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/status.hpp"
#include "core/time.hpp"
#include "store/webhook_outbox.hpp"

namespace ls::store {

// An enabled endpoint's id and the types it subscribes to (empty = all).
struct EndpointSubscription {
  std::string id;
  std::vector<std::string> eventTypes;
};

// Reads and writes inside the caller's write transaction.
class OutboxTx {
 public:
  virtual ~OutboxTx() = default;
  virtual Result<std::optional<Livestream>> livestream(std::string_view id) = 0;
  // With its project assignments.
  virtual Result<std::optional<MediaServer>> mediaServer(std::string_view id) = 0;
  virtual Result<std::int64_t> startedCount(std::string_view mediaServerId) = 0;
  // Enabled endpoints of one project.
  virtual Result<std::vector<EndpointSubscription>> enabledEndpoints(std::string_view projectId) = 0;
  // Projects that have at least one enabled endpoint.
  virtual Result<std::vector<std::string>> projectsWithEnabledEndpoints() = 0;
  // The subject's next sequence number (1 for the first), counted up.
  virtual Result<std::int64_t> nextSequence(std::string_view subjectId) = 0;
  virtual Status insertEvent(const WebhookEvent& event) = 0;
  virtual Status insertDelivery(const WebhookDelivery& delivery, std::string_view subjectId,
                                std::int64_t order) = 0;
};

// "evt_" + 32 lowercase hex from the secure random source.
std::string newWebhookEventId();
// UUID v4 for deliveries.
std::string newWebhookDeliveryId();
// {"type":...,"timestamp":...,"sequence":...,"data":<data>} in that key order.
std::string webhookBody(std::string_view type, UnixMillis occurredAt, std::int64_t sequence, std::string_view data);
// webhook_endpoints.event_types_json: a JSON array of strings.
std::string encodeEventTypes(const std::vector<std::string>& types);
Result<std::vector<std::string>> decodeEventTypes(std::string_view json);
bool subscribes(const std::vector<std::string>& eventTypes, std::string_view type);
// At most `max` bytes of valid UTF-8 without NUL (PostgreSQL TEXT takes no
// other), invalid bytes as U+FFFD; cut on a character boundary.
std::string cleanResponsePrefix(std::string_view bytes, std::size_t max = 1024);
Result<WebhookDeliveryState> parseDeliveryState(std::string_view s);

// The renderer a process installed, and the rules for what a change emits.
// Thread-safe. Without a renderer every method writes nothing.
class WebhookEmitter {
 public:
  void setRenderer(WebhookRenderer renderer);
  [[nodiscard]] bool active() const;

  // One livestream event, from the row as it is now in the transaction
  // (`before` for livestream.deleted, whose row is about to go).
  Status livestreamEvent(OutboxTx& tx, std::string_view type, const Livestream& row, UnixMillis now) const;
  // The same, reading the row first (nothing when it is gone).
  Status livestreamEventById(OutboxTx& tx, std::string_view type, std::string_view id, UnixMillis now) const;
  // A media-server event to every project that may use it and subscribes.
  Status mediaServerEvent(OutboxTx& tx, std::string_view type, std::string_view mediaServerId, UnixMillis now) const;

 private:
  // A project that subscribes to the type, and which of its endpoints do.
  struct Target {
    std::string projectId;
    std::vector<std::string> endpointIds;
  };

  std::shared_ptr<const WebhookRenderer> renderer() const;
  static Result<std::vector<Target>> targets(OutboxTx& tx, std::string_view type,
                                             const std::vector<std::string>& projectIds);
  // One event per target project, one delivery per endpoint, one sequence number.
  static Status write(OutboxTx& tx, std::string_view type, std::string_view subjectId,
                      const std::vector<Target>& targets, UnixMillis now, std::string_view data);

  mutable std::mutex mutex_;
  std::shared_ptr<const WebhookRenderer> renderer_;
};

}  // namespace ls::store
