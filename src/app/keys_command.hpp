// `lunarstream keys`: list, rotate and retire the push-token signing keys
// kept in the store (control/signing_keys.hpp has the rules).
#pragma once

#include <string>
#include <vector>

namespace ls::app {

int runKeysCommand(const std::vector<std::string>& argv);

}  // namespace ls::app
