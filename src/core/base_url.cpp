#include "core/base_url.hpp"

#include <set>

namespace ls {

bool isBaseUrl(std::string_view url, std::initializer_list<std::string_view> schemes) {
  for (std::string_view scheme : schemes) {
    if (url.size() <= scheme.size() || url.substr(0, scheme.size()) != scheme) continue;
    for (const char c : url) {
      if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
    }
    return true;
  }
  return false;
}

std::string withoutTrailingSlash(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return std::string(url);
}

void appendCdnProblems(const std::vector<CdnEndpoint>& cdns, std::vector<std::string>& problems) {
  std::set<std::string> names{"origin"};
  for (const CdnEndpoint& cdn : cdns) {
    if (cdn.name.empty() || cdn.name.size() > 64) problems.emplace_back("each CDN needs a name of 1 to 64 characters");
    if (!names.insert(cdn.name).second) problems.push_back("CDN name '" + cdn.name + "' is used twice (or is 'origin')");
    if (!isBaseUrl(cdn.baseUrl, {"http://", "https://"})) {
      problems.push_back("CDN '" + cdn.name + "' baseUrl must be an http:// or https:// URL");
    }
  }
}

}  // namespace ls
