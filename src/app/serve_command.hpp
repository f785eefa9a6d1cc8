// `lunarstream serve`: both planes in one process on the embedded defaults.
#pragma once

#include <string>
#include <vector>

namespace ls::app {

int runServeCommand(const std::vector<std::string>& args, char** environ);

}  // namespace ls::app
