#include "api/webhook_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <optional>
#include <string>
#include <utility>

#include "control/webhook_service.hpp"

namespace ls::api {

namespace {

boost::json::value isoOrNull(const std::optional<UnixMillis>& t) {
  if (!t) return nullptr;
  return boost::json::value(formatIso8601(*t));
}

}  // namespace

boost::json::object endpointJson(const WebhookEndpoint& e, UnixMillis now) {
  boost::json::object o;
  o["id"] = e.id;
  o["projectId"] = e.projectId;
  o["url"] = e.url;
  o["description"] = e.description;
  boost::json::array events;
  for (const std::string& t : e.eventTypes) events.emplace_back(t);
  o["events"] = std::move(events);
  o["enabled"] = e.enabled;
  o["createdAt"] = formatIso8601(e.createdAt);
  o["updatedAt"] = formatIso8601(e.updatedAt);
  o["failingSince"] = isoOrNull(e.failingSince);
  o["disabledAt"] = isoOrNull(e.disabledAt);
  o["disabledReason"] = e.disabledReason.empty() ? boost::json::value(nullptr) : boost::json::value(e.disabledReason);
  o["secretRotatingUntil"] = isoOrNull(control::secretRotatingUntil(e, now));
  return o;
}

boost::json::object endpointJsonWithSecret(const WebhookEndpoint& e, UnixMillis now) {
  boost::json::object o = endpointJson(e, now);
  o["secret"] = e.secret;
  return o;
}

boost::json::object deliveryJson(const WebhookDelivery& d) {
  return {{"id", d.id},
          {"eventId", d.eventId},
          {"endpointId", d.endpointId},
          {"state", toString(d.state)},
          {"attempts", d.attempts},
          {"nextAttemptAt", formatIso8601(d.nextAttemptAt)},
          {"createdAt", formatIso8601(d.createdAt)}};
}

boost::json::object attemptJson(const WebhookAttempt& a) {
  return {{"deliveryId", a.deliveryId},
          {"eventId", a.eventId},
          {"eventType", a.eventType},
          {"at", formatIso8601(a.at)},
          {"status", a.status == 0 ? boost::json::value(nullptr) : boost::json::value(a.status)},
          {"latencyMs", a.latencyMs},
          {"error", a.error.empty() ? boost::json::value(nullptr) : boost::json::value(a.error)},
          {"responsePrefix", a.responsePrefix}};
}

boost::json::object eventJson(const WebhookEvent& e) {
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(e.body, ec);
  return {{"id", e.id},
          {"type", e.type},
          {"subjectId", e.subjectId.empty() ? boost::json::value(nullptr) : boost::json::value(e.subjectId)},
          {"sequence", e.sequence},
          {"occurredAt", formatIso8601(e.occurredAt)},
          {"payload", ec ? boost::json::value(e.body) : std::move(body)}};
}

}  // namespace ls::api
