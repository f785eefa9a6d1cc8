// lunarstream media-server add|update|list|remove|cdn: the media servers that
// livestreams are created on, with their health as the control plane sees it.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>
#include <unistd.h>

#include "app/admin_commands.hpp"
#include "app/cli_common.hpp"
#include "app/config.hpp"
#include "control/media_server_service.hpp"
#include "control/node_service.hpp"

namespace ls::app {

namespace {

constexpr const char* kMediaServerHelp = R"(Usage: lunarstream media-server add|update|list|remove|cdn [options]

Manages the media servers that livestreams can be created on.

  add     --type EMBEDDED|ZLMEDIAKIT|MEDIAMTX --name NAME --rtmp-url rtmp://HOST[:PORT]/live
          --hls-url http(s)://ORIGIN [--cdn NAME=https://BASE ...] [node options]
          Prints the new server; external servers also get a hook secret (shown once)
          that their hook calls must carry.
  update  --id ID [--name ...] [--rtmp-url ...] [--hls-url ...] [--cdn ...] [node options]
          Changes only what is given; --cdn replaces the CDN list, --project the
          project list (--all-projects makes the server available to every project).
  list    Prints every media server with its status (ONLINE, OFFLINE, UNKNOWN),
          when it was last heard from, and how many streams are live on it.
  remove  --id ID   Removes a media server that no livestream uses.
  cdn     --id ID --cdn NAME --mode auto|pin|drain
          Content steering of one CDN (docs/steering.md): auto ranks it by measured
          health, pin puts it first while it is healthy, drain stops offering it to
          players (it leaves the steering manifest and is listed last in hlsSources).
          A running server applies it within one steering.probe_interval_ms; the
          admin API (PUT .../cdns/NAME/steering) applies it at once.

Node options (external servers):
  --api-url http(s)://HOST:PORT  the node's control API (ZLMediaKit HTTP API, MediaMTX
                                 Control API): polled for live streams, used to cut
                                 publishers of deleted livestreams ('' to remove)
  --api-secret SECRET            ZLMediaKit api.secret / MediaMTX password of user lunarstream
  --hook-allow CIDR[,CIDR...]    addresses whose hook calls need no secret ('' for none)
  --hls-path-template PATH       where the node serves a stream's HLS under each base URL,
                                 with {streamKey} and {app} (default: ZLMEDIAKIT
                                 {app}/{streamKey}/hls.m3u8, MEDIAMTX {app}/{streamKey}/index.m3u8)
  --remote-id ID                 the node's own id (ZLMediaKit [general] mediaServerId);
                                 tells apart nodes that share an allowed address, and a
                                 secretless hook that names another id is refused
  --project ID                   only these projects may use it (repeatable; default: all)

Common options:
  --data-dir DIR   data directory of the server (default: ./data)
  --database URL   the server's PostgreSQL database, postgres://USER:PASS@HOST:PORT/DB
                   (default: LUNARSTREAM_DATABASE_URL, else SQLite in the data dir)
  --json           JSON output (list prints an array of {id, name, type, status, ...})
)";

boost::json::value optionalTime(const std::optional<UnixMillis>& t) {
  if (!t) return nullptr;
  return boost::json::string(formatIso8601(*t));
}

boost::json::object serverJson(const MediaServer& s) {
  boost::json::array cdns;
  for (const CdnEndpoint& c : s.cdns) {
    cdns.emplace_back(boost::json::object{{"name", c.name}, {"baseUrl", c.baseUrl}, {"steering", toString(c.steering)}});
  }
  boost::json::array hookAllow(s.hookAllow.begin(), s.hookAllow.end());
  boost::json::array projects(s.projectIds.begin(), s.projectIds.end());
  return {{"id", s.id},
          {"name", s.name},
          {"type", toString(s.type)},
          {"rtmpBaseUrl", s.rtmpBaseUrl},
          {"hlsBaseUrl", s.hlsBaseUrl},
          {"cdns", std::move(cdns)},
          {"hlsPathTemplate", s.hlsPathTemplate},
          {"hookAllow", std::move(hookAllow)},
          {"remoteId", s.remoteId},
          {"apiUrl", s.apiUrl},
          // The secret itself is never printed back.
          {"apiSecretSet", !s.apiSecret.empty()},
          {"projectIds", std::move(projects)},
          {"createdAt", formatIso8601(s.createdAt)}};
}

boost::json::object viewJson(const control::NodeView& view) {
  boost::json::object o = serverJson(view.server);
  o["status"] = toString(view.status);
  o["lastSeenAt"] = optionalTime(view.server.liveness.lastSeenAt);
  o["liveStreams"] = view.liveStreams;
  return o;
}

std::vector<std::string> splitComma(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    if (std::string_view item = text.substr(0, comma); !item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

// Applies the options that were given over `input`.
Status applyOptions(const CliArgs& args, control::MediaServerInput& input) {
  if (auto v = args.get("name")) input.name = *v;
  if (auto v = args.get("rtmp-url")) input.rtmpBaseUrl = *v;
  if (auto v = args.get("hls-url")) input.hlsBaseUrl = *v;
  if (args.has("cdn")) {
    const std::vector<CdnEndpoint> previous = std::move(input.cdns);
    input.cdns.clear();
    for (const std::string& cdn : args.all("cdn")) {
      auto parsed = parseCdnList(cdn);
      if (!parsed.ok()) return invalidArgument("--cdn: " + parsed.status().message());
      input.cdns.insert(input.cdns.end(), parsed->begin(), parsed->end());
    }
    // A CDN that stays keeps its steering mode (`media-server cdn` sets it).
    for (CdnEndpoint& cdn : input.cdns) {
      for (const CdnEndpoint& old : previous) {
        if (old.name == cdn.name) cdn.steering = old.steering;
      }
    }
  }
  if (auto v = args.get("api-url")) input.apiUrl = *v;
  if (auto v = args.get("api-secret")) input.apiSecret = *v;
  if (auto v = args.get("hook-allow")) input.hookAllow = splitComma(*v);
  if (auto v = args.get("hls-path-template")) input.hlsPathTemplate = *v;
  if (auto v = args.get("remote-id")) input.remoteId = *v;
  if (args.has("project")) input.projectIds = args.all("project");
  if (args.has("all-projects")) {
    if (args.has("project")) return invalidArgument("--project and --all-projects exclude each other");
    input.projectIds.clear();
  }
  return Status::ok();
}

void printList(const std::vector<control::NodeView>& views, bool json) {
  if (json) {
    boost::json::array out;
    for (const control::NodeView& v : views) out.emplace_back(viewJson(v));
    std::cout << boost::json::serialize(out) << "\n";
    return;
  }
  for (const control::NodeView& v : views) {
    const MediaServer& s = v.server;
    std::cout << s.id << "  " << toString(s.type) << "  " << s.name << "  " << toString(v.status) << "  "
              << v.liveStreams << " live  last seen "
              << (s.liveness.lastSeenAt ? formatIso8601(*s.liveness.lastSeenAt) : std::string("never")) << "  "
              << s.rtmpBaseUrl << "  " << s.hlsBaseUrl << "\n";
  }
}

control::NodeLeaseOptions leaseFromEnvironment() {
  Config cfg;
  for (const auto& [key, value] : configFromEnvironment(environ)) {
    if (key.starts_with("nodes.")) (void)applyConfigValue(cfg, key, value);
  }
  control::NodeLeaseOptions lease;
  lease.leaseMs = cfg.nodesLeaseSeconds * 1000;
  lease.pollIntervalMs = cfg.nodesPollIntervalSeconds * 1000;
  return lease;
}

}  // namespace

int runMediaServerCommand(const std::vector<std::string>& argv) {
  if (argv.empty() || wantsHelp(argv)) {
    std::cout << kMediaServerHelp;
    return argv.empty() ? 2 : 0;
  }
  const std::string& verb = argv[0];
  auto args = CliArgs::parse({argv.begin() + 1, argv.end()},
                             {{"type"}, {"name"}, {"rtmp-url"}, {"hls-url"}, {"cdn", true, true}, {"id"},
                              {"api-url"}, {"api-secret"}, {"hook-allow"}, {"hls-path-template"}, {"remote-id"},
                              {"project", true, true}, {"all-projects", false}, {"mode"}, {"data-dir"}, {"database"}, {"json", false}});
  if (!args.ok()) return fail(args.status());
  auto dir = openFromArgs(*args);
  if (!dir.ok()) return fail(dir.status());
  SystemClock clock;
  SecureRandom random;
  control::MediaServerService servers(*dir->store, clock, random);
  // Status as the server reports it: with the lease settings of the
  // environment (LUNARSTREAM_NODES_*) when given, else the defaults.
  control::NodeService nodes(*dir->store, clock, nullptr, leaseFromEnvironment());
  const bool json = args->has("json");

  if (verb == "list") {
    auto list = nodes.list();
    if (!list.ok()) return fail(list.status());
    printList(*list, json);
    return 0;
  }
  if (verb == "add") {
    control::MediaServerInput input;
    const auto type = parseMediaServerType(args->get("type").value_or(""));
    if (!type) return fail(invalidArgument("--type must be EMBEDDED, ZLMEDIAKIT or MEDIAMTX"));
    input.type = *type;
    if (Status s = applyOptions(*args, input); !s.isOk()) return fail(s);
    auto added = servers.add(input, cliActor());
    if (!added.ok()) return fail(added.status());
    boost::json::object out = serverJson(added->server);
    if (!added->hookSecret.empty()) out["hookSecret"] = added->hookSecret;
    if (json) {
      std::cout << boost::json::serialize(out) << "\n";
    } else {
      std::cout << "Media server " << added->server.name << " (" << added->server.id << ") added\n";
      if (!added->hookSecret.empty()) std::cout << "Hook secret (shown once): " << added->hookSecret << "\n";
    }
    return 0;
  }
  const std::optional<std::string> id = args->get("id");
  if (verb == "update" || verb == "remove") {
    if (!id || !isUuid(*id)) return fail(invalidArgument("--id must be a media server id (UUID)"));
  }
  if (verb == "update") {
    if (args->has("type")) return fail(invalidArgument("--type cannot change; add a new media server instead"));
    auto current = servers.get(*id);
    if (!current.ok()) return fail(current.status());
    control::MediaServerInput input = control::inputOf(*current);
    if (Status s = applyOptions(*args, input); !s.isOk()) return fail(s);
    auto updated = servers.update(*id, input, cliActor());
    if (!updated.ok()) return fail(updated.status());
    if (json) {
      std::cout << boost::json::serialize(serverJson(*updated)) << "\n";
    } else {
      std::cout << "Media server " << updated->name << " (" << updated->id << ") updated\n";
    }
    return 0;
  }
  if (verb == "cdn") {
    if (!id || !isUuid(*id)) return fail(invalidArgument("--id must be a media server id (UUID)"));
    const std::vector<std::string> names = args->all("cdn");
    if (names.size() != 1 || names.front().empty()) return fail(invalidArgument("--cdn must name one CDN of the server"));
    const auto mode = parseCdnSteering(args->get("mode").value_or(""));
    if (!mode) return fail(invalidArgument("--mode must be auto, pin or drain"));
    auto updated = servers.setCdnSteering(*id, names.front(), *mode, cliActor());
    if (!updated.ok()) return fail(updated.status());
    if (json) {
      std::cout << boost::json::serialize(serverJson(*updated)) << "\n";
    } else {
      std::cout << "CDN " << names.front() << " of media server " << updated->name << " (" << updated->id
                << ") is now steered '" << toString(*mode) << "'\n";
    }
    return 0;
  }
  if (verb == "remove") {
    if (Status s = servers.remove(*id, cliActor()); !s.isOk()) return fail(s);
    if (json) {
      std::cout << boost::json::serialize(boost::json::object{{"id", *id}}) << "\n";
    } else {
      std::cout << "Media server " << *id << " removed\n";
    }
    return 0;
  }
  std::cerr << "error: unknown media-server command '" << verb << "'\n" << kMediaServerHelp;
  return 2;
}

}  // namespace ls::app
