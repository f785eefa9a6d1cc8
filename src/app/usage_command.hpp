// `lunarstream usage`: a project's metered usage per hour or day, as a table,
// CSV or the admin API's JSON (docs/platform.md "Usage metering").
#pragma once

#include <string>
#include <vector>

namespace ls::app {

int runUsageCommand(const std::vector<std::string>& args);

}  // namespace ls::app
