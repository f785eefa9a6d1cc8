#include "store/webhook_emit.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <boost/json.hpp>

#include "core/random.hpp"
#include "store/encoding.hpp"

namespace ls {

std::string_view toString(WebhookDeliveryState s) {
  switch (s) {
    case WebhookDeliveryState::kPending: return "pending";
    case WebhookDeliveryState::kSucceeded: return "succeeded";
    case WebhookDeliveryState::kFailed: return "failed";
  }
  return "pending";
}

std::string claimCapsJson(const WebhookClaimLimits& limits) {
  boost::json::object caps;
  for (const auto& [id, n] : limits.byEndpoint) caps[id] = std::max<std::int64_t>(0, n);
  return boost::json::serialize(caps);
}

std::int64_t claimMostOfOneEndpoint(const WebhookClaimLimits& limits) {
  std::int64_t most = limits.perEndpoint > 0 ? limits.perEndpoint : limits.total;
  for (const auto& [id, n] : limits.byEndpoint) most = std::max(most, n);
  return std::max<std::int64_t>(0, std::min(most, limits.total));
}

namespace store {

namespace {

Random& secureRandom() {
  static SecureRandom random;
  return random;
}

}  // namespace

std::string newWebhookEventId() {
  return "evt_" + newStreamKey(secureRandom());
}

std::string newWebhookDeliveryId() {
  return newUuidV4(secureRandom());
}

std::string webhookBody(std::string_view type, UnixMillis occurredAt, std::int64_t sequence, std::string_view data) {
  std::string body = R"({"type":)";
  body += boost::json::serialize(boost::json::string(type));
  body += R"(,"timestamp":")";
  body += formatIso8601(occurredAt);
  body += R"(","sequence":)";
  body += std::to_string(sequence);
  body += R"(,"data":)";
  body += data;
  body += '}';
  return body;
}

std::string encodeEventTypes(const std::vector<std::string>& types) {
  boost::json::array array;
  for (const std::string& t : types) array.emplace_back(t);
  return boost::json::serialize(array);
}

Result<std::vector<std::string>> decodeEventTypes(std::string_view json) {
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(boost::json::string_view(json.data(), json.size()), ec);
  if (ec || !parsed.is_array()) return corruptRow("webhook_endpoints", "event_types_json", json);
  std::vector<std::string> types;
  for (const boost::json::value& v : parsed.get_array()) {
    if (!v.is_string()) return corruptRow("webhook_endpoints", "event_types_json", json);
    types.emplace_back(v.get_string());
  }
  return types;
}

bool subscribes(const std::vector<std::string>& eventTypes, std::string_view type) {
  if (type == webhook_event::kTest) return false;  // only through insertWebhookTestEvent
  if (eventTypes.empty()) return true;
  for (const std::string& t : eventTypes) {
    if (t == type) return true;
  }
  return false;
}

std::string cleanResponsePrefix(std::string_view in, std::size_t max) {
  std::string out;
  out.reserve(std::min(in.size(), max));
  constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  std::size_t i = 0;
  auto append = [&](std::string_view piece) {
    if (out.size() + piece.size() > max) return false;
    out += piece;
    return true;
  };
  while (i < in.size()) {
    const auto c = static_cast<unsigned char>(in[i]);
    std::size_t len = 0;
    if (c == 0) {
      len = 0;
    } else if (c < 0x80) {
      len = 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
    }
    bool valid = len > 0 && i + len <= in.size();
    for (std::size_t k = 1; valid && k < len; ++k) {
      valid = (static_cast<unsigned char>(in[i + k]) & 0xC0) == 0x80;
    }
    if (valid && len >= 3) {
      const auto c1 = static_cast<unsigned char>(in[i + 1]);
      if (c == 0xE0 && c1 < 0xA0) valid = false;         // overlong
      if (c == 0xED && c1 >= 0xA0) valid = false;        // surrogates
      if (c == 0xF0 && c1 < 0x90) valid = false;         // overlong
      if (c == 0xF4 && c1 >= 0x90) valid = false;        // above U+10FFFF
    }
    if (valid) {
      if (!append(in.substr(i, len))) break;
      i += len;
    } else {
      if (!append(kReplacement)) break;
      i += 1;
    }
  }
  return out;
}

Result<WebhookDeliveryState> parseDeliveryState(std::string_view s) {
  if (s == "pending") return WebhookDeliveryState::kPending;
  if (s == "succeeded") return WebhookDeliveryState::kSucceeded;
  if (s == "failed") return WebhookDeliveryState::kFailed;
  return corruptRow("webhook_deliveries", "state", s);
}

void WebhookEmitter::setRenderer(WebhookRenderer renderer) {
  auto shared = std::make_shared<const WebhookRenderer>(std::move(renderer));
  std::lock_guard lock(mutex_);
  renderer_ = std::move(shared);
}

std::shared_ptr<const WebhookRenderer> WebhookEmitter::renderer() const {
  std::lock_guard lock(mutex_);
  return renderer_;
}

bool WebhookEmitter::active() const {
  return renderer() != nullptr;
}

Result<std::vector<WebhookEmitter::Target>> WebhookEmitter::targets(OutboxTx& tx, std::string_view type,
                                                                   const std::vector<std::string>& projectIds) {
  std::vector<Target> targets;
  for (const std::string& projectId : projectIds) {
    Result<std::vector<EndpointSubscription>> endpoints = tx.enabledEndpoints(projectId);
    if (!endpoints.ok()) return endpoints.status();
    Target target{projectId, {}};
    for (const EndpointSubscription& e : *endpoints) {
      if (subscribes(e.eventTypes, type)) target.endpointIds.push_back(e.id);
    }
    if (!target.endpointIds.empty()) targets.push_back(std::move(target));
  }
  return targets;
}

Status WebhookEmitter::write(OutboxTx& tx, std::string_view type, std::string_view subjectId,
                             const std::vector<Target>& targets, UnixMillis now, std::string_view data) {
  // Nobody listens: no event, and the subject's sequence does not move.
  if (targets.empty()) return Status::ok();
  Result<std::int64_t> sequence = tx.nextSequence(subjectId);
  if (!sequence.ok()) return sequence.status();
  const std::string body = webhookBody(type, now, *sequence, data);
  for (const Target& target : targets) {
    WebhookEvent event;
    event.id = newWebhookEventId();
    event.projectId = target.projectId;
    event.type = std::string(type);
    event.subjectId = std::string(subjectId);
    event.sequence = *sequence;
    event.occurredAt = now;
    event.body = body;
    LS_RETURN_IF_ERROR(tx.insertEvent(event));
    for (const std::string& endpointId : target.endpointIds) {
      WebhookDelivery d;
      d.id = newWebhookDeliveryId();
      d.eventId = event.id;
      d.endpointId = endpointId;
      d.state = WebhookDeliveryState::kPending;
      d.attempts = 0;
      d.nextAttemptAt = now;
      d.createdAt = now;
      LS_RETURN_IF_ERROR(tx.insertDelivery(d, subjectId, *sequence));
    }
  }
  return Status::ok();
}

Status WebhookEmitter::livestreamEvent(OutboxTx& tx, std::string_view type, const Livestream& row,
                                       UnixMillis now) const {
  std::shared_ptr<const WebhookRenderer> r = renderer();
  if (!r || !r->livestream) return Status::ok();
  // Who listens first: most changes have no subscriber, and then nothing more is read.
  Result<std::vector<Target>> to = targets(tx, type, {row.projectId});
  if (!to.ok()) return to.status();
  if (to->empty()) return Status::ok();
  Result<std::optional<MediaServer>> server = tx.mediaServer(row.mediaServerId);
  if (!server.ok()) return server.status();
  const std::string data = r->livestream(row, server->value_or(MediaServer{}), now);
  return write(tx, type, row.id, *to, now, data);
}

Status WebhookEmitter::livestreamEventById(OutboxTx& tx, std::string_view type, std::string_view id,
                                           UnixMillis now) const {
  if (!active()) return Status::ok();
  Result<std::optional<Livestream>> row = tx.livestream(id);
  if (!row.ok()) return row.status();
  if (!row->has_value()) return Status::ok();
  return livestreamEvent(tx, type, **row, now);
}

Status WebhookEmitter::mediaServerEvent(OutboxTx& tx, std::string_view type, std::string_view mediaServerId,
                                        UnixMillis now) const {
  std::shared_ptr<const WebhookRenderer> r = renderer();
  if (!r || !r->mediaServer) return Status::ok();
  Result<std::optional<MediaServer>> server = tx.mediaServer(mediaServerId);
  if (!server.ok()) return server.status();
  if (!server->has_value()) return Status::ok();
  std::vector<std::string> projects = (*server)->projectIds;
  if (projects.empty()) {
    Result<std::vector<std::string>> all = tx.projectsWithEnabledEndpoints();
    if (!all.ok()) return all.status();
    projects = std::move(*all);
  }
  Result<std::vector<Target>> to = targets(tx, type, projects);
  if (!to.ok()) return to.status();
  if (to->empty()) return Status::ok();
  Result<std::int64_t> live = tx.startedCount(mediaServerId);
  if (!live.ok()) return live.status();
  const std::string data = r->mediaServer(**server, *live, now);
  return write(tx, type, mediaServerId, *to, now, data);
}

}  // namespace store
}  // namespace ls
