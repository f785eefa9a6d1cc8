// Webhook create, update and rotate-secret bodies give InvalidArgument or
// values the service accepts (URL, event types, description, overlap within
// their bounds); the URL's host and its private-target warnings are read
// from any bytes (at most one warning, none when private targets are
// allowed). Never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "api/body_reader.hpp"
#include "api/webhook_bodies.hpp"
#include "control/webhook_service.hpp"
#include "http/request.hpp"

namespace {

void check(bool invariant) {
  if (!invariant) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ls::api;
  namespace control = ls::control;
  const std::string text(reinterpret_cast<const char*>(data), size);
  // The raw bytes as a URL too: the validator never crashes on any input.
  (void)control::validateWebhookUrl(text);
  (void)control::webhookUrlHost(text);
  check(control::webhookUrlWarnings(text, false).size() <= 1);
  check(control::webhookUrlWarnings(text, true).empty());
  ls::http::Request request = ls::http::Request::make(ls::http::Method::kPost, "/api/v1/admin/webhooks/x", text,
                                                      {{"Content-Type", "application/json"}});
  auto body = parseJsonObject(request);
  if (!body.ok()) return 0;
  if (auto create = parseCreateWebhookBody(*body); create.ok()) {
    check(control::validateWebhookUrl(create->url).isOk());
    check(control::validateWebhookEvents(create->events).isOk());
    check(create->description.size() <= control::kMaxWebhookDescriptionLength);
  } else {
    check(create.status().code() == ls::Code::kInvalidArgument);
  }
  if (auto update = parseUpdateWebhookBody(*body); update.ok()) {
    if (update->url) check(control::validateWebhookUrl(*update->url).isOk());
    if (update->eventTypes) check(control::validateWebhookEvents(*update->eventTypes).isOk());
    if (update->description) check(update->description->size() <= control::kMaxWebhookDescriptionLength);
  } else {
    check(update.status().code() == ls::Code::kInvalidArgument);
  }
  if (auto rotate = parseRotateWebhookSecretBody(*body); rotate.ok() && rotate->has_value()) {
    check(**rotate >= 0 && **rotate <= control::kMaxWebhookSecretOverlapSeconds);
  }
  return 0;
}
