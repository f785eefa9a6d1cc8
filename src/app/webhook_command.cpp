// lunarstream webhook add|list|update|remove|rotate-secret|attempts|events|resend|test:
// a project's partner webhook endpoints from the shell, through the same
// control::WebhookService as the administration API; each change lands in
// the audit log with the CLI actor (the OS user name).
#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <iostream>

#include "api/webhook_json.hpp"
#include "app/admin_commands.hpp"
#include "app/cli_args.hpp"
#include "app/cli_common.hpp"
#include "app/config.hpp"
#include "app/data_dir.hpp"
#include "control/webhook_service.hpp"

namespace ls::app {

namespace {

constexpr const char* kWebhookHelp = R"(Usage: lunarstream webhook COMMAND [options]

  add --project ID --url URL [--events a,b] [--description TEXT] [--disabled]
          Adds an endpoint that receives the project's events, and prints its
          signing secret (whsec_..., shown only now). --events limits it to
          some types (default: every type): livestream.created,
          livestream.started, livestream.ended, livestream.token_expired,
          livestream.deleted, livestream.push_token_regenerated,
          media_server.offline, media_server.online.
          --json prints {id, secret, url, events, description, enabled, ...}.
  list --project ID
          The project's endpoints (never their secrets).
  update ID [--url URL] [--events a,b | --events ''] [--description TEXT] [--enable | --disable]
          Changes what is given; --events '' subscribes to every type;
          --enable also clears a disable after repeated failures.
  remove ID
          Removes the endpoint with its pending deliveries and delivery log.
  rotate-secret ID [--overlap 24h]
          A new secret (printed once); the previous one keeps signing too for
          the overlap (ms, s, m, h or d; at most 30d; 0s ends it at once;
          default webhooks.secret_overlap from the environment or --config,
          else 24h).
  attempts ID [--page N] [--limit N]
          The delivery log, newest first: time, event, HTTP status, latency,
          error, first bytes of the answer.
  events --project ID [--page N] [--limit N]
          The project's events, newest first (ids to resend).
  resend ID EVENT_ID
          Sends one event to the endpoint again (same webhook-id).
  test ID
          Sends a webhook.test event to the endpoint.

Every change is recorded in the audit log (`lunarstream audit-log`).

Common options:
  --data-dir DIR   data directory of the server (default: ./data)
  --database URL   the server's PostgreSQL database, postgres://USER:PASS@HOST:PORT/DB
                   (default: LUNARSTREAM_DATABASE_URL, else SQLite in the data dir)
  --config FILE    a server config file (its data_dir and database.url)
  --json           JSON output
)";

std::string eventsText(const std::vector<std::string>& events) {
  if (events.empty()) return "every event";
  std::string out;
  for (const std::string& e : events) out += (out.empty() ? "" : ",") + e;
  return out;
}

// "a,b" -> {"a","b"}; "" -> {} (every type). Blanks around names are dropped.
std::vector<std::string> splitEvents(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

// One server setting as the server would read it: from the --config file,
// then the environment (envName) over it.
Status applyServerSetting(const CliArgs& args, Config& cfg, std::string_view key, const char* envName) {
  if (auto file = args.get("config")) {
    auto values = readConfigFile(*file);
    if (!values.ok()) return values.status();
    if (auto it = values->find(std::string(key)); it != values->end()) {
      LS_RETURN_IF_ERROR(applyConfigValue(cfg, key, it->second));
    }
  }
  if (const char* env = std::getenv(envName); env != nullptr) {
    if (Status s = applyConfigValue(cfg, key, env); !s.isOk()) {
      return invalidArgument(std::string(envName) + ": " + s.message());
    }
  }
  return Status::ok();
}

// The overlap of a rotation, in seconds: --overlap (a duration, as
// webhooks.secret_overlap takes it), else webhooks.secret_overlap from the
// environment or the --config file, else its default (24h).
Result<std::int64_t> overlapSeconds(const CliArgs& args) {
  constexpr std::string_view kKey = "webhooks.secret_overlap";
  Config cfg;
  LS_RETURN_IF_ERROR(applyServerSetting(args, cfg, kKey, "LUNARSTREAM_WEBHOOKS_SECRET_OVERLAP"));
  if (auto text = args.get("overlap")) {
    if (Status s = applyConfigValue(cfg, kKey, *text); !s.isOk()) {
      // "config webhooks.secret_overlap: must be ..." -> "--overlap: must be ..."
      const std::string& m = s.message();
      const std::size_t colon = m.find(": ");
      return invalidArgument("--overlap: " + (colon == std::string::npos ? m : m.substr(colon + 2)));
    }
  }
  return cfg.webhooksSecretOverlapMs / 1000;
}

// The services a command needs, on the store the flags name.
// webhooks.allow_private_targets from the environment or the --config file
// (default off): whether a private or loopback URL is worth a warning.
Result<bool> allowPrivateTargets(const CliArgs& args) {
  Config cfg;
  LS_RETURN_IF_ERROR(
      applyServerSetting(args, cfg, "webhooks.allow_private_targets", "LUNARSTREAM_WEBHOOKS_ALLOW_PRIVATE_TARGETS"));
  return cfg.webhooksAllowPrivateTargets;
}

struct Session {
  DataDir dir;
  SystemClock clock;
  SecureRandom random;
  std::unique_ptr<control::WebhookService> webhooks;
};

Result<std::unique_ptr<Session>> openSession(const CliArgs& args) {
  auto dir = openFromArgs(args);
  if (!dir.ok()) return dir.status();
  auto s = std::make_unique<Session>();
  s->dir = std::move(*dir);
  auto allowPrivate = allowPrivateTargets(args);
  if (!allowPrivate.ok()) return allowPrivate.status();
  s->webhooks = std::make_unique<control::WebhookService>(*s->dir.store, s->clock, s->random,
                                                          control::WebhookOptions{.allowPrivateTargets = *allowPrivate});
  return s;
}

// The positional endpoint id (and `extra` more positional words).
Result<std::string> endpointId(const CliArgs& args, std::size_t words) {
  const auto& p = args.positional();
  if (p.empty() || !isUuid(p.front())) return invalidArgument("give the webhook id (UUID) after the command");
  if (p.size() > words) return invalidArgument("unexpected argument '" + p[words] + "' (see --help)");
  return p.front();
}

// The service's warnings about the endpoint's URL, on stderr (the answer on
// stdout stays as it is, JSON or not).
void printWarnings(const Session& s, const WebhookEndpoint& e) {
  for (const std::string& w : s.webhooks->warnings(e)) std::cerr << "warning: " << w << "\n";
}

int printEndpoint(const CliArgs& args, const WebhookEndpoint& e, UnixMillis now, bool secret, const std::string& text) {
  if (args.has("json")) {
    boost::json::object o = secret ? api::endpointJsonWithSecret(e, now) : api::endpointJson(e, now);
    std::cout << boost::json::serialize(o) << "\n";
  } else {
    std::cout << text << "\n";
    if (secret) std::cout << "Signing secret (shown once): " << e.secret << "\n";
  }
  return 0;
}

int add(const CliArgs& args, Session& s) {
  auto projectId = idFlag(args, "project", "project");
  if (!projectId.ok()) return fail(projectId.status());
  const std::optional<std::string> url = args.get("url");
  if (!url) return fail(invalidArgument("--url is required"));
  control::WebhookInput input;
  input.url = *url;
  input.events = splitEvents(args.get("events").value_or(""));
  input.description = args.get("description").value_or("");
  input.enabled = !args.has("disabled");
  auto added = s.webhooks->add(*projectId, input, cliActor());
  if (!added.ok()) return fail(added.status());
  printWarnings(s, *added);
  return printEndpoint(args, *added, s.clock.now(), true,
                       "Webhook " + added->id + " -> " + added->url + " (" + eventsText(added->eventTypes) + ")");
}

int list(const CliArgs& args, Session& s) {
  auto projectId = idFlag(args, "project", "project");
  if (!projectId.ok()) return fail(projectId.status());
  auto endpoints = s.webhooks->list(*projectId);
  if (!endpoints.ok()) return fail(endpoints.status());
  const UnixMillis now = s.clock.now();
  if (args.has("json")) {
    boost::json::array out;
    for (const WebhookEndpoint& e : *endpoints) out.emplace_back(api::endpointJson(e, now));
    std::cout << boost::json::serialize(out) << "\n";
    return 0;
  }
  for (const WebhookEndpoint& e : *endpoints) {
    std::cout << e.id << "  " << e.url << "  " << eventsText(e.eventTypes)
              << (e.enabled ? "" : "  (disabled" + (e.disabledReason.empty() ? "" : ": " + e.disabledReason) + ")")
              << (e.failingSince ? "  (failing since " + formatIso8601(*e.failingSince) + ")" : std::string()) << "\n";
  }
  return 0;
}

int update(const CliArgs& args, Session& s) {
  auto id = endpointId(args, 1);
  if (!id.ok()) return fail(id.status());
  if (args.has("enable") && args.has("disable")) return fail(invalidArgument("give --enable or --disable, not both"));
  WebhookEndpointPatch patch;
  patch.url = args.get("url");
  if (auto events = args.get("events")) patch.eventTypes = splitEvents(*events);
  patch.description = args.get("description");
  if (args.has("enable")) patch.enabled = true;
  if (args.has("disable")) patch.enabled = false;
  if (!patch.url && !patch.eventTypes && !patch.description && !patch.enabled) {
    return fail(invalidArgument("nothing to change: give --url, --events, --description, --enable or --disable"));
  }
  auto updated = s.webhooks->update(*id, patch, cliActor());
  if (!updated.ok()) return fail(updated.status());
  printWarnings(s, *updated);
  return printEndpoint(args, *updated, s.clock.now(), false, "Webhook " + updated->id + " updated");
}

int remove(const CliArgs& args, Session& s) {
  auto id = endpointId(args, 1);
  if (!id.ok()) return fail(id.status());
  auto removed = s.webhooks->remove(*id, cliActor());
  if (!removed.ok()) return fail(removed.status());
  if (args.has("json")) {
    std::cout << boost::json::serialize(boost::json::object{{"id", removed->id}}) << "\n";
  } else {
    std::cout << "Webhook " << removed->id << " removed\n";
  }
  return 0;
}

int rotate(const CliArgs& args, Session& s) {
  auto id = endpointId(args, 1);
  if (!id.ok()) return fail(id.status());
  auto overlap = overlapSeconds(args);
  if (!overlap.ok()) return fail(overlap.status());
  auto rotated = s.webhooks->rotateSecret(*id, *overlap, cliActor());
  if (!rotated.ok()) return fail(rotated.status());
  const auto until = control::secretRotatingUntil(*rotated, s.clock.now());
  return printEndpoint(args, *rotated, s.clock.now(), true,
                       "Webhook " + rotated->id + ": new secret" +
                           (until ? "; the previous one also signs until " + formatIso8601(*until) : std::string()));
}

Result<std::pair<std::int64_t, std::int64_t>> pageFlags(const CliArgs& args) {
  auto page = intFlag(args, "page", 1, 1'000'000);
  if (!page.ok()) return page.status();
  auto limit = intFlag(args, "limit", 1, control::kMaxWebhookPageLimit);
  if (!limit.ok()) return limit.status();
  return std::pair{page->value_or(1), limit->value_or(20)};
}

int attempts(const CliArgs& args, Session& s) {
  auto id = endpointId(args, 1);
  if (!id.ok()) return fail(id.status());
  auto page = pageFlags(args);
  if (!page.ok()) return fail(page.status());
  auto list = s.webhooks->attempts(*id, page->first, page->second);
  if (!list.ok()) return fail(list.status());
  if (args.has("json")) {
    boost::json::array out;
    for (const WebhookAttempt& a : *list) out.emplace_back(api::attemptJson(a));
    std::cout << boost::json::serialize(out) << "\n";
    return 0;
  }
  for (const WebhookAttempt& a : *list) {
    std::cout << formatIso8601(a.at) << "  " << a.eventId << "  " << a.eventType << "  "
              << (a.status == 0 ? std::string("-") : std::to_string(a.status)) << "  " << a.latencyMs << " ms"
              << (a.error.empty() ? std::string() : "  " + a.error) << "\n";
  }
  return 0;
}

int events(const CliArgs& args, Session& s) {
  auto projectId = idFlag(args, "project", "project");
  if (!projectId.ok()) return fail(projectId.status());
  auto page = pageFlags(args);
  if (!page.ok()) return fail(page.status());
  auto list = s.webhooks->events(*projectId, page->first, page->second);
  if (!list.ok()) return fail(list.status());
  if (args.has("json")) {
    boost::json::array out;
    for (const WebhookEvent& e : *list) out.emplace_back(api::eventJson(e));
    std::cout << boost::json::serialize(out) << "\n";
    return 0;
  }
  for (const WebhookEvent& e : *list) {
    std::cout << formatIso8601(e.occurredAt) << "  " << e.id << "  " << e.type << "  " << e.subjectId << "\n";
  }
  return 0;
}

int printDelivery(const CliArgs& args, const WebhookDelivery& d, const std::string& text) {
  if (args.has("json")) {
    std::cout << boost::json::serialize(api::deliveryJson(d)) << "\n";
  } else {
    std::cout << text << " (delivery " << d.id << ", " << toString(d.state) << ")\n";
  }
  return 0;
}

int resend(const CliArgs& args, Session& s) {
  auto id = endpointId(args, 2);
  if (!id.ok()) return fail(id.status());
  if (args.positional().size() < 2) return fail(invalidArgument("give the event id (evt_...) after the webhook id"));
  const std::string& eventId = args.positional()[1];
  auto delivery = s.webhooks->resend(*id, eventId, cliActor());
  if (!delivery.ok()) return fail(delivery.status());
  return printDelivery(args, *delivery, "Event " + eventId + " queued for webhook " + *id);
}

int test(const CliArgs& args, Session& s) {
  auto id = endpointId(args, 1);
  if (!id.ok()) return fail(id.status());
  auto delivery = s.webhooks->sendTest(*id, cliActor());
  if (!delivery.ok()) return fail(delivery.status());
  return printDelivery(args, *delivery, "Test event " + delivery->eventId + " queued for webhook " + *id);
}

}  // namespace

int runWebhookCommand(const std::vector<std::string>& argv) {
  static const std::vector<std::string> kCommands{"add",      "list",   "update", "remove", "rotate-secret",
                                                  "attempts", "events", "resend", "test"};
  if (argv.empty() || wantsHelp(argv) || std::find(kCommands.begin(), kCommands.end(), argv[0]) == kCommands.end()) {
    if (!argv.empty() && !wantsHelp(argv)) std::cerr << "error: unknown webhook command '" << argv[0] << "'\n\n";
    std::cout << kWebhookHelp;
    return argv.empty() || !wantsHelp(argv) ? 2 : 0;
  }
  auto args = CliArgs::parse({argv.begin() + 1, argv.end()}, {{"project"},
                                                              {"url"},
                                                              {"events"},
                                                              {"description"},
                                                              {"disabled", false},
                                                              {"enable", false},
                                                              {"disable", false},
                                                              {"overlap"},
                                                              {"page"},
                                                              {"limit"},
                                                              {"data-dir"},
                                                              {"database"},
                                                              {"config"},
                                                              {"json", false}});
  if (!args.ok()) return fail(args.status());
  const std::string& command = argv[0];
  const bool byProject = command == "add" || command == "list" || command == "events";
  if (byProject && !args->positional().empty()) {
    return fail(invalidArgument("unexpected argument '" + args->positional().front() + "' (see --help)"));
  }
  auto session = openSession(*args);
  if (!session.ok()) return fail(session.status());
  Session& s = **session;
  if (command == "add") return add(*args, s);
  if (command == "list") return list(*args, s);
  if (command == "update") return update(*args, s);
  if (command == "remove") return remove(*args, s);
  if (command == "rotate-secret") return rotate(*args, s);
  if (command == "attempts") return attempts(*args, s);
  if (command == "events") return events(*args, s);
  if (command == "resend") return resend(*args, s);
  return test(*args, s);
}

}  // namespace ls::app
