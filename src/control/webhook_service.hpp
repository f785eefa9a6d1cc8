// Partner webhook endpoints, managed: what the `lunarstream webhook` CLI and
// the administration API's webhook routes both call (SPEC §6;
// docs/admin-api-resources.md, "Webhooks"). Validates input, generates
// secrets, rotates them with an overlap during which the previous one also
// signs, reads the delivery log, resends one event and sends a test event.
// Every change is recorded in the audit log with its actor; a secret never is
// (nor anywhere but the value returned by add and rotateSecret).
// Thread-safe; blocking (Store).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "control/audit_log.hpp"
#include "core/model.hpp"
#include "core/random.hpp"
#include "core/status.hpp"
#include "core/time.hpp"
#include "store/store.hpp"
#include "store/webhook_outbox.hpp"

namespace ls::control {

inline constexpr std::size_t kMaxWebhookUrlLength = 2048;
inline constexpr std::size_t kMaxWebhookDescriptionLength = 500;
// A rotation's overlap: how long the previous secret keeps signing.
inline constexpr std::int64_t kDefaultWebhookSecretOverlapSeconds = 24 * 3600;
inline constexpr std::int64_t kMaxWebhookSecretOverlapSeconds = 30 * 24 * 3600;
// Delivery log and event pages: limit 1..100.
inline constexpr std::int64_t kMaxWebhookPageLimit = 100;

// The eight event types an endpoint may subscribe to (not webhook.test), in
// the order documented.
std::span<const std::string_view> webhookEventTypes();

// kInvalidArgument naming the problem, else OK: an absolute http or https URL
// with a host, no userinfo, no space or control character, at most 2048 bytes.
Status validateWebhookUrl(std::string_view url);
// The host of a URL validateWebhookUrl accepts, lowercase, an IPv6 address
// without its brackets; "" when there is none.
std::string webhookUrlHost(std::string_view url);
// What to tell whoever adds or changes an endpoint about where its URL
// points: while private targets are refused (webhooks.allow_private_targets
// off), a host that is "localhost" or a literal address the dispatcher
// refuses (loopback, private, link-local and the rest of
// webhooks/target_policy) gets one line, since every delivery to it will
// fail. Empty when there is nothing to say (or allowPrivateTargets).
std::vector<std::string> webhookUrlWarnings(std::string_view url, bool allowPrivateTargets);
// Each one of webhookEventTypes(), none twice (empty = every type).
Status validateWebhookEvents(const std::vector<std::string>& events);
// At most 500 bytes.
Status validateWebhookDescription(std::string_view description);

// "whsec_" + standard base64 (padded) of 24 random bytes (webhooks::generateSecret).
std::string newWebhookSecret(Random& random);
// "evt_" + 32 lowercase hex of random bytes.
std::string newWebhookEventId(Random& random);
// The body of a webhook.test event (the contract's exact key order):
// {"type":"webhook.test","timestamp":<ISO>,"sequence":0,"data":{"endpointId","message"}}
std::string webhookTestBody(std::string_view endpointId, UnixMillis at);
// The end of the endpoint's rotation overlap while the previous secret still
// signs at `now`, else nullopt.
std::optional<UnixMillis> secretRotatingUntil(const WebhookEndpoint& endpoint, UnixMillis now);

struct WebhookInput {
  std::string url;
  std::vector<std::string> events;  // empty = every type
  std::string description;
  bool enabled = true;
};

struct WebhookOptions {
  // webhooks.secret_overlap: the default overlap of a rotation.
  std::int64_t secretOverlapSeconds = kDefaultWebhookSecretOverlapSeconds;
  // webhooks.allow_private_targets: whether warnings() says anything about
  // loopback and private hosts.
  bool allowPrivateTargets = false;
};

class WebhookService {
 public:
  WebhookService(Store& store, const Clock& clock, Random& random, WebhookOptions options = {});

  // A new endpoint of the project (kNotFound "project <id> not found"), with
  // its secret filled in: the only time it is returned besides rotateSecret.
  Result<WebhookEndpoint> add(std::string_view projectId, const WebhookInput& input, const Actor& actor);
  // webhookUrlWarnings for the endpoint's URL under this service's options
  // (add and update answers carry them).
  [[nodiscard]] std::vector<std::string> warnings(const WebhookEndpoint& endpoint) const;
  // The project's endpoints, oldest first.
  Result<std::vector<WebhookEndpoint>> list(std::string_view projectId);
  // kNotFound "webhook <id> not found".
  Result<WebhookEndpoint> get(std::string_view id);
  // Changes what the patch names (enabling also clears a disable by the
  // dispatcher); the endpoint as it is after.
  Result<WebhookEndpoint> update(std::string_view id, const WebhookEndpointPatch& patch, const Actor& actor);
  // Drops the endpoint with its deliveries and attempts; the endpoint as it was.
  Result<WebhookEndpoint> remove(std::string_view id, const Actor& actor);
  // A new secret; the current one keeps signing for overlapSeconds (0..30
  // days; default webhooks.secret_overlap). The endpoint with its new secret.
  Result<WebhookEndpoint> rotateSecret(std::string_view id, std::optional<std::int64_t> overlapSeconds,
                                       const Actor& actor);

  // The endpoint's attempts, newest first (page from 1, limit 1..100).
  Result<std::vector<WebhookAttempt>> attempts(std::string_view id, std::int64_t page, std::int64_t limit);
  // The project's events, newest first.
  Result<std::vector<WebhookEvent>> events(std::string_view projectId, std::int64_t page, std::int64_t limit);
  // A new pending delivery of the event (same id, so the same webhook-id) to
  // the endpoint, due now. kNotFound for an event of another project;
  // kConflict while the endpoint is disabled.
  Result<WebhookDelivery> resend(std::string_view id, std::string_view eventId, const Actor& actor);
  // A webhook.test event to this endpoint only, whatever it subscribes to.
  // kConflict while the endpoint is disabled.
  Result<WebhookDelivery> sendTest(std::string_view id, const Actor& actor);

 private:
  Result<Project> project(std::string_view projectId);
  void record(const Actor& actor, std::string_view action, const Project& project, const WebhookEndpoint& endpoint,
              std::vector<AuditDetail> details);
  // The endpoint and its project, for an audit record.
  struct Owned {
    WebhookEndpoint endpoint;
    Project project;
  };
  Result<Owned> owned(std::string_view id);

  Store& store_;
  const Clock& clock_;
  Random& random_;
  WebhookOptions options_;
  AuditLog audit_;
};

}  // namespace ls::control
