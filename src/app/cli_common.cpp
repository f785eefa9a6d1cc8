#include "app/cli_common.hpp"

#include <cstdlib>
#include <iostream>

#include "app/config.hpp"

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
      if (key == "data_dir" || key == "database.url") LS_RETURN_IF_ERROR(applyConfigValue(cfg, key, value));
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
  return openDataDir(cfg.dataDir, cfg.databaseBusyTimeoutMs, cfg.databaseUrl);
}

}  // namespace ls::app
