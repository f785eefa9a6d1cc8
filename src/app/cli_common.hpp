// What every administration command shares: the exit code and message for a
// failure, --help detection, and opening the store: PostgreSQL named by
// --database (or LUNARSTREAM_DATABASE_URL), else SQLite in --data-dir.
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
// Every command that opens the store declares the options "data-dir" and
// "database" (and may declare "config": a server config file's data_dir and database.url).
Result<DataDir> openFromArgs(const CliArgs& args);

}  // namespace ls::app
