// lunarstream node add|list|remove|rotate-secret: remote LunarStream media
// nodes (`serve --role media`), registered as media servers of type
// EMBEDDED with a node secret (stored hashed, printed once).
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

constexpr const char* kNodeHelp = R"(Usage: lunarstream node add|list|remove|rotate-secret [options]

Registers the media nodes (`lunarstream serve --role media`) an API tier
(`serve --role api` or `all`) hands streams to. A node's id is its media-server id.

  add            --name NAME --rtmp-url rtmp://HOST:PORT/live --hls-url http://HOST:PORT
                 [--api-url URL] [--cdn NAME=URL]... [--project ID]... [--json]
                 Prints the node's id and secret (shown once): start the node with
                 serve --role media --control-url http://API:PORT --node-id ID --node-secret SECRET
                 --api-url is where the API tier reaches the node's HTTP listener
                 (default: the HLS URL).
  list           [--json] every node with its status (ONLINE, OFFLINE, UNKNOWN),
                 when it was last heard from, and its live streams
  remove ID      removes a node that no livestream uses
  rotate-secret ID   a new secret (printed once); the old one stops working at once

Common options:
  --data-dir DIR   data directory of the API tier (default: ./data)
  --database URL   the API tier's PostgreSQL database (default: LUNARSTREAM_DATABASE_URL,
                   else SQLite in the data dir)
  --config FILE    the API tier's config file (its data_dir and database.url)
)";

boost::json::value optionalTime(const std::optional<UnixMillis>& t) {
  if (!t) return nullptr;
  return boost::json::string(formatIso8601(*t));
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

boost::json::object addedJson(const control::AddedMediaServer& added) {
  const MediaServer& s = added.server;
  return {{"id", s.id},
          {"secret", added.hookSecret},
          {"name", s.name},
          {"rtmpBaseUrl", s.rtmpBaseUrl},
          {"hlsBaseUrl", s.hlsBaseUrl},
          {"apiUrl", s.apiUrl}};
}

Result<std::string> idArgument(const CliArgs& args) {
  std::optional<std::string> id = args.get("id");
  if (!id && args.positional().size() == 1) id = args.positional().front();
  if (!id || !isUuid(*id)) return invalidArgument("give the node's id (a UUID): lunarstream node VERB ID");
  return *id;
}

}  // namespace

int runNodeCommand(const std::vector<std::string>& argv) {
  if (argv.empty() || wantsHelp(argv)) {
    std::cout << kNodeHelp;
    return argv.empty() ? 2 : 0;
  }
  const std::string& verb = argv[0];
  auto args = CliArgs::parse({argv.begin() + 1, argv.end()},
                             {{"name"}, {"rtmp-url"}, {"hls-url"}, {"api-url"}, {"cdn", true, true}, {"id"},
                              {"project", true, true}, {"data-dir"}, {"database"}, {"config"}, {"json", false}});
  if (!args.ok()) return fail(args.status());
  if (verb != "add" && verb != "list" && verb != "remove" && verb != "rotate-secret") {
    std::cerr << "error: unknown node command '" << verb << "'\n" << kNodeHelp;
    return 2;
  }
  auto dir = openFromArgs(*args);
  if (!dir.ok()) return fail(dir.status());
  SystemClock clock;
  SecureRandom random;
  control::MediaServerService servers(*dir->store, clock, random);
  control::NodeService nodes(*dir->store, clock, nullptr, leaseFromEnvironment());
  const bool json = args->has("json");

  if (verb == "add") {
    control::MediaServerInput input;
    input.name = args->get("name").value_or("");
    input.rtmpBaseUrl = args->get("rtmp-url").value_or("");
    input.hlsBaseUrl = args->get("hls-url").value_or("");
    input.apiUrl = args->get("api-url").value_or("");
    for (const std::string& cdn : args->all("cdn")) {
      auto parsed = parseCdnList(cdn);
      if (!parsed.ok()) return fail(invalidArgument("--cdn: " + parsed.status().message()));
      input.cdns.insert(input.cdns.end(), parsed->begin(), parsed->end());
    }
    input.projectIds = args->all("project");
    auto added = servers.addNode(input, cliActor());
    if (!added.ok()) return fail(added.status());
    if (json) {
      std::cout << boost::json::serialize(addedJson(*added)) << "\n";
    } else {
      std::cout << "Media node " << added->server.name << " (" << added->server.id << ") added\n"
                << "Node secret (shown once): " << added->hookSecret << "\n"
                << "Start it with: lunarstream serve --role media --control-url <API URL> --node-id "
                << added->server.id << " --node-secret " << added->hookSecret << "\n";
    }
    return 0;
  }
  if (verb == "list") {
    auto list = nodes.list();
    if (!list.ok()) return fail(list.status());
    boost::json::array out;
    for (const control::NodeView& v : *list) {
      if (!isRemoteNode(v.server)) continue;
      const MediaServer& s = v.server;
      if (json) {
        out.emplace_back(boost::json::object{{"id", s.id},
                                             {"name", s.name},
                                             {"status", toString(v.status)},
                                             {"lastSeenAt", optionalTime(s.liveness.lastSeenAt)},
                                             {"liveStreams", v.liveStreams},
                                             {"rtmpBaseUrl", s.rtmpBaseUrl},
                                             {"hlsBaseUrl", s.hlsBaseUrl},
                                             {"apiUrl", s.apiUrl}});
      } else {
        std::cout << s.id << "  " << s.name << "  " << toString(v.status) << "  " << v.liveStreams
                  << " live  last seen "
                  << (s.liveness.lastSeenAt ? formatIso8601(*s.liveness.lastSeenAt) : std::string("never")) << "  "
                  << s.rtmpBaseUrl << "  " << s.hlsBaseUrl << "\n";
      }
    }
    if (json) std::cout << boost::json::serialize(out) << "\n";
    return 0;
  }
  auto id = idArgument(*args);
  if (!id.ok()) return fail(id.status());
  auto current = servers.get(*id);
  if (!current.ok()) return fail(current.status());
  if (!isRemoteNode(*current)) {
    return fail(invalidArgument("media server " + *id + " is not a media node (see `lunarstream media-server`)"));
  }
  if (verb == "remove") {
    if (Status s = servers.remove(*id, cliActor()); !s.isOk()) return fail(s);
    if (json) {
      std::cout << boost::json::serialize(boost::json::object{{"id", *id}}) << "\n";
    } else {
      std::cout << "Media node " << *id << " removed\n";
    }
    return 0;
  }
  auto rotated = servers.rotateNodeSecret(*id, cliActor());
  if (!rotated.ok()) return fail(rotated.status());
  if (json) {
    std::cout << boost::json::serialize(addedJson(*rotated)) << "\n";
  } else {
    std::cout << "Node secret of " << rotated->server.name << " (shown once): " << rotated->hookSecret << "\n";
  }
  return 0;
}

}  // namespace ls::app
