// The recorded node API answers under tests/fixtures/ (see the README.md in
// each directory for where their shape comes from).
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "control/node_api.hpp"

namespace ls::nodes::testing {

// fixture("zlmediakit/api/getMediaList_live.json")
inline std::string fixture(std::string_view relativePath) {
  const std::string path = std::string(LS_FIXTURES_DIR) + "/" + std::string(relativePath);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// "app/key" of each stream, for comparing lists.
inline std::vector<std::string> names(const std::vector<control::NodeStream>& streams) {
  std::vector<std::string> out;
  for (const auto& s : streams) out.push_back(s.app + "/" + s.streamKey);
  return out;
}

}  // namespace ls::nodes::testing
