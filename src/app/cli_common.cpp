#include "app/cli_common.hpp"

#include <pwd.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <iostream>

#include "api/webhook_event_json.hpp"
#include "app/config.hpp"
#include "core/random.hpp"

namespace ls::app {

int fail(const Status& status) {
  std::cerr << "error: " << status.message() << "\n";
  for (std::size_t i = 1; i < status.details().size(); ++i) std::cerr << "error: " << status.details()[i] << "\n";
  return status.code() == Code::kInvalidArgument ? 2 : 1;
}

bool wantsHelp(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

Result<DataDir> openFromArgs(const CliArgs& args) {
  Config cfg;
  // A server's config file: its data_dir and database.url (flags win).
  if (auto file = args.get("config")) {
    auto values = readConfigFile(*file);
    if (!values.ok()) return values.status();
    for (const auto& [key, value] : *values) {
      if (key == "data_dir" || key == "database.url" || key == "public.api_url" || key == "http.listen") {
        LS_RETURN_IF_ERROR(applyConfigValue(cfg, key, value));
      }
    }
  }
  if (auto dir = args.get("data-dir")) {
    LS_RETURN_IF_ERROR(applyConfigValue(cfg, "data_dir", *dir));
  }
  if (auto url = args.get("database")) {
    if (Status s = applyConfigValue(cfg, "database.url", *url); !s.isOk()) {
      return invalidArgument("--database: " + s.message());
    }
  } else if (const char* env = std::getenv("LUNARSTREAM_DATABASE_URL"); env != nullptr) {
    if (Status s = applyConfigValue(cfg, "database.url", env); !s.isOk()) {
      return invalidArgument("LUNARSTREAM_DATABASE_URL: " + s.message());
    }
  }
  auto dir = openDataDir(cfg.dataDir, cfg.databaseBusyTimeoutMs, cfg.databaseUrl);
  if (!dir.ok()) return dir;
  // Commands that change livestreams write webhook events like the server
  // does: the API URL is the config file's (or the default listen address's).
  derivePublicUrls(cfg, cfg.http.port, cfg.rtmp.port);
  dir->store->setWebhookRenderer(api::webhookRenderer(cfg.publicApiUrl, control::NodeLeaseOptions{}, cfg.hlsLlEnabled));
  return dir;
}

Actor cliActor() {
  std::string name;
  const uid_t uid = geteuid();
  std::string buffer(4096, '\0');
  passwd entry{};
  passwd* found = nullptr;
  if (getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_name != nullptr) {
    name = found->pw_name;
  } else if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') {
    name = user;
  } else {
    name = "uid " + std::to_string(uid);
  }
  return Actor{ActorType::kCli, name, name};
}

Result<std::optional<std::int64_t>> intFlag(const CliArgs& args, std::string_view name, std::int64_t min,
                                            std::int64_t max) {
  const std::optional<std::string> text = args.get(name);
  if (!text) return std::optional<std::int64_t>();
  std::int64_t value = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (text->empty() || ec != std::errc() || ptr != end || value < min || value > max) {
    return invalidArgument("--" + std::string(name) + " must be a whole number from " + std::to_string(min) + " to " +
                           std::to_string(max));
  }
  return std::optional<std::int64_t>(value);
}

Result<std::string> idFlag(const CliArgs& args, std::string_view name, std::string_view what) {
  const std::optional<std::string> id = args.get(name);
  if (!id || !isUuid(*id)) {
    return invalidArgument("--" + std::string(name) + " must be a " + std::string(what) + " id (UUID)");
  }
  return *id;
}

}  // namespace ls::app
