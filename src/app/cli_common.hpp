// What every administration command shares: the exit code and message for a
// failure, --help detection, and opening the data dir named by --data-dir.
#pragma once

#include <string>
#include <vector>

#include "app/cli_args.hpp"
#include "app/data_dir.hpp"
#include "core/status.hpp"

namespace ls::app {

// Prints "error: ..." (one line per detail) to stderr; 2 for bad input, else 1.
int fail(const Status& status);
bool wantsHelp(const std::vector<std::string>& args);
Result<DataDir> openFromArgs(const CliArgs& args);

}  // namespace ls::app
