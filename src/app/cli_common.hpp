// What every administration command shares: the exit code and message for a
// failure, --help detection, and opening the store: PostgreSQL named by
// --database (or LUNARSTREAM_DATABASE_URL), else SQLite in --data-dir.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/cli_args.hpp"
#include "app/data_dir.hpp"
#include "core/model.hpp"
#include "core/status.hpp"

namespace ls::app {

// Prints "error: ..." (one line per detail) to stderr; 2 for bad input, else 1.
int fail(const Status& status);
bool wantsHelp(const std::vector<std::string>& args);
// Every command that opens the store declares the options "data-dir" and
// "database" (and may declare "config": a server config file's data_dir and database.url).
Result<DataDir> openFromArgs(const CliArgs& args);
// Who the audit log records for a CLI change: {type: cli, id and label: the
// OS user name} (the effective user's passwd entry, else $USER, else "uid N").
Actor cliActor();
// --NAME as a whole decimal number in [min, max]; kInvalidArgument naming the
// flag otherwise. nullopt when the flag is absent.
Result<std::optional<std::int64_t>> intFlag(const CliArgs& args, std::string_view name, std::int64_t min,
                                            std::int64_t max);
// --NAME as a UUID (required); kInvalidArgument "--NAME must be a WHAT id (UUID)".
Result<std::string> idFlag(const CliArgs& args, std::string_view name, std::string_view what);

}  // namespace ls::app
