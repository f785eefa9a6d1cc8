#include "app/cli_common.hpp"

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
  if (auto dir = args.get("data-dir")) {
    LS_RETURN_IF_ERROR(applyConfigValue(cfg, "data_dir", *dir));
  }
  return openDataDir(cfg.dataDir);
}

}  // namespace ls::app
