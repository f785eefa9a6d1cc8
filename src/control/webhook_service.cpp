#include "control/webhook_service.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <utility>

#include "core/encoding.hpp"
#include "webhooks/secret.hpp"
#include "webhooks/target_policy.hpp"

namespace ls::control {

namespace {

constexpr std::array<std::string_view, 8> kEventTypes{
    webhook_event::kLivestreamCreated,  webhook_event::kLivestreamStarted,
    webhook_event::kLivestreamEnded,    webhook_event::kLivestreamTokenExpired,
    webhook_event::kLivestreamDeleted,  webhook_event::kLivestreamPushTokenRegenerated,
    webhook_event::kMediaServerOffline, webhook_event::kMediaServerOnline,
};

constexpr std::size_t kEventIdBytes = 16;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
  return out;
}

Status webhookNotFound(std::string_view id) {
  return notFound("webhook " + std::string(id) + " not found");
}

// A JSON array of strings (event types and field names: no escaping needed
// beyond what detailsJson does for strings; these are from fixed sets).
std::string namesJson(const std::vector<std::string>& names) {
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    out += names[i];
    out += '"';
  }
  out += ']';
  return out;
}

Status checkPage(std::int64_t page, std::int64_t limit) {
  if (page < 1) return invalidArgument("page must be at least 1");
  if (limit < 1 || limit > kMaxWebhookPageLimit) return invalidArgument("limit must be from 1 to 100");
  return Status::ok();
}

Status disabled(const WebhookEndpoint& endpoint) {
  return Status(Code::kConflict, "webhook " + endpoint.id + " is disabled: enable it first");
}

}  // namespace

std::span<const std::string_view> webhookEventTypes() {
  return kEventTypes;
}

namespace {

// The authority's host and port of an http(s) URL, as written (IPv6 with its
// brackets); nullopt without "://".
struct HostPort {
  std::string_view host;
  std::string_view port;
  bool bracketsOk = true;
  bool userinfo = false;
};
std::optional<HostPort> splitAuthority(std::string_view url) {
  const std::size_t schemeEnd = url.find("://");
  if (schemeEnd == std::string_view::npos) return std::nullopt;
  const std::string_view rest = url.substr(schemeEnd + 3);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  HostPort out;
  out.userinfo = authority.find('@') != std::string_view::npos;
  std::string_view host = authority;
  if (!host.empty() && host.front() == '[') {
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos || close == 1) {
      out.bracketsOk = false;
      return out;
    }
    out.port = host.substr(close + 1);
    out.host = host.substr(0, close + 1);
    if (!out.port.empty() && out.port.front() != ':') out.bracketsOk = false;
    if (!out.port.empty()) out.port.remove_prefix(1);
    return out;
  }
  if (const std::size_t colon = host.find(':'); colon != std::string_view::npos) {
    out.port = host.substr(colon + 1);
    out.host = host.substr(0, colon);
    if (out.port.empty()) out.port = ":";  // a colon and no port: invalid
    return out;
  }
  out.host = host;
  return out;
}

}  // namespace

Status validateWebhookUrl(std::string_view url) {
  if (url.empty()) return invalidArgument("url should not be empty");
  if (url.size() > kMaxWebhookUrlLength) return invalidArgument("url must be at most 2048 characters");
  for (const char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return invalidArgument("url must not contain spaces or control characters");
  }
  const std::size_t schemeEnd = url.find("://");
  const std::string scheme = schemeEnd == std::string_view::npos ? "" : lower(url.substr(0, schemeEnd));
  if (scheme != "http" && scheme != "https") return invalidArgument("url must be an absolute http or https URL");
  const std::optional<HostPort> hp = splitAuthority(url);
  if (!hp) return invalidArgument("url must be an absolute http or https URL");
  if (hp->userinfo) return invalidArgument("url must not contain a user name or password");
  if (!hp->bracketsOk) return invalidArgument("url has an invalid host");
  if (hp->host.empty()) return invalidArgument("url must name a host");
  const std::string_view port = hp->port;
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return invalidArgument("url has an invalid port");
    }
    const int n = std::stoi(std::string(port));
    if (n < 1 || n > 65535) return invalidArgument("url has an invalid port");
  }
  return Status::ok();
}

std::string webhookUrlHost(std::string_view url) {
  const std::optional<HostPort> hp = splitAuthority(url);
  if (!hp || hp->userinfo || !hp->bracketsOk) return "";
  std::string_view host = hp->host;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return lower(host);
}

std::vector<std::string> webhookUrlWarnings(std::string_view url, bool allowPrivateTargets) {
  if (allowPrivateTargets) return {};
  std::string host = webhookUrlHost(url);
  if (!host.empty() && host.back() == '.') host.pop_back();  // "localhost." is localhost
  if (host.empty()) return {};
  const bool localhost = host == "localhost" || (host.size() > 10 && host.ends_with(".localhost"));
  if (!localhost && webhooks::classifyTarget(host) != webhooks::TargetClass::kRefused) return {};
  const std::string what = localhost ? "loopback" : "not a public address (loopback, private, link-local or reserved)";
  return {"url's host " + host + " is " + what +
          ": deliveries to it are refused while webhooks.allow_private_targets is off"};
}

Status validateWebhookEvents(const std::vector<std::string>& events) {
  std::vector<std::string> problems;
  std::set<std::string, std::less<>> seen;
  for (const std::string& e : events) {
    if (std::find(kEventTypes.begin(), kEventTypes.end(), e) == kEventTypes.end()) {
      std::string message = "events: unknown event type '" + e.substr(0, 64) + "' (one of";
      for (std::size_t i = 0; i < kEventTypes.size(); ++i) {
        message += i == 0 ? " " : ", ";
        message += kEventTypes[i];
      }
      problems.push_back(message + ")");
    } else if (!seen.insert(e).second) {
      problems.push_back("events: '" + e + "' is listed twice");
    }
  }
  if (problems.empty()) return Status::ok();
  std::string first = problems.front();
  return Status(Code::kInvalidArgument, std::move(first), std::move(problems));
}

Status validateWebhookDescription(std::string_view description) {
  if (description.size() > kMaxWebhookDescriptionLength) {
    return invalidArgument("description must be at most 500 characters");
  }
  return Status::ok();
}

std::string newWebhookSecret(Random& random) { return webhooks::generateSecret(random); }

std::string newWebhookEventId(Random& random) {
  std::array<std::uint8_t, kEventIdBytes> bytes{};
  random.fill(bytes);
  return "evt_" + hexEncode(bytes);
}

std::string webhookTestBody(std::string_view endpointId, UnixMillis at) {
  std::string body = R"({"type":"webhook.test","timestamp":")";
  body += formatIso8601(at);
  body += R"(","sequence":0,"data":{"endpointId":")";
  // Endpoint ids are UUIDs: nothing to escape.
  body += endpointId;
  body += R"(","message":"Test event from LunarStream"}})";
  return body;
}

std::optional<UnixMillis> secretRotatingUntil(const WebhookEndpoint& endpoint, UnixMillis now) {
  if (endpoint.previousSecret.empty() || !endpoint.previousSecretExpiresAt) return std::nullopt;
  if (*endpoint.previousSecretExpiresAt <= now) return std::nullopt;
  return endpoint.previousSecretExpiresAt;
}

WebhookService::WebhookService(Store& store, const Clock& clock, Random& random, WebhookOptions options)
    : store_(store), clock_(clock), random_(random), options_(options), audit_(store, clock, random) {}

Result<Project> WebhookService::project(std::string_view projectId) {
  auto project = store_.findProject(projectId);
  if (!project.ok()) return std::move(project).takeStatus();
  if (!project->has_value()) return notFound("project " + std::string(projectId) + " not found");
  return std::move(**project);
}

Result<WebhookService::Owned> WebhookService::owned(std::string_view id) {
  auto endpoint = get(id);
  if (!endpoint.ok()) return std::move(endpoint).takeStatus();
  auto p = project(endpoint->projectId);
  if (!p.ok()) return webhookNotFound(id);
  return Owned{std::move(*endpoint), std::move(*p)};
}

void WebhookService::record(const Actor& actor, std::string_view action, const Project& project,
                            const WebhookEndpoint& endpoint, std::vector<AuditDetail> details) {
  audit_.record(actor, AuditRecord{action, project.teamId, project.id, "webhook", endpoint.id, std::move(details)});
}

Result<WebhookEndpoint> WebhookService::add(std::string_view projectId, const WebhookInput& input, const Actor& actor) {
  std::vector<std::string> problems;
  for (const Status& s : {validateWebhookUrl(input.url), validateWebhookEvents(input.events),
                          validateWebhookDescription(input.description)}) {
    if (s.isOk()) continue;
    if (s.details().empty()) {
      problems.push_back(s.message());
    } else {
      problems.insert(problems.end(), s.details().begin(), s.details().end());
    }
  }
  if (!problems.empty()) {
    std::string first = problems.front();
    return Status(Code::kInvalidArgument, std::move(first), std::move(problems));
  }
  auto p = project(projectId);
  if (!p.ok()) return std::move(p).takeStatus();
  WebhookEndpoint endpoint;
  endpoint.id = newUuidV4(random_);
  endpoint.projectId = p->id;
  endpoint.url = input.url;
  endpoint.description = input.description;
  endpoint.eventTypes = input.events;
  endpoint.enabled = input.enabled;
  endpoint.secret = newWebhookSecret(random_);
  endpoint.createdAt = clock_.now();
  endpoint.updatedAt = endpoint.createdAt;
  auto inserted = store_.insertWebhookEndpoint(endpoint);
  if (!inserted.ok()) return std::move(inserted).takeStatus();
  if (inserted->secret.empty()) inserted->secret = endpoint.secret;
  record(actor, audit::kWebhookCreated, *p, *inserted,
         {AuditDetail{"events", namesJson(inserted->eventTypes), true}, boolDetail("enabled", inserted->enabled)});
  return std::move(*inserted);
}

Result<std::vector<WebhookEndpoint>> WebhookService::list(std::string_view projectId) {
  auto p = project(projectId);
  if (!p.ok()) return std::move(p).takeStatus();
  return store_.listWebhookEndpoints(p->id);
}

Result<WebhookEndpoint> WebhookService::get(std::string_view id) {
  auto endpoint = store_.findWebhookEndpoint(id);
  if (!endpoint.ok()) return std::move(endpoint).takeStatus();
  if (!endpoint->has_value()) return webhookNotFound(id);
  return std::move(**endpoint);
}

std::vector<std::string> WebhookService::warnings(const WebhookEndpoint& endpoint) const {
  return webhookUrlWarnings(endpoint.url, options_.allowPrivateTargets);
}

Result<WebhookEndpoint> WebhookService::update(std::string_view id, const WebhookEndpointPatch& patch,
                                               const Actor& actor) {
  std::vector<std::string> problems;
  auto collect = [&problems](const Status& s) {
    if (s.isOk()) return;
    if (s.details().empty()) {
      problems.push_back(s.message());
    } else {
      problems.insert(problems.end(), s.details().begin(), s.details().end());
    }
  };
  if (patch.url) collect(validateWebhookUrl(*patch.url));
  if (patch.eventTypes) collect(validateWebhookEvents(*patch.eventTypes));
  if (patch.description) collect(validateWebhookDescription(*patch.description));
  if (!problems.empty()) {
    std::string first = problems.front();
    return Status(Code::kInvalidArgument, std::move(first), std::move(problems));
  }
  auto current = owned(id);
  if (!current.ok()) return std::move(current).takeStatus();
  std::vector<std::string> fields;
  if (patch.url) fields.emplace_back("url");
  if (patch.description) fields.emplace_back("description");
  if (patch.eventTypes) fields.emplace_back("events");
  if (patch.enabled) fields.emplace_back("enabled");
  if (fields.empty()) return std::move(current->endpoint);
  const Status updated = store_.updateWebhookEndpoint(id, patch, clock_.now());
  if (updated.code() == Code::kNotFound) return webhookNotFound(id);
  LS_RETURN_IF_ERROR(updated);
  auto after = get(id);
  if (!after.ok()) return after;
  std::vector<AuditDetail> details{AuditDetail{"fields", namesJson(fields), true}};
  if (patch.eventTypes) details.push_back(AuditDetail{"events", namesJson(*patch.eventTypes), true});
  if (patch.enabled) {
    details.push_back(boolDetail("from", current->endpoint.enabled));
    details.push_back(boolDetail("enabled", *patch.enabled));
  }
  record(actor, audit::kWebhookUpdated, current->project, *after, std::move(details));
  return after;
}

Result<WebhookEndpoint> WebhookService::remove(std::string_view id, const Actor& actor) {
  auto current = owned(id);
  if (!current.ok()) return std::move(current).takeStatus();
  const Status deleted = store_.deleteWebhookEndpoint(id);
  if (deleted.code() == Code::kNotFound) return webhookNotFound(id);
  LS_RETURN_IF_ERROR(deleted);
  record(actor, audit::kWebhookDeleted, current->project, current->endpoint, {});
  return std::move(current->endpoint);
}

Result<WebhookEndpoint> WebhookService::rotateSecret(std::string_view id, std::optional<std::int64_t> overlapSeconds,
                                                     const Actor& actor) {
  const std::int64_t overlap = overlapSeconds.value_or(options_.secretOverlapSeconds);
  if (overlap < 0 || overlap > kMaxWebhookSecretOverlapSeconds) {
    return invalidArgument("the overlap must be from 0 to 2592000 seconds (30 days)");
  }
  auto current = owned(id);
  if (!current.ok()) return std::move(current).takeStatus();
  const std::string secret = newWebhookSecret(random_);
  const UnixMillis now = clock_.now();
  const Status rotated = store_.rotateWebhookSecret(id, secret, now + overlap * 1000, now);
  if (rotated.code() == Code::kNotFound) return webhookNotFound(id);
  LS_RETURN_IF_ERROR(rotated);
  auto after = get(id);
  if (!after.ok()) return after;
  record(actor, audit::kWebhookSecretRotated, current->project, *after, {numberDetail("overlapSeconds", overlap)});
  return after;
}

Result<std::vector<WebhookAttempt>> WebhookService::attempts(std::string_view id, std::int64_t page,
                                                             std::int64_t limit) {
  LS_RETURN_IF_ERROR(checkPage(page, limit));
  LS_RETURN_IF_ERROR(get(id).status());
  return store_.listWebhookAttempts(id, page, limit);
}

Result<std::vector<WebhookEvent>> WebhookService::events(std::string_view projectId, std::int64_t page,
                                                         std::int64_t limit) {
  LS_RETURN_IF_ERROR(checkPage(page, limit));
  auto p = project(projectId);
  if (!p.ok()) return std::move(p).takeStatus();
  return store_.listWebhookEvents(p->id, page, limit);
}

Result<WebhookDelivery> WebhookService::resend(std::string_view id, std::string_view eventId, const Actor& actor) {
  auto current = owned(id);
  if (!current.ok()) return std::move(current).takeStatus();
  if (!current->endpoint.enabled) return disabled(current->endpoint);
  auto event = store_.findWebhookEvent(eventId);
  if (!event.ok()) return std::move(event).takeStatus();
  const Status eventNotFound = notFound("webhook event " + std::string(eventId) + " not found");
  if (!event->has_value() || (*event)->projectId != current->endpoint.projectId) return eventNotFound;
  auto delivery = store_.resendWebhookEvent(eventId, id, clock_.now());
  if (!delivery.ok()) {
    if (delivery.status().code() == Code::kNotFound) return eventNotFound;
    return delivery;
  }
  record(actor, audit::kWebhookEventResent, current->project, current->endpoint,
         {textDetail("eventId", std::string(eventId)), textDetail("type", (*event)->type)});
  return delivery;
}

Result<WebhookDelivery> WebhookService::sendTest(std::string_view id, const Actor& actor) {
  auto current = owned(id);
  if (!current.ok()) return std::move(current).takeStatus();
  if (!current->endpoint.enabled) return disabled(current->endpoint);
  WebhookEvent event;
  event.id = newWebhookEventId(random_);
  event.projectId = current->endpoint.projectId;
  event.type = std::string(webhook_event::kTest);
  event.sequence = 0;
  event.occurredAt = clock_.now();
  event.body = webhookTestBody(current->endpoint.id, event.occurredAt);
  auto delivery = store_.insertWebhookTestEvent(id, event);
  if (!delivery.ok()) {
    if (delivery.status().code() == Code::kNotFound) return webhookNotFound(id);
    return delivery;
  }
  record(actor, audit::kWebhookTestSent, current->project, current->endpoint, {textDetail("eventId", event.id)});
  return delivery;
}

}  // namespace ls::control
