#include "app/serve_command.hpp"

#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>

#include "app/cli_args.hpp"
#include "app/config.hpp"
#include "app/server_app.hpp"

namespace ls::app {

namespace {

constexpr const char* kServeHelp = R"(Usage: lunarstream serve [options]

Runs the API, the RTMP ingest and the HLS origin in one process (--role all),
on SQLite in the data directory, or on PostgreSQL with --database. The first start creates the database, the push-token key
pair, the embedded media server and a default team, project and API key (the
key is printed once, with a curl command that creates a livestream).

Roles (scale-out, docs/operations.md):
  --role all      everything in one process (default)
  --role api      the partner, public, hook and internal node APIs on the
                  database; no RTMP listener, no HLS: media nodes carry streams
  --role media    RTMP ingest and HLS origin for an API tier, registered there
                  with `lunarstream node add`; no database (--database is refused):
                  --control-url URL --node-id ID --node-secret SECRET

Options (each also settable in the config file or as LUNARSTREAM_<KEY>):
  --role ROLE              all|api|media (default all)                      [server.role]
  --control-url URL        media role: the API tier, e.g. http://api:8080   [node.control_url]
  --node-id ID             media role: this node's id from `node add`       [node.id]
  --node-secret SECRET     media role: this node's secret from `node add`   [node.secret]
  --config FILE            config file of "key = value" lines (see lunarstream.conf.sample)
  --data-dir DIR           data directory (default ./data)                  [data_dir]
  --database URL           postgres://USER:PASS@HOST:PORT/DB keeps the data in
                           PostgreSQL; empty: SQLite in the data dir. Push-token
                           keys stay in the data dir either way  [database.url]
  --http HOST:PORT         API and HLS listen address (default 0.0.0.0:8080)  [http.listen]
  --rtmp HOST:PORT         RTMP ingest listen address (default 0.0.0.0:1935)  [rtmp.listen]
  --public-api-url URL     public base URL of the API      [public.api_url]
  --public-rtmp-url URL    public RTMP ingest URL, e.g. rtmp://host:1935/live  [public.rtmp_url]
  --public-hls-url URL     public HLS origin base URL      [public.hls_url]
  --cdn NAME=URL           a CDN in front of the origin, repeatable, in order  [media_server.cdns]
  --log-level LEVEL        trace|debug|info|warn|error|off (default info)  [log.level]

Public URLs not set are derived from the listen addresses, with 127.0.0.1
standing in for 0.0.0.0. SIGTERM or SIGINT shuts down cleanly.
)";

Status loadConfig(const CliArgs& args, char** environ, Config& cfg) {
  if (auto file = args.get("config")) {
    auto values = readConfigFile(*file);
    if (!values.ok()) return values.status();
    for (const auto& [key, value] : *values) LS_RETURN_IF_ERROR(applyConfigValue(cfg, key, value));
  }
  for (const auto& [key, value] : configFromEnvironment(environ)) {
    Status s = applyConfigValue(cfg, key, value);
    if (!s.isOk()) return invalidArgument("environment: " + s.message());
  }
  const std::pair<const char*, const char*> flags[] = {
      {"data-dir", "data_dir"},          {"database", "database.url"},
      {"http", "http.listen"},
      {"rtmp", "rtmp.listen"},           {"public-api-url", "public.api_url"},
      {"public-rtmp-url", "public.rtmp_url"}, {"public-hls-url", "public.hls_url"},
      {"log-level", "log.level"},        {"role", "server.role"},
      {"control-url", "node.control_url"}, {"node-id", "node.id"},
      {"node-secret", "node.secret"}};
  for (const auto& [flag, key] : flags) {
    if (auto value = args.get(flag)) {
      Status s = applyConfigValue(cfg, key, *value);
      if (!s.isOk()) return invalidArgument("--" + std::string(flag) + ": " + s.message());
    }
  }
  if (args.has("cdn")) {
    std::string joined;
    for (const std::string& cdn : args.all("cdn")) joined += (joined.empty() ? "" : ",") + cdn;
    Status s = applyConfigValue(cfg, "media_server.cdns", joined);
    if (!s.isOk()) return invalidArgument("--cdn: " + s.message());
  }
  return Status::ok();
}

}  // namespace

int runServeCommand(const std::vector<std::string>& argv, char** environ) {
  for (const std::string& a : argv) {
    if (a == "--help" || a == "-h") {
      std::cout << kServeHelp;
      return 0;
    }
  }
  auto args = CliArgs::parse(argv, {{"config"},
                                    {"data-dir"},
                                    {"database"},
                                    {"http"},
                                    {"rtmp"},
                                    {"public-api-url"},
                                    {"public-rtmp-url"},
                                    {"public-hls-url"},
                                    {"cdn", true, true},
                                    {"log-level"},
                                    {"role"},
                                    {"control-url"},
                                    {"node-id"},
                                    {"node-secret"}});
  if (!args.ok()) {
    std::cerr << "error: " << args.status().message() << "\n";
    return 2;
  }
  Config cfg;
  if (Status s = loadConfig(*args, environ, cfg); !s.isOk()) {
    std::cerr << "error: " << s.message() << "\n";
    return 2;
  }
  spdlog::set_level(spdlog::level::from_str(cfg.logLevel));

  // SIGTERM/SIGINT are taken by sigwait on this thread only: block them
  // before any other thread exists so every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  auto app = ServerApp::start(std::move(cfg));
  if (!app.ok()) {
    std::cerr << "error: " << app.status().message() << "\n";
    return app.status().code() == Code::kInvalidArgument ? 2 : 1;
  }
  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("received {}, shutting down", received == SIGTERM ? "SIGTERM" : "SIGINT");
  (*app)->stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace ls::app
