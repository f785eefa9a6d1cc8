#include "api/webhook_bodies.hpp"

#include <string>
#include <utility>
#include <vector>

#include "api/body_reader.hpp"

namespace ls::api {

namespace {

// More entries than event types exist is refused before looking at them.
constexpr std::size_t kMaxEvents = 32;

void addProblems(Validator& v, const Status& s) {
  if (s.isOk()) return;
  if (s.details().empty()) {
    v.fail(s.message());
  } else {
    for (const std::string& d : s.details()) v.fail(d);
  }
}

std::optional<std::vector<std::string>> events(Validator& v, const boost::json::object& body) {
  const boost::json::value* value = body.if_contains("events");
  if (value == nullptr) return std::nullopt;
  if (!value->is_array() || value->as_array().size() > kMaxEvents) {
    v.fail("events must be an array of event types");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const boost::json::value& item : value->as_array()) {
    if (!item.is_string()) {
      v.fail("events must contain only strings");
      return std::nullopt;
    }
    out.emplace_back(item.as_string());
  }
  addProblems(v, control::validateWebhookEvents(out));
  return out;
}

// url and description with the service's rules (their length bounds included).
std::optional<std::string> url(Validator& v, const boost::json::object& body, bool required) {
  auto u = v.string(body, "url", required, control::kMaxWebhookUrlLength);
  if (u) addProblems(v, control::validateWebhookUrl(*u));
  return u;
}

// May be "" (no description).
std::optional<std::string> description(Validator& v, const boost::json::object& body) {
  const boost::json::value* value = body.if_contains("description");
  if (value != nullptr && value->is_string() && value->as_string().empty()) return std::string();
  auto d = v.string(body, "description", false, control::kMaxWebhookDescriptionLength);
  if (d) addProblems(v, control::validateWebhookDescription(*d));
  return d;
}

}  // namespace

Result<control::WebhookInput> parseCreateWebhookBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"url", "events", "description", "enabled"});
  control::WebhookInput in;
  auto u = url(v, body, true);
  auto e = events(v, body);
  auto d = description(v, body);
  auto enabled = v.boolean(body, "enabled");
  if (!v.ok()) return v.status();
  in.url = std::move(*u);
  if (e) in.events = std::move(*e);
  if (d) in.description = std::move(*d);
  in.enabled = enabled.value_or(true);
  return in;
}

Result<WebhookEndpointPatch> parseUpdateWebhookBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"url", "events", "description", "enabled"});
  WebhookEndpointPatch patch;
  patch.url = url(v, body, false);
  patch.eventTypes = events(v, body);
  patch.description = description(v, body);
  patch.enabled = v.boolean(body, "enabled");
  if (!v.ok()) return v.status();
  return patch;
}

Result<std::optional<std::int64_t>> parseRotateWebhookSecretBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"overlapSeconds"});
  auto overlap = v.integer(body, "overlapSeconds", false, 0, control::kMaxWebhookSecretOverlapSeconds);
  if (!v.ok()) return v.status();
  return overlap;
}

}  // namespace ls::api
