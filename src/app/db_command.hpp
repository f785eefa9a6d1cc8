// `lunarstream db ...`: schema maintenance of the server's database (SQLite in
// the data dir, or PostgreSQL named by --database).
#pragma once

#include <string>
#include <vector>

namespace ls::app {

int runDbCommand(const std::vector<std::string>& args);

}  // namespace ls::app
