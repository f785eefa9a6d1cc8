// The JSON of webhook endpoints, deliveries, attempts and events, as the
// admin API answers them and `lunarstream webhook ... --json` prints them.
// An endpoint's secret appears only through endpointJsonWithSecret (create
// and rotate).
#pragma once

#include <boost/json/object.hpp>

#include "core/time.hpp"
#include "store/webhook_outbox.hpp"

namespace ls::api {

boost::json::object endpointJson(const WebhookEndpoint& e, UnixMillis now);
boost::json::object endpointJsonWithSecret(const WebhookEndpoint& e, UnixMillis now);
boost::json::object deliveryJson(const WebhookDelivery& d);
boost::json::object attemptJson(const WebhookAttempt& a);
// The event with its body parsed as `payload` (the body text when it is not JSON).
boost::json::object eventJson(const WebhookEvent& e);

}  // namespace ls::api
