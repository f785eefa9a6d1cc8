// lunarstream: the server and its administration commands.
#include <iostream>
#include <string>
#include <vector>

#include "app/admin_commands.hpp"
#include "app/db_command.hpp"
#include "app/keys_command.hpp"
#include "app/serve_command.hpp"
#include "app/usage_command.hpp"

extern char** environ;

namespace {

constexpr const char* kHelp = R"(LunarStream: a self-hostable live-streaming platform.

Usage: lunarstream COMMAND [options]

Commands:
  serve          run the API, RTMP ingest and HLS origin (first start sets everything up)
  team           list, create, rename and delete teams
  project        create, list, rename, delete projects; ABR and rate limits
  apikey         regenerate a project's API key
  media-server   add, list and remove media servers; steer their CDNs (cdn)
  audit-log      who changed what (key regenerations, deletes, ...), newest first
  node           register media nodes (serve --role media) with the API tier
  db             apply schema migrations (SQLite or PostgreSQL)
  keys           list, rotate and retire the push-token signing keys
  usage          a project's metered usage per hour or day (table, CSV or JSON)
  user           create, list and delete dashboard users (the first admin too)
  webhook        a project's webhook endpoints: add, list, update, remove, rotate-secret,
                 the delivery log, resend an event, send a test event
  help           this text

`lunarstream COMMAND --help` tells more about each command.
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    std::cout << kHelp;
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "serve") return ls::app::runServeCommand(args, environ);
  if (command == "project") return ls::app::runProjectCommand(args);
  if (command == "team") return ls::app::runTeamCommand(args);
  if (command == "audit-log") return ls::app::runAuditLogCommand(args);
  if (command == "apikey") return ls::app::runApiKeyCommand(args);
  if (command == "media-server") return ls::app::runMediaServerCommand(args);
  if (command == "node") return ls::app::runNodeCommand(args);
  if (command == "db") return ls::app::runDbCommand(args);
  if (command == "keys") return ls::app::runKeysCommand(args);
  if (command == "usage") return ls::app::runUsageCommand(args);
  if (command == "user") return ls::app::runUserCommand(args);
  if (command == "webhook") return ls::app::runWebhookCommand(args);
  std::cerr << "error: unknown command '" << command << "'\n\n" << kHelp;
  return 2;
}
